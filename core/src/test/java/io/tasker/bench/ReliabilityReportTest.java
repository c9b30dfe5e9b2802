package io.tasker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.TaskerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliabilityReportTest {
  @TempDir Path dir;

  private static final String PAGE =
      """
      # Reliability
      prose before
      <!-- generated: summary -->
      old summary
      <!-- end generated -->
      prose between
      <!-- generated: faults -->
      old faults
      <!-- end generated -->
      <!-- generated: inputs -->
      <!-- end generated -->
      <!-- generated: soak -->
      old soak
      <!-- end generated -->
      prose after
      """;

  private void figures() throws IOException {
    Files.writeString(
        dir.resolve("process_faults.jsonl"),
        """
        {"test":"worker SIGKILLed mid-step","tasks":1,"steps":2,"processes":2,"processes_alive_at_end":1,"steps_run_more_than_once":1,"completed_twice":0,"results_lost":0,"tasks_not_complete":0}
        {"test":"PostgreSQL stopped and restarted under load","tasks":20,"steps":80,"processes":2,"processes_alive_at_end":2,"completed_twice":0,"results_lost":0,"tasks_not_complete":0}
        """);
    Files.writeString(
        dir.resolve("malformed_input.jsonl"),
        """
        {"test":"REST POST /v1/tasks","tried":250,"accepted":3,"refused":247,"server_errors":0,"stored_for_refused":0}
        {"test":"C ABI tasker_client create_task","tried":240,"accepted":2,"refused":238,"server_errors":0,"stored_for_refused":0}
        """);
    Files.writeString(
        dir.resolve("soak.json"),
        "soak: progress lines are skipped\n"
            + "{\"benchmark\":\"soak\",\"passed\":true,\"tasks_created\":10000,\"seconds\":300,"
            + "\"tasks_per_second\":33.3,\"processes_killed\":20,\"orchestrators\":2,"
            + "\"workers\":\"java:1,python:1,ruby:1\",\"steps\":40000,\"transitions\":1,"
            + "\"audit\":{\"steps_completed_twice\":0,\"results_lost\":0,"
            + "\"tasks_not_final\":0,\"tasks_not_complete\":0}}\n");
  }

  @Test
  void fillsEveryGeneratedBlockAndKeepsTheProse() throws IOException {
    figures();
    Path page = dir.resolve("reliability.md");
    Files.writeString(page, PAGE);

    var parts = ReliabilityReport.read(dir, "Run on the test machine.").renderInto(page);

    String out = Files.readString(page);
    assertThat(parts).containsExactly("summary", "faults", "inputs", "soak");
    assertThat(out)
        .contains("prose before", "prose between", "prose after", "Run on the test machine.")
        .doesNotContain("old summary", "old faults", "old soak")
        .contains("| 10,000 tasks (40,000 steps) in 300 s, audit clean | 2 drills + 20 SIGKILLs")
        .contains("| 490 | 0 | 0 | 0 |")
        .contains("| worker SIGKILLed mid-step | 1 | 2 | 2 | 1 | 1 | 0 | 0 | 0 |")
        .contains("| REST POST /v1/tasks | 250 | 3 | 247 | 0 | 0 |")
        .contains(
            "| 10,000 | 40,000 | 300 | 33.3 | 2 orchestrators + java:1,python:1,ruby:1 | 20 |");

    // regenerating is idempotent: the markers stay, the blocks are replaced again
    ReliabilityReport.read(dir, "Run on the test machine.").renderInto(page);
    assertThat(Files.readString(page)).isEqualTo(out);
  }

  @Test
  void aFailedSoakIsShownAsFailed() throws IOException {
    figures();
    Files.writeString(
        dir.resolve("soak.json"),
        "{\"passed\":false,\"tasks_created\":5,\"audit\":{\"results_lost\":1}}\n");
    Path page = dir.resolve("reliability.md");
    Files.writeString(page, PAGE);
    ReliabilityReport.read(dir, "m").renderInto(page);
    assertThat(Files.readString(page)).contains("**audit FAILED**").contains("| FAILED |");
  }

  @Test
  void missingFiguresAndMarkersAreClearErrors() throws IOException {
    assertThatThrownBy(() -> ReliabilityReport.read(dir, "m"))
        .isInstanceOf(TaskerException.class)
        .hasMessageContaining("no soak result at " + dir.resolve("soak.json"));

    figures();
    Path page = dir.resolve("plain.md");
    Files.writeString(page, "# nothing to fill\n");
    assertThatThrownBy(() -> ReliabilityReport.read(dir, "m").renderInto(page))
        .isInstanceOf(TaskerException.class)
        .hasMessageContaining("has no <!-- generated: NAME --> blocks");
  }
}
