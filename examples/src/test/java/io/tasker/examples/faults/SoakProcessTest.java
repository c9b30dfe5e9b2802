package io.tasker.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.examples.CliLauncher;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasker bench soak} as an operator runs it, with tiny numbers: a real cluster (2
 * orchestrators, a Java worker), processes SIGKILLed and restarted while tasks run, then the audit.
 * The full-size run (10,000 tasks, three languages) is {@code ./scripts/tasker reliability}.
 */
class SoakProcessTest {
  @TempDir Path temp;

  @Test
  void aSmallSoakWithKillsEndsWithACleanAuditAndExitZero() throws Exception {
    CliLauncher cli = CliLauncher.in(temp);
    Path out = temp.resolve("out");
    Path err = temp.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(
                cli.script().toString(),
                "bench",
                "soak",
                "--tasks",
                "40",
                "--in-flight",
                "10",
                "--workers",
                "java:1",
                "--handlers",
                "java=" + System.getProperty("tasker.handlers.dir"),
                "--kill-every",
                "4",
                "--minutes",
                "6",
                "--json")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("DATABASE_URL", TestDatabases.server().libpqUrl());
    pb.environment().put("TASKER_HOME", temp.resolve("home").toString());
    pb.environment().put("TASKER_ROOT", cli.root().toString());
    pb.environment().put("TASKER_CLI", cli.script().toString());
    Process p = pb.start();

    boolean ended = p.waitFor(8, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String log = Files.readString(err);
    assertThat(ended).as("bench soak ended within its limit:%n%s", log).isTrue();
    assertThat(p.exitValue()).as(log).isZero();

    List<String> lines = Files.readAllLines(out);
    JsonNode doc = Json.parse(lines.getLast(), "bench soak output");
    assertThat(doc.path("passed").asBoolean()).as(doc.toString()).isTrue();
    assertThat(doc.path("tasks_created").asInt()).isEqualTo(40);
    assertThat(doc.path("steps").asInt()).isEqualTo(160);
    assertThat(doc.path("processes_killed").asInt()).as(log).isPositive();
    doc.path("audit").forEach(count -> assertThat(count.asLong()).as(doc.toString()).isZero());
    assertThat(log).contains("(SIGKILL)");
  }
}
