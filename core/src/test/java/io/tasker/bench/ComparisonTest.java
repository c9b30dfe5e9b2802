package io.tasker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tasker bench compare} below the CLI: real engines on the test PostgreSQL server. */
class ComparisonTest {
  private static final CompareWorkload TINY = new CompareWorkload(4, 1, 12, 3);

  @Test
  void taskerWithJavaHandlersIsMeasuredOnAFreshDatabaseThatIsDroppedAfterwards() throws Exception {
    List<String> log = new ArrayList<>();
    Comparison.Report report =
        Comparison.run(
            TestDatabases.server(),
            List.of(new TaskerJavaEngine(TestDatabases.testHome())),
            TINY,
            log::add);

    JsonNode doc = report.toJson();
    assertThat(doc.path("benchmark").asText()).isEqualTo("compare");
    assertThat(doc.path("machine").path("postgres").asText()).matches("\\d+(\\.\\d+)?.*");
    assertThat(doc.path("machine").path("cpus").asInt()).isPositive();
    assertThat(doc.path("workload").path("throughput_tasks").asInt()).isEqualTo(12);
    JsonNode engine = doc.path("engines").get(0);
    assertThat(engine.path("engine").asText()).isEqualTo("tasker (Java handlers)");
    assertThat(engine.has("error")).as(engine.toString()).isFalse();
    assertThat(engine.path("version").asText()).isNotBlank();
    JsonNode results = engine.path("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("shape").asText()).isEqualTo("linear");
    assertThat(results.get(1).path("shape").asText()).isEqualTo("diamond");
    for (JsonNode r : results) {
      assertThat(r.path("steps").asInt()).isEqualTo(4);
      assertThat(r.path("latency_tasks").asInt()).isEqualTo(4);
      assertThat(r.path("in_flight").asInt()).isEqualTo(3);
      assertThat(r.path("p50_ms").asDouble()).isPositive();
      assertThat(r.path("p95_ms").asDouble()).isGreaterThanOrEqualTo(r.path("p50_ms").asDouble());
      assertThat(r.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(r.path("p95_ms").asDouble());
      assertThat(r.path("steps_per_s").asDouble()).isPositive();
      // every step commits at least its own result: a count below one means the reading is wrong
      assertThat(r.path("commits_per_step").asDouble()).isGreaterThanOrEqualTo(1.0);
    }
    assertThat(log).anyMatch(l -> l.startsWith("tasker (Java handlers): fresh database"));
    assertThat(databaseExists(BenchDatabases.name("tasker"))).isFalse();
  }

  @Test
  void aPeerThatCannotRunIsReportedAndTheOthersStillRun(@TempDir Path empty) {
    List<String> log = new ArrayList<>();
    Comparison.Report report =
        Comparison.run(
            TestDatabases.server(),
            List.of(PeerHarness.graphile(empty, log::add), PeerHarness.dbos(empty, log::add)),
            TINY,
            log::add);

    assertThat(report.engines()).hasSize(2).allMatch(e -> e instanceof EngineOutcome.Failed);
    JsonNode first = report.toJson().path("engines").get(0);
    assertThat(first.path("engine").asText()).isEqualTo("graphile-worker");
    assertThat(first.path("error").asText()).contains("no harness at " + empty.resolve("graphile"));
    assertThat(log).anyMatch(l -> l.startsWith("DBOS Transact Java: FAILED: no harness at"));
  }

  @Test
  void aHarnessLineIsReadAndBadOutputNamesWhatIsMissing() {
    String line =
        "{\"engine\":\"x\",\"version\":\"1.0\",\"runtime\":\"node 20\",\"settings\":{\"poll\":10},"
            + "\"results\":[{\"shape\":\"linear\",\"steps\":4,\"latency_tasks\":5,\"p50_ms\":1.5,"
            + "\"p95_ms\":2,\"p99_ms\":3,\"throughput_tasks\":10,\"in_flight\":2,"
            + "\"steps_per_s\":100.5,\"commits_per_step\":2.25}]}";
    EngineOutcome.Measured m = PeerHarness.parse("peer", line);
    assertThat(m.version()).isEqualTo("1.0");
    assertThat(m.settings()).containsEntry("poll", 10);
    assertThat(m.results().getFirst())
        .isEqualTo(new EngineOutcome.ShapeResult("linear", 4, 5, 1.5, 2, 3, 10, 2, 100.5, 2.25));

    assertThatThrownBy(() -> PeerHarness.parse("peer", "{\"results\":[]}"))
        .isInstanceOf(TaskerException.class)
        .hasMessageContaining("printed no results");
    assertThatThrownBy(
            () -> PeerHarness.parse("peer", line.replace("\"p95_ms\":2,", "\"p95_ms\":\"2\",")))
        .hasMessageContaining("lacks number field 'p95_ms'");
    assertThatThrownBy(() -> PeerHarness.parse("peer", "not json"))
        .hasMessageContaining("the harness output is not valid JSON");
  }

  @Test
  void aWorkloadOfNothingIsRefused() {
    assertThatThrownBy(() -> new CompareWorkload(0, 0, 10, 1))
        .isInstanceOf(TaskerException.class)
        .hasMessageContaining("--tasks, --throughput-tasks and --in-flight >= 1");
  }

  /**
   * The peers for real: installs them on first use (Maven Central, npm), so it runs only when
   * asked: {@code ./mvnw -pl core test -Dtest=ComparisonTest -Dtasker.bench.peers=true}.
   */
  @Test
  void peerHarnessesRunAndReportWhenAskedFor() {
    Assumptions.assumeTrue(
        Boolean.getBoolean("tasker.bench.peers"), "peer smoke run needs -Dtasker.bench.peers=true");
    Path peers = Path.of("..", "benchmarks", "peers").toAbsolutePath().normalize();
    assertThat(Files.isDirectory(peers)).isTrue();
    List<String> log = new ArrayList<>();
    Comparison.Report report =
        Comparison.run(
            TestDatabases.server(),
            List.of(PeerHarness.dbos(peers, log::add), PeerHarness.graphile(peers, log::add)),
            TINY,
            log::add);
    assertThat(report.engines())
        .as(String.join("\n", log))
        .allMatch(e -> e instanceof EngineOutcome.Measured);
    for (EngineOutcome e : report.engines()) {
      for (var r : ((EngineOutcome.Measured) e).results()) {
        assertThat(r.p50Ms()).isPositive();
        assertThat(r.stepsPerSecond()).isPositive();
        assertThat(r.commitsPerStep()).isGreaterThanOrEqualTo(1.0);
      }
    }
  }

  private static boolean databaseExists(String name) throws SQLException {
    try (var c = Database.connect(TestDatabases.server());
        var st = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
      st.setString(1, name);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
