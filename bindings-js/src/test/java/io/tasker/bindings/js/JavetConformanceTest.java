package io.tasker.bindings.js;

import static org.assertj.core.api.Assertions.assertThat;

import com.caoccao.javet.enums.V8AwaitMode;
import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The TypeScript conformance suite inside this JVM, on Javet (Node mode): the bundled suite
 * (build/javet/suite.js) requires the Node-API addon, which loads the same libtasker.so; the
 * library attaches to this JVM (the bridge classes are on the test class path) instead of booting
 * one. Javet's native library is unpacked into a directory of this run and deleted afterwards.
 *
 * <p>The worker and the client share one runtime here, so their blocking calls (polls, task.wait)
 * run side by side on the addon's own threads, never on libuv's four-thread pool (where 16 waits
 * starved the polls: the suite used to hang). {@code -Dtasker.javet=false} skips the suite.
 */
@DisabledIfSystemProperty(named = "tasker.javet", matches = "false")
class JavetConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(3);
  private static JsonNode report;

  @BeforeAll
  static void runSuiteOnJavet() throws Exception {
    Path bindings = Path.of(System.getProperty("tasker.bindings.dir", ".")).toAbsolutePath();
    Path bundle = bindings.resolve("build/javet/suite.js");
    Path library = Path.of(System.getProperty("tasker.library")).toAbsolutePath();
    Path conformance = Path.of(System.getProperty("tasker.conformance.dir")).toAbsolutePath();
    assertThat(bundle).as("run npm run bundle:javet first").exists();
    assertThat(library).as("libtasker.so (built by the native module)").exists();

    Path javetLibs = JavetLibrary.unpack(bindings.resolve("target"));
    try (TestDatabase db = TestDatabases.create("javet_ts")) {
      String url = TestDatabases.server().withDatabase(db.name()).libpqUrl();
      String config =
          JSON.writeValueAsString(
              java.util.Map.of(
                  "library", library.toString(),
                  "classpath", List.of(),
                  "conformanceDir", conformance.toString(),
                  "databaseUrl", url));
      try (NodeRuntime node = V8Host.getNodeInstance().createV8Runtime()) {
        // Javet's System.load keeps napi_* local; the addon needs them global (DESIGN.md §8)
        JavetLibrary.promoteToGlobal(javetLibs);
        node.getGlobalObject().setString("taskerJavetConfig", config);
        node.getExecutor(bundle).executeVoid();
        Instant deadline = Instant.now().plus(SUITE_TIMEOUT);
        while (!node.getGlobalObject().has("taskerJavetReport")) {
          assertThat(Instant.now()).as("the Javet suite finished in time").isBefore(deadline);
          node.await(V8AwaitMode.RunOnce);
        }
        report = JSON.readTree(node.getGlobalObject().getString("taskerJavetReport"));
        node.lowMemoryNotification();
      }
    } finally {
      JavetLibrary.delete(javetLibs);
    }
    assertThat(report.has("fatal")).as("suite error: %s", report.path("fatal").asText()).isFalse();
  }

  @AfterAll
  static void unpackedLibraryIsGone() {
    assertThat(JavetLibrary.leftovers()).isEmpty();
  }

  @Test
  void libtaskerAttachedToThisJvm() {
    assertThat(report.get("attached").asBoolean()).isTrue();
    assertThat(report.get("javaVersion").asText()).isEqualTo(Runtime.version().toString());
  }

  @TestFactory
  Stream<DynamicTest> everyConformanceCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : report.get("cases")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.get("id").asText(),
              () -> assertThat(c.get("problems")).as(c.get("id").asText()).isEmpty()));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(16);
    return tests.stream();
  }
}
