package io.tasker.bindings.python;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a CPython that can run the suite (pytest + PyYAML): {@code -Dtasker.python}, then these.
 */
final class Pythons {
  static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3", "python");

  private Pythons() {}

  static Optional<String> withPytest() {
    String explicit = System.getProperty("tasker.python");
    List<String> tried = explicit != null ? List.of(explicit) : CANDIDATES;
    return tried.stream().filter(Pythons::canRunSuite).findFirst();
  }

  private static boolean canRunSuite(String python) {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import pytest, yaml")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
