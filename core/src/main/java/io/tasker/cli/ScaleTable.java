package io.tasker.cli;

import io.tasker.bench.ScaleReport;
import java.io.PrintWriter;
import java.util.Map;

/** The human-readable tables of {@code tasker bench scale}. */
final class ScaleTable {
  private ScaleTable() {}

  static void print(PrintWriter out, ScaleReport r, String server) {
    var m = r.machine();
    var s = r.settings();
    out.printf(
        "bench scale on %s, PostgreSQL %s, %d CPUs, load average %.1f before, %.1f after;"
            + " %d s%n",
        server,
        m.postgresVersion(),
        m.cpus(),
        m.loadAverageBefore(),
        m.loadAverageAfter(),
        r.seconds());
    out.printf(
        "no-op tasks of 4 steps (%s, alternated); every point: warm-up, then %d s measured from"
            + " the database%n",
        String.join(", ", s.shapes()), s.window().toSeconds());
    out.printf(
        "%nsteps/s by cluster, %d tasks in flight (cpu: cores used by orchestrators / workers /"
            + " postgres / load generator)%n",
        s.matrixInFlight());
    header(out, "orch", "workers");
    for (var p : r.points(ScaleReport.Series.CLUSTER)) {
      row(out, Integer.toString(p.orchestrators()), Integer.toString(p.workers()), p);
    }
    out.printf(
        "%nlatency by tasks in flight, %d orchestrator(s) + %d worker(s)%n",
        s.seriesOrchestrators(), s.seriesWorkers());
    header(out, "in flight", "mean");
    for (var p : r.points(ScaleReport.Series.IN_FLIGHT)) {
      row(
          out,
          Integer.toString(p.inFlight()),
          String.format(java.util.Locale.ROOT, "%.0f", p.meanInFlight()),
          p);
    }
  }

  private static void header(PrintWriter out, String first, String second) {
    out.printf(
        "%-9s %7s %8s %12s %9s %9s %9s %8s  %-19s%n",
        first,
        second,
        "steps/s",
        "commits/step",
        "p50",
        "p95",
        "p99",
        "finished",
        "cpu o/w/pg/load");
  }

  private static void row(PrintWriter out, String first, String second, ScaleReport.Point p) {
    var l = p.latency();
    out.printf(
        "%-9s %7s %8.0f %12.2f %9s %9s %9s %8d  %-19s%s%n",
        first,
        second,
        p.stepsPerSecond(),
        p.commitsPerStep(),
        ms(l.tasks(), l.p50Ms()),
        ms(l.tasks(), l.p95Ms()),
        ms(l.tasks(), l.p99Ms()),
        l.tasks(),
        cpu(p.cpuCores()),
        p.steady() ? "" : "  not steady");
  }

  private static String ms(long tasks, double value) {
    if (tasks == 0) {
      return "-";
    }
    return value >= 10_000
        ? String.format(java.util.Locale.ROOT, "%.1fs", value / 1000)
        : String.format(java.util.Locale.ROOT, "%.1fms", value);
  }

  private static String cpu(Map<String, Double> cores) {
    return String.join(
        "/",
        cores.values().stream().map(c -> String.format(java.util.Locale.ROOT, "%.2f", c)).toList());
  }
}
