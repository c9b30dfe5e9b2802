package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tasker bench compare} through the real CLI, tasker's part on the test server. */
class BenchCompareCommandTest {
  private static TestDatabase db;
  private static Cli cli;

  @BeforeAll
  static void open() {
    db = TestDatabases.create("bench_compare_cli");
    cli = new Cli(db);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void taskerAlonePrintsATableAndTheJsonDocument() {
    Cli.Run r =
        cli.run(
            "bench",
            "compare",
            "--engines",
            "tasker",
            "--tasks",
            "3",
            "--warmup",
            "0",
            "--throughput-tasks",
            "8",
            "--in-flight",
            "2");

    assertThat(r.exit()).as(r.toString()).isZero();
    List<String> lines = r.out().strip().lines().toList();
    assertThat(lines.getFirst()).startsWith("bench compare on ").contains("load average");
    assertThat(lines)
        .anyMatch(l -> l.matches("tasker \\(Java handlers\\) +linear +.*ms.*"))
        .anyMatch(l -> l.matches("tasker \\(Java handlers\\) +diamond +.*ms.*"));
    JsonNode doc = Json.parse(lines.getLast(), "last line");
    assertThat(doc.path("benchmark").asText()).isEqualTo("compare");
    assertThat(doc.path("workload").path("latency_tasks").asInt()).isEqualTo(3);
    assertThat(doc.path("engines")).hasSize(1);
    assertThat(doc.path("engines").get(0).path("results")).hasSize(2);
    assertThat(r.err()).contains("tasker (Java handlers): fresh database");
  }

  @Test
  void badFfiLanguageListsAreUsageErrors() {
    Cli.Run unknown = cli.run("bench", "compare", "--tasker-ffi", "cobol");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown language 'cobol' (python, ruby, typescript)");

    Cli.Run twice = cli.run("bench", "compare", "--tasker-ffi", "python,PYTHON");
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("--tasker-ffi must name each language at most once");

    Cli.Run withoutTasker =
        cli.run("bench", "compare", "--engines", "dbos", "--tasker-ffi", "ruby");
    assertThat(withoutTasker.exit()).isEqualTo(2);
    assertThat(withoutTasker.err()).contains("keep tasker in --engines");

    // the test JVM is not started by scripts/tasker: no TASKER_ROOT, so no scripts/cluster
    Cli.Run noLauncher = cli.run("bench", "compare", "--engines", "tasker", "--tasker-ffi", "ruby");
    assertThat(noLauncher.exit()).isEqualTo(2);
    assertThat(noLauncher.err()).contains("run it through ./scripts/tasker");
  }

  @Test
  void badEngineListsAndWorkloadsAreUsageErrors() {
    Cli.Run twice = cli.run("bench", "compare", "--engines", "tasker,tasker");
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("--engines must name each engine at most once");

    Cli.Run unknown = cli.run("bench", "compare", "--engines", "temporal");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("temporal").contains("tasker, dbos, graphile");

    Cli.Run zero = cli.run("bench", "compare", "--engines", "tasker", "--in-flight", "0");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("--in-flight >= 1");

    Cli.Run noPeers =
        cli.run("bench", "compare", "--engines", "dbos", "--peers-dir", "/nonexistent/peers");
    assertThat(noPeers.exit()).isEqualTo(2);
    assertThat(noPeers.err()).contains("--peers-dir /nonexistent/peers has no dbos/ and graphile/");
  }
}
