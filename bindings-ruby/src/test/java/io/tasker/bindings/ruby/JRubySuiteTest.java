package io.tasker.bindings.ruby;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jruby.embed.LocalContextScope;
import org.jruby.embed.LocalVariableBehavior;
import org.jruby.embed.ScriptingContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The gem's RSpec suite on JRuby inside this JVM: {@code require 'ffi'} loads libtasker.so, which
 * attaches to this JVM (the core and the bridge are on its class path) instead of booting a second
 * one; the worker runs in-process (a child process would be another JVM). Specs tagged {@code
 * :subprocess} (the CLI and signal specs) are CRuby's alone; {@link CRubySuiteTest} runs them.
 */
class JRubySuiteTest {
  @TestFactory
  Stream<DynamicTest> rspecOnJRuby() throws Exception {
    assumeTrue(
        RubyEnvironment.debianRspecInstalled(),
        "RSpec for JRuby comes from Debian's ruby-rspec (.ci/run installs it)");
    Path report = RubyEnvironment.reportPath("jruby");
    int exitCode;
    try (TestDatabase db = TestDatabases.create("ruby_jruby")) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(RubyEnvironment.variables(db));
      env.put("GEM_PATH", RubyEnvironment.DEBIAN_GEMS.toString());
      ScriptingContainer ruby =
          new ScriptingContainer(LocalContextScope.SINGLETHREAD, LocalVariableBehavior.TRANSIENT);
      try {
        ruby.setEnvironment(env);
        ruby.setCurrentDirectory(RubyEnvironment.rubyDir().toString());
        ruby.put("$report", report.toString());
        Object code =
            ruby.runScriptlet(
                """
                require 'rspec/core'
                RSpec::Core::Runner.run(['--format', 'progress', '--format', 'json', '--out', $report,
                                         '--require', 'spec_helper', 'spec'], $stderr, $stdout)
                """);
        exitCode = ((Number) code).intValue();
      } finally {
        ruby.terminate(); // runs at_exit: stops the worker and the core (the JVM stays: not ours)
      }
    }
    return RspecReport.read(report).tests("jruby", exitCode);
  }
}
