package io.tasker.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs each case of the C test driver ({@code native/tests}) in its own process against a fresh
 * database: every function and error code, the deadline path, backpressure, many threads, the
 * shutdown order. A case exits non-zero and prints {@code FAIL ...} lines when a check fails.
 */
class AbiDriverTest {
  private static NativeDriver.Run run(Map<String, String> env, String... args) throws Exception {
    try (TestDatabase db = TestDatabases.create("abi_driver")) {
      NativeDriver.Run r = NativeDriver.run(db.database().url().libpqUrl(), env, args);
      assertThat(r.output()).as("tasker_test %s", String.join(" ", args)).doesNotContain("FAIL");
      assertThat(r.exitCode()).as(r.output()).isZero();
      return r;
    }
  }

  private static String abiTestTemplates() throws Exception {
    return Path.of(AbiDriverTest.class.getResource("/abi_test").toURI()).toString();
  }

  private static String conformanceTemplates() {
    return NativeDriver.conformanceTemplates().toString();
  }

  @Test
  void misuseOfEveryKindIsAnErrorCodeNeverACrash() throws Exception {
    run(Map.of(), "misuse");
  }

  @Test
  void withoutAJvmInitSaysEveryPlaceItLooked() throws Exception {
    var r =
        run(
            Map.of("JAVA_HOME", "", "TASKER_LIBJVM", "/no/such/libjvm.so", "PATH", "/nonexistent"),
            "no_jvm");
    assertThat(r.output()).contains("/no/such/libjvm.so").contains("/no/such/jdk");
  }

  @Test
  void aWorkflowCreatedAndAwaitedThroughTheClientRunsOnCHandlers() throws Exception {
    run(Map.of(), "workflow", conformanceTemplates(), abiTestTemplates());
  }

  @Test
  void aLateCompletionIsRejectedAndTheStepIsRetried() throws Exception {
    run(Map.of(), "deadline", abiTestTemplates());
  }

  @Test
  void aFullChannelStopsClaimingAndDropsNothing() throws Exception {
    run(Map.of(), "backpressure", abiTestTemplates());
  }

  @Test
  void fourThreadsPollAndCompleteConcurrently() throws Exception {
    var r = run(Map.of(), "threads", conformanceTemplates(), "4", "10000");
    assertThat(r.output()).contains("threads: 4 x 10000 loopback round trips");
  }

  @Test
  void shutdownOrderWithCallsInFlight() throws Exception {
    run(Map.of(), "shutdown_order", abiTestTemplates());
  }
}
