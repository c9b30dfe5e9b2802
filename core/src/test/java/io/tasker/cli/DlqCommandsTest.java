package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.orchestration.DeadLetters;
import io.tasker.testing.EngineHarness;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code tasker dlq list|show|resolve|stats} on a task the staleness sweep moved to the DLQ. */
class DlqCommandsTest {
  @Test
  void listShowResolveAndStats() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (EngineHarness h = new EngineHarness("cli_dlq")) {
      h.handler("t.hang", EngineHarness.holdUntil(started, release))
          .register(
              """
              name: hangs
              namespace_name: clidlq
              version: 1.0.0
              steps:
                - name: hang
                  handler: {callable: t.hang}
              """)
          .start(List.of("clidlq"));
      UUID task = h.create("clidlq", "hangs", "{}");
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      h.backdateTask(task, "2 hours");
      assertThat(new DeadLetters(h.engine(), DeadLetters.Limits.defaults()).sweep(10)).isEqualTo(1);

      Cli cli = new Cli(h.db());
      Cli.Run list = cli.run("dlq", "list", "--json");
      assertThat(list.exit()).as(list.toString()).isZero();
      JsonNode entries = Json.parse(list.out(), "dlq list").get("entries");
      assertThat(entries).hasSize(1);
      String entry = entries.get(0).get("dlq_entry_uuid").asText();
      assertThat(entries.get(0).get("task_uuid").asText()).isEqualTo(task.toString());

      Cli.Run table = cli.run("dlq", "list");
      assertThat(table.out())
          .contains("ENTRY")
          .contains("steps_in_process")
          .contains("staleness_timeout");

      Cli.Run show = cli.run("dlq", "show", entry);
      assertThat(show.exit()).as(show.toString()).isZero();
      assertThat(show.out()).contains("stuck in steps_in_process").contains("hang");

      Cli.Run bad = cli.run("dlq", "resolve", entry, "--status", "fixed", "--notes", "x");
      assertThat(bad.exit()).isEqualTo(2);
      assertThat(bad.err()).contains("--status must be");

      Cli.Run resolved =
          cli.run("dlq", "resolve", entry, "--notes", "upstream restarted", "--by", "ops");
      assertThat(resolved.exit()).as(resolved.toString()).isZero();
      assertThat(resolved.out()).contains("manually_resolved").contains(task.toString());

      Cli.Run again = cli.run("dlq", "resolve", entry, "--notes", "again");
      assertThat(again.exit()).isEqualTo(2);
      assertThat(again.err()).contains("no open DLQ entry");

      assertThat(cli.run("dlq", "list").out()).contains("no pending DLQ entries");
      assertThat(cli.run("dlq", "stats").out())
          .contains("manually_resolved")
          .contains("staleness_timeout");
      release.countDown();
    }
  }
}
