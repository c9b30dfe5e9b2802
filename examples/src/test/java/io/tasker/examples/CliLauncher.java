package io.tasker.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The built CLI jar as an executable ({@code TASKER_CLI} for scripts/cluster), so process tests run
 * the commands operators run without building anything: {@code tasker.cli.jar} is set by the pom to
 * core's package output.
 */
public record CliLauncher(Path script, Path root) {
  /** Writes {@code dir/tasker} running the CLI jar with this JVM's java. */
  public static CliLauncher in(Path dir) throws IOException {
    Path jar = Path.of(System.getProperty("tasker.cli.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the CLI jar (core's package phase) is missing: " + jar);
    }
    Path root = jar.getParent().getParent().getParent(); // <root>/core/target/tasker-core-*-all.jar
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path script = dir.resolve("tasker");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -jar '" + jar + "' \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new CliLauncher(script, root);
  }
}
