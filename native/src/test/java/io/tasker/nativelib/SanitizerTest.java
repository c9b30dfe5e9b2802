package io.tasker.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The C driver built with AddressSanitizer ({@code make asan}): no invalid access, no bad or double
 * free, and no leaked output buffer. The JVM's own memory is suppressed ({@code tests/lsan.supp});
 * a deliberately leaked buffer must still be reported.
 */
class SanitizerTest {
  private static NativeDriver.Run runAsan(Map<String, String> extra, String... args)
      throws Exception {
    Map<String, String> env = new HashMap<>(extra);
    env.put(
        "ASAN_OPTIONS",
        // the JVM handles its own SIGSEGVs (implicit null checks, safepoint polls)
        "handle_segv=0:allow_user_segv_handler=1:use_sigaltstack=0:detect_leaks=1");
    Path supp = Path.of(System.getProperty("tasker.native.src", "src")).resolveSibling("tests");
    // JVM thread stacks and TLS hold guard pages the leak scanner cannot read
    env.put(
        "LSAN_OPTIONS",
        "use_stacks=0:use_tls=0:use_registers=0:suppressions=" + supp.resolve("lsan.supp"));
    try (TestDatabase db = TestDatabases.create("abi_asan")) {
      return NativeDriver.run(
          NativeDriver.nativeDir().resolve("asan").resolve("tasker_test"),
          db.database().url().libpqUrl(),
          env,
          args);
    }
  }

  @Test
  void misuseRunsCleanUnderAddressSanitizer() throws Exception {
    NativeDriver.Run r = runAsan(Map.of(), "misuse");
    assertThat(r.output()).doesNotContain("ERROR: AddressSanitizer").doesNotContain("FAIL");
    assertThat(r.output()).doesNotContain("ERROR: LeakSanitizer");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void shutdownOrderRunsCleanUnderAddressSanitizer() throws Exception {
    Path abiTest = Path.of(SanitizerTest.class.getResource("/abi_test").toURI());
    NativeDriver.Run r = runAsan(Map.of(), "shutdown_order", abiTest.toString());
    assertThat(r.output()).doesNotContain("ERROR: AddressSanitizer").doesNotContain("FAIL");
    assertThat(r.output()).doesNotContain("ERROR: LeakSanitizer");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void aLeakedOutputBufferIsReported() throws Exception {
    NativeDriver.Run r = runAsan(Map.of("TASKER_TEST_LEAK_ONE", "1"), "misuse");
    assertThat(r.output()).contains("ERROR: LeakSanitizer: detected memory leaks");
    assertThat(r.output()).contains("Direct leak of 17 byte(s) in 1 object(s)");
    assertThat(r.exitCode()).isNotZero();
  }
}
