package io.tasker.examples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real tasker CLI process ({@code java -jar tasker-core-*-all.jar ...}), as an operator would
 * start it, with its output in a log file under {@code target/fault-logs}.
 */
final class TaskerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private TaskerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static TaskerProcess start(String name, String databaseUrl, Path home, String... args)
      throws IOException {
    String jar = System.getProperty("tasker.cli.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("tasker.cli.jar does not name the CLI jar: " + jar);
    }
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("no java"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar));
    cmd.addAll(List.of(args));
    Path logs = Path.of("target", "fault-logs");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + "-" + System.nanoTime() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DATABASE_URL", databaseUrl);
    pb.environment().put("TASKER_HOME", home.toString());
    return new TaskerProcess(name, pb.start(), log);
  }

  /** kill -9: no shutdown hook, no graceful stop, as when a machine dies. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The log so far (for assertion messages). */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits until the log contains {@code text} (the process is ready), or fails. */
  void awaitLog(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (log().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited (" + process.exitValue() + "):\n" + log());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        name + " did not log '" + text + "' in " + timeout + ":\n" + log());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: graceful
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
