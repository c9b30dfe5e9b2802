package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasker worker}, {@code server} and {@code run} as real processes: they serve tasks until
 * SIGTERM, then stop gracefully. Handlers come from a {@code --handlers-classpath} directory whose
 * {@code META-INF/services} names {@link Greet}.
 */
class LongRunningCommandsTest {
  private static final Duration START = Duration.ofSeconds(60);

  /** A handler found through {@code --handlers-classpath} (ServiceLoader needs it public). */
  public static final class Greet implements StepHandler {
    @Override
    public String handlerName() {
      return "cliproc.greet";
    }

    @Override
    public StepResult call(StepContext ctx) {
      return StepResult.success(Map.of("greeting", "hello " + ctx.input("who").asText()));
    }
  }

  private static TestDatabase db;
  private static Cli cli;
  private static Map<String, String> env;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabases.create("cli_processes");
    cli = new Cli(db);
    env =
        Map.of("DATABASE_URL", Cli.databaseUrl(db), "TASKER_HOME", dir.resolve("home").toString());
    Path templates = Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        templates.resolve("hello.yaml"),
        """
        name: hello
        namespace_name: cliproc
        version: 1.0.0
        steps:
          - name: greet
            handler: {callable: cliproc.greet}
        """);
    Files.writeString(
        templates.resolve("unserved.yaml"),
        """
        name: unserved
        namespace_name: cliproc
        version: 1.0.0
        steps:
          - name: nobody
            handler: {callable: cliproc.missing}
        """);
    Path services = Files.createDirectories(dir.resolve("handlers/META-INF/services"));
    Files.writeString(
        services.resolve("io.tasker.worker.StepHandler"), Greet.class.getName() + "\n");
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private static String[] workerArgs(String command, String... more) {
    String[] base = {
      command,
      "--templates",
      dir.resolve("templates").toString(),
      "--handlers-classpath",
      dir.resolve("handlers").toString()
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private void runsATask(String who) {
    Cli.Run r =
        cli.run(
            "task",
            "create",
            "--namespace",
            "cliproc",
            "--name",
            "hello",
            "--context",
            "{\"who\": \"" + who + "\"}",
            "--wait",
            "--timeout",
            "60",
            "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.get("state").asText()).isEqualTo("complete");
    assertThat(doc.get("steps").get(0).get("result").get("greeting").asText())
        .isEqualTo("hello " + who);
  }

  @Test
  void aWorkerAndAServerInTwoProcessesRunTasksAndStopOnSigterm() throws Exception {
    try (CliProcess server = CliProcess.start(env, "server", "--port", "0")) {
      server.awaitErr(l -> l.contains("server started"), START);
      // stdout is read by its own thread: wait for the line instead of racing it
      String line = server.awaitOut(l -> l.startsWith("tasker server listening on "), START);
      assertThat(line).startsWith("tasker server listening on http://127.0.0.1:");
      assertThat(server.outLines()).hasSize(1);
      String url = line.substring("tasker server listening on ".length());
      // started one after the other: queue creation is not yet safe against a concurrent create
      try (CliProcess worker = CliProcess.start(env, workerArgs("worker"))) {
        servesAndStops(server, worker, url);
      }
    }
  }

  /** The CLI against the server's REST API (--url) instead of the database. */
  private void remoteCommands(String url) {
    Cli.Run created =
        cli.run(
            "--url",
            url,
            "task",
            "create",
            "--namespace",
            "cliproc",
            "--name",
            "hello",
            "--context",
            "{\"who\": \"rest\"}",
            "--wait",
            "--timeout",
            "60",
            "--json");
    assertThat(created.exit()).as(created.toString()).isZero();
    JsonNode doc = created.json();
    assertThat(doc.get("steps").get(0).get("result").get("greeting").asText())
        .isEqualTo("hello rest");
    String task = doc.get("task_uuid").asText();
    assertThat(cli.run("--url", url, "task", "get", task, "--json").json()).isEqualTo(doc);
    assertThat(cli.run("--url", url, "step", "list", task).out()).contains("greet");
    assertThat(cli.run("task", "get", task, "--json").json())
        .isEqualTo(doc); // same document locally
    assertThat(cli.run("--url", url, "template", "list").out()).contains("hello");
    assertThat(
            cli.run("--url", url, "task", "list", "--namespace", "cliproc", "--json")
                .json()
                .get("pagination")
                .get("total_count")
                .asLong())
        .isGreaterThanOrEqualTo(2);
    Cli.Run missing = cli.run("--url", url, "task", "get", java.util.UUID.randomUUID().toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("tasker: no task ");
    Cli.Run invalid =
        cli.run(
            "--url",
            url,
            "task",
            "create",
            "--namespace",
            "cliproc",
            "--name",
            "nope",
            "--context",
            "{}");
    assertThat(invalid.exit()).isEqualTo(2);
    assertThat(invalid.err()).contains("no template cliproc/nope");
    Cli.Run down = cli.run("--url", "http://127.0.0.1:1", "template", "list");
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the tasker server at http://127.0.0.1:1");
    Cli.Run keyWithoutUrl = cli.run("--api-key", "k", "template", "list");
    assertThat(keyWithoutUrl.exit()).isEqualTo(2);
    assertThat(keyWithoutUrl.err()).contains("need --url");
  }

  private void servesAndStops(CliProcess server, CliProcess worker) throws Exception {
    servesAndStops(server, worker, null);
  }

  private void servesAndStops(CliProcess server, CliProcess worker, String url) throws Exception {
    String started = worker.awaitErr(l -> l.contains("worker started"), START);
    assertThat(started)
        .contains("namespaces [cliproc]")
        .contains("handlers [cliproc.greet]")
        .contains("orchestrator not in this process");
    assertThat(worker.errLines())
        .anyMatch(
            l ->
                l.contains("WARN")
                    && l.contains("no handler loaded for callable 'cliproc.missing'")
                    && l.contains("step nobody of cliproc/unserved/1.0.0"));

    runsATask("worker");
    if (url != null) {
      remoteCommands(url);
    }

    int exit = worker.terminate(Duration.ofSeconds(30));
    assertThat(exit).as(worker.toString()).isEqualTo(143); // 128 + SIGTERM
    worker.awaitErr(l -> l.contains("worker stopped"), START); // drained after the exit
    assertThat(server.terminate(Duration.ofSeconds(30))).isEqualTo(143);
    server.awaitErr(l -> l.contains("server stopped"), START);
  }

  @Test
  void runIsOrchestratorAndWorkerInOneProcess() throws Exception {
    try (CliProcess run = CliProcess.start(env, workerArgs("run", "--namespace", "cliproc"))) {
      String started = run.awaitErr(l -> l.contains("run started"), START);
      assertThat(started).contains("namespaces [cliproc]").contains("orchestrator in this process");

      runsATask("run");

      assertThat(run.terminate(Duration.ofSeconds(30))).as(run.toString()).isEqualTo(143);
      run.awaitErr(l -> l.contains("run stopped"), START); // drained after the exit
    }
  }

  @Test
  void workerFlagsAreChecked() {
    Cli.Run noTemplates = cli.run("worker");
    assertThat(noTemplates.exit()).isEqualTo(2);
    assertThat(noTemplates.err()).contains("Missing required option: '--templates=DIR'");

    Cli.Run badHandlers =
        cli.run(
            "worker",
            "--templates",
            dir.resolve("templates").toString(),
            "--handlers-classpath",
            dir.resolve("absent").toString());
    assertThat(badHandlers.exit()).as(badHandlers.toString()).isEqualTo(2);
    assertThat(badHandlers.err()).contains("no such file or directory");
  }

  @Test
  void demoWithoutTheExamplesJarSaysHowToBuildIt() {
    Cli.Run r = cli.run("demo", "--examples-jar", dir.resolve("absent.jar").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("./mvnw -q -pl examples -am package -DskipTests");
  }
}
