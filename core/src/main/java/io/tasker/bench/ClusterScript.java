package io.tasker.bench;

import io.tasker.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/cluster} for one cluster: its state directory ({@code TASKER_CLUSTER_DIR}), its
 * database ({@code DATABASE_URL}), the script's own output appended to {@code cluster.log} there.
 * Shared by the benchmarks that start clusters (soak, scaling curve, FFI rows of compare).
 */
record ClusterScript(Path root, Path dir, DatabaseUrl database) {
  /** Starts {@code scripts/cluster ARGS}; the caller waits as it needs. */
  Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("scripts/cluster").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    pb.environment().put("DATABASE_URL", database.libpqUrl());
    pb.environment().put("TASKER_CLUSTER_DIR", dir.toString());
    return pb.start();
  }

  /** Runs {@code scripts/cluster ARGS} to its end; returns its exit code. */
  int run(String... args) throws IOException, InterruptedException {
    return start(args).waitFor();
  }

  Path log() {
    return dir.resolve("cluster.log");
  }
}
