package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.api.ApiConfig;
import io.tasker.api.ApiServer;
import io.tasker.api.AuthConfig;
import io.tasker.orchestration.DeadLetters;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template, task, step and dlq commands against a real server's REST API ({@code --url}), with
 * authentication on: the same output and exit codes as on the database.
 */
class RemoteCommandsTest {
  static final String KEY = "remote-cli-key-1234567890";

  static final String GATED =
      """
      name: gated
      namespace_name: remote
      version: 1.0.0
      steps:
        - name: flaky
          handler: {callable: r.flaky}
          retry: {retryable: false, max_attempts: 1}
        - name: after
          dependencies: [flaky]
          handler: {callable: r.after}
      """;

  static final String HANGS =
      """
      name: hangs
      namespace_name: remote
      version: 1.0.0
      steps:
        - name: hang
          handler: {callable: r.hang}
      """;

  @TempDir Path dir;

  @Test
  void everyCommandWorksThroughTheServer() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (EngineHarness h = new EngineHarness("cli_remote")) {
      h.handler(
              "r.flaky",
              ctx -> {
                throw new PermanentError("flaky is broken", "broken");
              })
          .handler(
              "r.after",
              ctx ->
                  StepResult.success(
                      Map.of("saw", ctx.dependencyResults().get("flaky").path("v").asInt())))
          .handler("r.hang", EngineHarness.holdUntil(started, release))
          .start(List.of("remote"));
      AuthConfig auth =
          new AuthConfig(
              true,
              Map.of(KEY, Set.of("*")),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      try (ApiServer server =
          ApiServer.start(ApiConfig.defaults().withPort(0).withAuth(auth), h.engine(), h.waker())) {
        Cli cli = new Cli(h.db());
        String url = server.url().toString();
        Files.writeString(dir.resolve("gated.yaml"), GATED);
        Files.writeString(dir.resolve("hangs.yaml"), HANGS);

        Cli.Run noKey = cli.run("--url", url, "template", "list");
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.err()).contains("credentials required");
        String[] remote = {"--url", url, "--api-key", KEY};

        Cli.Run reg = run(cli, remote, "template", "register", dir.toString());
        assertThat(reg.exit()).as(reg.toString()).isZero();
        assertThat(reg.out())
            .contains("created    remote/gated/1.0.0")
            .contains("remote/hangs/1.0.0");
        assertThat(run(cli, remote, "template", "register", dir.toString()).out())
            .contains("unchanged  remote/gated/1.0.0");
        assertThat(run(cli, remote, "template", "show", "remote/gated").out())
            .contains("r.flaky")
            .contains("no retry");
        assertThat(run(cli, remote, "template", "list", "--json").json().get("templates"))
            .hasSize(2);

        Cli.Run failed =
            run(
                cli,
                remote,
                "task",
                "create",
                "--namespace",
                "remote",
                "--name",
                "gated",
                "--context",
                "{}",
                "--wait",
                "--json");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        String task = failed.json().get("task_uuid").asText();
        Cli.Run complete =
            run(cli, remote, "step", "complete", task, "flaky", "--result", "{\"v\": 7}", "--json");
        assertThat(complete.exit()).as(complete.toString()).isZero();
        assertThat(complete.json().get("step_state").asText()).isEqualTo("complete");
        JsonNode done = h.runToEnd(UUID.fromString(task));
        assertThat(EngineHarness.step(done, "after").get("result").get("saw").asInt()).isEqualTo(7);
        assertThat(run(cli, remote, "task", "get", task, "--json").json()).isEqualTo(done);
        Cli.Run reset = run(cli, remote, "step", "reset", task, "flaky");
        assertThat(reset.exit()).isEqualTo(1);
        assertThat(reset.err()).contains("its steps can no longer change");
        Cli.Run noStep = run(cli, remote, "step", "resolve", task, "nothing");
        assertThat(noStep.exit()).isEqualTo(2);

        Cli.Run badContext =
            run(
                cli,
                remote,
                "task",
                "create",
                "--namespace",
                "remote",
                "--name",
                "gated",
                "--context",
                "[1]");
        assertThat(badContext.exit()).isEqualTo(2);

        UUID hanging = h.create("remote", "hangs", "{}");
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        h.backdateTask(hanging, "2 hours");
        assertThat(new DeadLetters(h.engine(), DeadLetters.Limits.defaults()).sweep(10))
            .isEqualTo(1);
        JsonNode entries = run(cli, remote, "dlq", "list", "--json").json().get("entries");
        assertThat(entries).hasSize(1);
        String entry = entries.get(0).get("dlq_entry_uuid").asText();
        assertThat(run(cli, remote, "dlq", "show", entry).out())
            .contains("stuck in steps_in_process");
        Cli.Run resolved =
            run(cli, remote, "dlq", "resolve", entry, "--notes", "restarted", "--by", "ops");
        assertThat(resolved.exit()).as(resolved.toString()).isZero();
        assertThat(resolved.out()).contains("manually_resolved").contains(hanging.toString());
        Cli.Run again = run(cli, remote, "dlq", "resolve", entry, "--notes", "again");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("no open DLQ entry");
        assertThat(run(cli, remote, "dlq", "stats").out()).contains("manually_resolved");

        Cli.Run cancel = run(cli, remote, "task", "cancel", hanging.toString());
        assertThat(cancel.exit()).isEqualTo(1);
        assertThat(cancel.err()).contains("already error");
        release.countDown();
      }
    }
  }

  private static Cli.Run run(Cli cli, String[] prefix, String... args) {
    String[] all = java.util.Arrays.copyOf(prefix, prefix.length + args.length);
    System.arraycopy(args, 0, all, prefix.length, args.length);
    return cli.run(all);
  }
}
