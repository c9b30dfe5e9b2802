package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.BuildInfo;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskRequest;
import io.tasker.state.TaskState;
import io.tasker.template.TaskTemplate;
import io.tasker.worker.HandlerRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasker demo}: the first thing a newcomer runs. Starts the embedded database, registers the
 * example templates, runs an orchestrator and a Java worker in this process and runs a few
 * workflows, printing each step as it finishes.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded database and run example workflows (linear, diamond, decision, batch),"
          + " printing each step as it finishes.",
      "Needs the example handlers jar: examples/target/tasker-examples-<version>.jar under the"
          + " current directory, $TASKER_EXAMPLES_JAR or --examples-jar (build it with"
          + " ./mvnw -q -pl examples -am package -DskipTests). The decision and batch workflows"
          + " come from ../shared/conformance/templates, $TASKER_CONFORMANCE_TEMPLATES or"
          + " --conformance-templates, when that directory exists."
    })
final class DemoCommand implements Callable<Integer> {
  static final String BUILD_EXAMPLES = "./mvnw -q -pl examples -am package -DskipTests";
  private static final int NAME_WIDTH = 18;
  private static final int RESULT_WIDTH = 72;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--examples-jar",
      paramLabel = "JAR",
      description =
          "the example handlers jar (default: $TASKER_EXAMPLES_JAR, else examples/target)")
  Path examplesJar;

  @Option(
      names = "--conformance-templates",
      paramLabel = "DIR",
      description =
          "the conformance templates (default: $TASKER_CONFORMANCE_TEMPLATES, else"
              + " ../shared/conformance/templates)")
  Path conformanceTemplates;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "give up on a workflow after this long (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  /** One workflow of the tour. */
  private record Workflow(
      String title, String namespace, String name, String story, String contextJson) {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path jar = findExamplesJar();
    Path conformance = findConformanceTemplates();
    quietEngineLogs();

    out.println(
        "tasker demo: a workflow is a YAML template of steps and their dependencies; each step"
            + " runs a handler.");
    out.println(
        "An orchestrator and a Java worker run inside this process; every state change is in"
            + " PostgreSQL.");
    out.println();
    long t0 = System.nanoTime();
    try (Services services = Services.open(spec, 10)) {
      Database db = services.session().database();
      out.printf(
          "database   %s at %s, ready in %s%n",
          db.embedded() ? "embedded PostgreSQL" : "PostgreSQL (DATABASE_URL)",
          db.url().describe(),
          Format.duration(Duration.ofNanos(System.nanoTime() - t0)));

      List<TaskTemplate> templates = new ArrayList<>();
      try (FileSystem fs = FileSystems.newFileSystem(jar)) {
        // the demo's own templates: the jar is their source of truth, so a changed one replaces
        templates.addAll(services.register(fs.getPath("/demo-templates"), true));
      } catch (IOException e) {
        throw new TaskerException("io_error", "cannot open " + jar + ": " + e.getMessage(), e);
      }
      List<Workflow> tour = new ArrayList<>(demoWorkflows());
      if (conformance != null) {
        for (String f : List.of("approval_routing.yaml", "batch_sum.yaml")) {
          templates.addAll(services.register(conformance.resolve(f), false));
        }
        tour.addAll(conformanceWorkflows());
      }
      ClassLoader loader = HandlerRegistry.classLoaderFor(jar);
      services.startOrchestrator();
      Services.WorkerStart w = services.startWorker(templates, loader, List.of(), 8);
      out.printf("handlers   %d from %s%n", w.handlers().size(), jar);
      out.printf(
          "templates  %s%n", String.join(", ", templates.stream().map(TaskTemplate::key).toList()));
      if (conformance == null) {
        out.println(
            "           (conformance templates not found: skipping the decision and batch"
                + " workflows; see --conformance-templates)");
      }

      TaskQueries queries = services.session().queries();
      List<UUID> tasks = new ArrayList<>();
      int complete = 0;
      for (int i = 0; i < tour.size(); i++) {
        Workflow wf = tour.get(i);
        out.println();
        out.printf(
            "[%d/%d] %s — %s/%s%n", i + 1, tour.size(), wf.title(), wf.namespace(), wf.name());
        out.println("      " + wf.story());
        JsonNode context = Json.parse(wf.contextJson(), "demo context");
        out.println("      context " + Format.shortJson(context, 100));
        UUID task =
            services
                .session()
                .engine()
                .createTask(
                    TaskRequest.of(wf.namespace(), wf.name(), context)
                        .withIdempotencyKey(UUID.randomUUID().toString()));
        tasks.add(task);
        TaskState end = follow(out, queries, task);
        if (end == TaskState.COMPLETE) {
          complete++;
        }
      }
      out.println();
      out.printf(
          "%d of %d workflows complete in %s.%n",
          complete, tour.size(), Format.duration(Duration.ofNanos(System.nanoTime() - t0)));
      out.println("Look closer:");
      String next = "  %-64s %s%n";
      out.printf(next, "./scripts/tasker task list --limit " + tour.size(), "the tasks above");
      out.printf(next, "./scripts/tasker task get " + tasks.get(0), "one of them, in full");
      out.printf(next, "./scripts/tasker template show demo/order_fulfillment", "its template");
      out.printf(next, "docs/cli.md", "every command");
      out.flush();
      return complete == tour.size() ? TaskerCli.OK : TaskerCli.FAILED;
    }
  }

  /**
   * Prints the task's steps as they finish (polling the task document every 50 ms: the engine
   * publishes no per-step events yet), then its final state; returns that state.
   */
  private TaskState follow(PrintWriter out, TaskQueries queries, UUID task)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    Set<String> printed = new HashSet<>();
    while (true) {
      JsonNode doc = queries.task(task);
      List<JsonNode> steps = new ArrayList<>();
      doc.path("steps").forEach(steps::add);
      // in the order they finished (the document lists them in creation order)
      steps.sort(
          java.util.Comparator.comparing(
              (JsonNode st) -> Format.instant(st.path("completed_at")),
              java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
      for (JsonNode step : steps) {
        printStep(out, step, printed);
      }
      out.flush();
      TaskState state = TaskState.fromWire(doc.path("state").asText());
      if (state.terminal()) {
        Duration took = Format.between(doc.path("created_at"), doc.path("completed_at"));
        out.printf(
            "      → %s in %s (%d steps) · task %s%n",
            state.wire(),
            took == null ? "?" : Format.duration(took),
            doc.path("steps").size(),
            task);
        return state;
      }
      if (System.nanoTime() > deadline) {
        out.printf(
            "      → still %s after %d s; is something else consuming these queues? (task %s)%n",
            state.wire(), timeoutSeconds, task);
        return state;
      }
      Thread.sleep(50);
    }
  }

  /** One line per finished step, and one per failed attempt that will be retried. */
  private static void printStep(PrintWriter out, JsonNode step, Set<String> printed) {
    String state = step.path("state").asText();
    boolean finished =
        state.equals("complete") || state.equals("error") || state.equals("resolved_manually");
    if (!finished && !state.equals("waiting_for_retry")) {
      return;
    }
    String key = step.path("step_uuid").asText() + "/" + state + "/" + step.path("attempts");
    if (!printed.add(key)) {
      return;
    }
    Duration took = Format.between(step.path("last_attempted_at"), step.path("completed_at"));
    String what =
        switch (state) {
          case "complete" -> Format.shortResult(step.path("result"), RESULT_WIDTH);
          case "waiting_for_retry" ->
              "attempt "
                  + step.path("attempts").asInt()
                  + "/"
                  + step.path("max_attempts").asInt()
                  + " failed, will retry: "
                  + Format.resultOrError(step, RESULT_WIDTH);
          default -> state + ": " + Format.resultOrError(step, RESULT_WIDTH);
        };
    out.printf(
        "      %-" + NAME_WIDTH + "s %7s  %s%n",
        step.path("name").asText(),
        took == null ? "" : Format.duration(took),
        what);
  }

  private static List<Workflow> demoWorkflows() {
    String order = "ord-" + UUID.randomUUID().toString().substring(0, 6);
    return List.of(
        new Workflow(
            "Order fulfilment",
            "demo",
            "order_fulfillment",
            "four steps in a line; each receives the result of the one before",
            """
            {"order_id": "%s", "customer": "ada",
             "items": [{"sku": "book-sicp", "quantity": 1, "price_cents": 4500},
                       {"sku": "mug", "quantity": 2, "price_cents": 1250}]}"""
                .formatted(order)),
        new Workflow(
            "Diamond",
            "demo",
            "square_diamond",
            "start squares 2; left and right run in parallel; join squares their product: 2^16",
            "{\"number\": 2}"));
  }

  private static List<Workflow> conformanceWorkflows() {
    return List.of(
        new Workflow(
            "Decision",
            "conformance",
            "approval_routing",
            "a decision step picks the approvers 3000 needs (a manager) and creates only that"
                + " step; finalize waits for whichever ran",
            "{\"amount\": 3000, \"requester\": \"ada\", \"purpose\": \"laptop\"}"),
        new Workflow(
            "Batch",
            "conformance",
            "batch_sum",
            "plan_batches splits 1000 items into 5 batches; the batch workers run in parallel;"
                + " total adds them up (499500)",
            "{\"item_count\": 1000, \"batch_size\": 200}"));
  }

  /** --examples-jar, $TASKER_EXAMPLES_JAR, or examples/target/tasker-examples-*.jar here. */
  private Path findExamplesJar() {
    Path jar = examplesJar;
    String env = System.getenv("TASKER_EXAMPLES_JAR");
    if (jar == null && env != null && !env.isBlank()) {
      jar = Path.of(env);
    }
    if (jar == null) {
      jar = findInTarget(Path.of("examples", "target"));
    }
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new TaskerException(
          "examples_not_found",
          (jar == null
                  ? "the demo needs the example handlers jar"
                      + " (examples/target/tasker-examples-"
                      + BuildInfo.version()
                      + ".jar), which is not built"
                  : "no examples jar at " + jar)
              + ". Build it from the project root with: "
              + BUILD_EXAMPLES
              + " (or point TASKER_EXAMPLES_JAR at it)");
    }
    return jar;
  }

  private static Path findInTarget(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    Path preferred = dir.resolve("tasker-examples-" + BuildInfo.version() + ".jar");
    if (Files.isRegularFile(preferred)) {
      return preferred;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith("tasker-examples-")
                    && n.endsWith(".jar")
                    && !n.endsWith("-sources.jar")
                    && !n.endsWith("-tests.jar")
                    && !n.endsWith("-javadoc.jar");
              })
          .sorted()
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** --conformance-templates, $TASKER_CONFORMANCE_TEMPLATES, ../shared/conformance/templates. */
  private Path findConformanceTemplates() {
    if (conformanceTemplates != null) {
      if (!Files.isDirectory(conformanceTemplates)) {
        throw Args.usage("--conformance-templates: no such directory: " + conformanceTemplates);
      }
      return conformanceTemplates;
    }
    String env = System.getenv("TASKER_CONFORMANCE_TEMPLATES");
    Path dir =
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of("..", "shared", "conformance", "templates");
    return Files.isRegularFile(dir.resolve("approval_routing.yaml"))
            && Files.isRegularFile(dir.resolve("batch_sum.yaml"))
        ? dir
        : null;
  }

  /**
   * The engine's INFO lines (worker and orchestrator started, templates registered) would
   * interleave with the demo's own output; keep warnings only, unless TASKER_LOG_LEVEL is set.
   */
  private static void quietEngineLogs() {
    String level = System.getenv("TASKER_LOG_LEVEL");
    if ((level == null || level.isBlank())
        && LoggerFactory.getLogger("io.tasker") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
