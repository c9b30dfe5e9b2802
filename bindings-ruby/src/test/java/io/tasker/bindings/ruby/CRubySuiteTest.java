package io.tasker.bindings.ruby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The gem's RSpec suite on CRuby: the same specs, with every conformance case run through the real
 * {@code tasker-rb worker} executable in a child process, the signal specs, and the package spec,
 * which installs the .gem that build-package.sh builds and runs a worker from the installed copy.
 */
class CRubySuiteTest {
  @TestFactory
  Stream<DynamicTest> rspecOnCRuby() throws Exception {
    assumeTrue(
        onPath("ruby") && onPath("rspec"),
        "CRuby + RSpec (.ci/run installs ruby ruby-ffi ruby-rspec)");
    Path gem = buildGem();
    Path report = RubyEnvironment.reportPath("cruby");
    int exitCode;
    try (TestDatabase db = TestDatabases.create("ruby_cruby")) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "rspec", "--format", "progress", "--format", "json", "--out", report.toString())
              .directory(RubyEnvironment.rubyDir().toFile())
              .inheritIO();
      pb.environment().putAll(RubyEnvironment.variables(db));
      pb.environment().put("TASKER_RB_GEM", gem.toString());
      Process rspec = pb.start();
      if (!rspec.waitFor(10, TimeUnit.MINUTES)) {
        rspec.destroyForcibly();
        throw new AssertionError("rspec did not finish within 10 minutes");
      }
      exitCode = rspec.exitValue();
    }
    return RspecReport.read(report).tests("cruby", exitCode);
  }

  private static Path buildGem() throws IOException, InterruptedException {
    Process build =
        new ProcessBuilder(
                List.of(
                    RubyEnvironment.rubyDir().resolve("build-package.sh").toString(),
                    RubyEnvironment.nativeDir().toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(build.getInputStream().readAllBytes()).trim();
    assertThat(build.waitFor()).as("build-package.sh: %s", output).isZero();
    Path gem = Path.of(output.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(gem).as("build-package.sh output: %s", output).exists();
    return gem;
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Path.of(dir, command).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }
}
