package io.tasker.examples.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.examples.CliLauncher;
import io.tasker.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasker bench scale} as an operator runs it: the CLI in its own JVM starting clusters of
 * real processes ({@code scripts/cluster}) on the test PostgreSQL server, with tiny numbers. Checks
 * the shape of the result and that no cluster process outlives the run, also when the run is
 * stopped with SIGTERM (Ctrl-C). Numbers are not asserted beyond "work was done".
 */
class ScaleCurveProcessTest {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(8);
  private static final Pattern WORK_DIR = Pattern.compile("cluster logs in (\\S+)");

  @TempDir Path temp;
  private Path cli;
  private Path root;

  /** {@code TASKER_CLI} for scripts/cluster: the built CLI jar, so the test never builds. */
  @BeforeEach
  void wrapper() throws IOException {
    CliLauncher launcher = CliLauncher.in(temp);
    cli = launcher.script();
    root = launcher.root();
  }

  private Process scale(Path stdout, Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(cli.toString(), "bench", "scale"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.environment().put("DATABASE_URL", TestDatabases.server().libpqUrl());
    pb.environment().put("TASKER_HOME", temp.resolve("home").toString());
    pb.environment().put("TASKER_ROOT", root.toString());
    pb.environment().put("TASKER_CLI", cli.toString());
    return pb.start();
  }

  @Test
  void aQuickCurveMeasuresEveryPointAndLeavesNoProcessBehind() throws Exception {
    Path out = temp.resolve("out");
    Path err = temp.resolve("err");
    Process p =
        scale(
            out,
            err,
            "--quick",
            "--orchestrators",
            "1,2",
            "--workers",
            "1",
            "--cluster-in-flight",
            "10",
            "--in-flight",
            "10,50",
            "--in-flight-cluster",
            "1x1",
            "--seconds",
            "2",
            "--json");
    boolean ended = p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    String log = Files.readString(err);
    assertThat(ended).as("bench scale ended within %s:%n%s", RUN_LIMIT, log).isTrue();
    assertThat(p.exitValue()).as(log).isZero();

    List<String> lines = Files.readAllLines(out);
    assertThat(lines).as("--json prints only the document").hasSize(1);
    JsonNode doc = Json.parse(lines.getFirst(), "bench scale output");
    assertThat(doc.path("benchmark").asText()).isEqualTo("scale");
    assertThat(doc.path("machine").path("cpus").asInt()).isPositive();
    assertThat(doc.path("machine").path("postgres").asText()).isNotBlank();

    List<String> points = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    for (JsonNode point : doc.path("points")) {
      points.add(
          point.path("series").asText()
              + " "
              + point.path("orchestrators").asInt()
              + "+"
              + point.path("workers").asInt()
              + " @"
              + point.path("in_flight").asInt());
      assertThat(point.path("steps_per_s").asDouble()).as(point.toString()).isPositive();
      assertThat(point.path("commits_per_step").asDouble()).as(point.toString()).isPositive();
      assertThat(point.path("processes"))
          .as(point.toString())
          .hasSize(point.path("orchestrators").asInt() + point.path("workers").asInt());
      point.path("processes").forEach(proc -> pids.add(proc.path("pid").asLong()));
    }
    assertThat(points)
        .containsExactly(
            "cluster 1+1 @10", "cluster 2+1 @10", "in_flight 1+1 @10", "in_flight 1+1 @50");
    assertThat(log).contains("processes ready").contains("scale: 1+1, 50 in flight:");
    assertThat(pids).isNotEmpty().noneMatch(ScaleCurveProcessTest::alive);
  }

  @Test
  void sigtermInTheMiddleOfAPointTearsTheClusterDown() throws Exception {
    Path out = temp.resolve("out");
    Path err = temp.resolve("err");
    Process p =
        scale(
            out,
            err,
            "--orchestrators",
            "1",
            "--workers",
            "2",
            "--cluster-in-flight",
            "10",
            "--seconds",
            "600");
    List<Long> pids = awaitReadyCluster(p, err);
    assertThat(pids).hasSize(3).allMatch(ScaleCurveProcessTest::alive);

    p.destroy(); // SIGTERM, as Ctrl-C would: the shutdown hook runs scripts/cluster down
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(err)).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (pids.stream().anyMatch(ScaleCurveProcessTest::alive) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(pids).as("cluster processes after SIGTERM").noneMatch(ScaleCurveProcessTest::alive);
  }

  /** The pids of the first cluster, once the run says it is ready. */
  private static List<Long> awaitReadyCluster(Process p, Path err) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      String log = Files.readString(err);
      Matcher work = WORK_DIR.matcher(log);
      if (work.find() && log.contains("processes ready")) {
        Path dir = Path.of(work.group(1)).resolve("cluster-o1_w2");
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
            pids.add(Long.parseLong(Files.readString(f).strip()));
          }
        }
        return pids;
      }
      assertThat(p.isAlive()).as("bench scale ended early:%n%s", log).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("no cluster ready in 3 minutes:\n" + Files.readString(err));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
