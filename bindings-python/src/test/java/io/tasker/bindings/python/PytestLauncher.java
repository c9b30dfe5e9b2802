package io.tasker.bindings.python;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the CPython suite ({@code python -m pytest tests/}) in the {@code integration-test} phase
 * against a fresh database of the project's test server, with the native library and the shaded
 * bridge jar built by this reactor. Exits with pytest's exit code.
 *
 * <p>Arguments: binding dir, libtasker.so, bridge jar, AOT cache (may not exist), conformance dir.
 */
public final class PytestLauncher {
  private PytestLauncher() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 5) {
      System.err.println(
          "usage: PytestLauncher BINDING_DIR LIBTASKER BRIDGE_JAR AOT_CACHE CONFORMANCE_DIR");
      System.exit(2);
    }
    Path binding = Path.of(args[0]);
    Optional<String> python = Pythons.withPytest();
    if (python.isEmpty()) {
      String message =
          "pytest: no Python with pytest and PyYAML found (tried "
              + String.join(", ", Pythons.CANDIDATES)
              + "); install python3-pytest and python3-yaml";
      if ("true".equals(System.getenv("CI"))) {
        System.err.println(message);
        System.exit(1);
      }
      System.out.println(message + " — CPython suite skipped");
      System.exit(0);
    }
    int code;
    try (TestDatabase db = TestDatabases.create("pytest")) {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(python.get(), "-m", "pytest", "-p", "no:cacheprovider", "-q", "-ra", "tests"));
      ProcessBuilder pb = new ProcessBuilder(command).directory(binding.toFile()).inheritIO();
      Map<String, String> env = pb.environment();
      env.put("DATABASE_URL", db.database().url().libpqUrl());
      env.put("TASKER_LIBRARY", args[1]);
      env.put("TASKER_CLASSPATH", args[2]);
      if (Files.isRegularFile(Path.of(args[3]))) {
        env.put("TASKER_AOT_CACHE", args[3]);
      }
      env.put("TASKER_CONFORMANCE_DIR", args[4]);
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.remove("PYTHONPATH");
      System.out.println("pytest: " + python.get() + " on database " + db.name());
      code = pb.start().waitFor();
    }
    System.exit(code);
  }
}
