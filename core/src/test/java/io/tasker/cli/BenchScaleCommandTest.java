package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tasker bench scale}: bad options are usage errors that say what is wrong before anything
 * starts. (The curve itself, with real clusters, is run by ScaleCurveProcessTest in examples.)
 */
class BenchScaleCommandTest {
  private static TestDatabase db;
  private static Cli cli;

  @BeforeAll
  static void open() {
    db = TestDatabases.create("bench_scale_cli");
    cli = new Cli(db);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private Cli.Run scale(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "scale";
    System.arraycopy(args, 0, all, 2, args.length);
    return cli.run(all);
  }

  private static void assertUsage(Cli.Run r, String... fragments) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    for (String f : fragments) {
      assertThat(r.err()).as(r.toString()).contains(f);
    }
    assertThat(r.out()).as("nothing measured").doesNotContain("\"benchmark\"");
  }

  @Test
  void aListThatIsNotNumbersNamesTheOptionAndTheBadPart() {
    assertUsage(
        scale("--orchestrators", "1,two"),
        "--orchestrators takes a comma list of whole numbers such as 1,2,4",
        "'two' is not a number");
    assertUsage(scale("--workers", "1,,2"), "--workers takes a comma list", "'' is not a number");
    assertUsage(scale("--in-flight", "10;100"), "--in-flight takes a comma list");
  }

  @Test
  void zeroNegativeTooLargeAndRepeatedCountsAreRefused() {
    assertUsage(scale("--workers", "0,1"), "--workers: 0 is out of range", "1..16");
    assertUsage(scale("--orchestrators", "-1"), "--orchestrators: -1 is out of range");
    assertUsage(scale("--in-flight", "10,1000000"), "--in-flight: 1000000 is out of range");
    assertUsage(scale("--in-flight", "10,10"), "--in-flight lists a number twice: [10, 10]");
    assertUsage(scale("--cluster-in-flight", "0"), "--cluster-in-flight: 0 is out of range");
    assertUsage(scale("--seconds", "0"), "--seconds must be 1..3600 (got 0)");
  }

  @Test
  void anUnknownShapeListsTheKnownOnes() {
    assertUsage(
        scale("--shapes", "linear,spiral"),
        "--shapes: unknown shape 'spiral'",
        "linear, diamond, tree, mixed_dag");
  }

  @Test
  void theLatencyCurvesClusterIsOrchestratorsByWorkers() {
    assertUsage(
        scale("--in-flight-cluster", "2by4"),
        "--in-flight-cluster takes ORCHESTRATORSxWORKERS such as 2x4 (got '2by4')");
    assertUsage(
        scale("--in-flight-cluster", "0x4"),
        "--in-flight-cluster orchestrators: 0 is out of range");
  }
}
