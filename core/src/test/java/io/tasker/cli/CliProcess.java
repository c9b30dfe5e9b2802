package io.tasker.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The CLI in a JVM of its own (for the long-running commands and their signal handling). */
final class CliProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private int pumpsDone;

  private CliProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out, "cli-stdout");
    pump(process.getErrorStream(), err, "cli-stderr");
  }

  static CliProcess start(Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.tasker.cli.TaskerCli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("TASKER_DEBUG");
    pb.environment().remove("TASKER_LOG_LEVEL");
    pb.environment().putAll(env);
    return new CliProcess(pb.start());
  }

  private void pump(InputStream in, List<String> lines, String name) {
    Thread.ofPlatform()
        .daemon()
        .name(name)
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (this) {
                    lines.add(line);
                    notifyAll();
                  }
                }
              } catch (java.io.IOException e) {
                // the process ended
              } finally {
                synchronized (this) {
                  pumpsDone++;
                  notifyAll();
                }
              }
            });
  }

  /**
   * Waits until a stderr line matches (or the process exits, or {@code max} passes) and returns it;
   * fails with everything printed so far otherwise.
   */
  synchronized String awaitErr(Predicate<String> match, Duration max) throws InterruptedException {
    return await(err, "stderr", match, max);
  }

  /** As {@link #awaitErr} for stdout (its own pipe: a stderr line says nothing about it). */
  synchronized String awaitOut(Predicate<String> match, Duration max) throws InterruptedException {
    return await(out, "stdout", match, max);
  }

  private String await(List<String> lines, String name, Predicate<String> match, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      for (String line : lines) {
        if (match.test(line)) {
          return line;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || pumpsDone == 2) {
        throw new AssertionError("no matching line on " + name + "; the process printed:\n" + this);
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  synchronized List<String> errLines() {
    return List.copyOf(err);
  }

  synchronized List<String> outLines() {
    return List.copyOf(out);
  }

  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  int terminate(Duration max) throws InterruptedException {
    // ProcessHandle, not Process.destroy(): that also closes our ends of the pipes, losing the
    // lines the process prints while it stops
    process.toHandle().destroy();
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not stop within " + max + " after SIGTERM:\n" + this);
    }
    return process.exitValue();
  }

  @Override
  public synchronized String toString() {
    return "--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
