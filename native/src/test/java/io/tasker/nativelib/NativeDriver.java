package io.tasker.nativelib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the C test driver ({@code target/tasker_test}) as its own process (it boots a JVM). */
final class NativeDriver {
  /** What a run printed and how it ended. */
  record Run(int exitCode, String output) {}

  private NativeDriver() {}

  static Path nativeDir() {
    return Path.of(System.getProperty("tasker.native.dir", "target")).toAbsolutePath();
  }

  static Path conformanceTemplates() {
    return Path.of(System.getProperty("tasker.conformance.dir", "../../shared/conformance"))
        .resolve("templates")
        .toAbsolutePath();
  }

  static Run run(String databaseUrl, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(nativeDir().resolve("tasker_test").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DATABASE_URL", databaseUrl);
    // the bridge classes as this test JVM has them: target/classes of the reactor modules
    pb.environment()
        .put(
            "TASKER_CLASSPATH",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("TASKER_LIBJVM");
    pb.environment().putAll(env);
    Path log = Files.createTempFile("tasker_test", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tasker_test " + String.join(" ", args) + " hung: " + read(log));
    }
    String out = read(log);
    Files.deleteIfExists(log);
    return new Run(p.exitValue(), out);
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
