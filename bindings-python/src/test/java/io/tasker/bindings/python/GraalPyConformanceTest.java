package io.tasker.bindings.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code shared/conformance/expected.yaml} with the Python handlers, worker and
 * client running on GraalPy inside this JVM. The Python code loads the same libtasker.so with
 * ctypes; the library attaches to this JVM instead of booting one. One context for the whole suite:
 * GraalPy's C API (which ctypes needs) loads once per process.
 */
class GraalPyConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static TestDatabase db;
  private static Context context;
  private static JsonNode report;
  private static final List<JsonNode> cases = new ArrayList<>();

  private static Path property(String name) {
    return Path.of(System.getProperty(name, "")).toAbsolutePath();
  }

  @BeforeAll
  static void runSuiteOnGraalPy() throws Exception {
    Path library = property("tasker.library");
    Path conformance = property("tasker.conformance.dir");
    Path binding = property("tasker.binding.dir");
    assumeTrue(Files.isRegularFile(library), "libtasker.so is built: " + library);
    assumeTrue(Files.isDirectory(conformance), "shared/conformance is beside the project");
    YAML.readTree(conformance.resolve("expected.yaml").toFile()).get("cases").forEach(cases::add);

    db = TestDatabases.create("graalpy");
    context =
        Context.newBuilder("python")
            .allowAllAccess(true)
            .allowNativeAccess(true)
            .allowCreateThread(true)
            .allowIO(IOAccess.ALL)
            .environment("TASKER_LIBRARY", library.toString())
            .option("python.PythonPath", binding.resolve("src") + ":" + binding.resolve("tests"))
            .build();
    Value run = context.eval("python", "import graalpy_suite\ngraalpy_suite.run");
    String json =
        run.execute(
                JSON.writeValueAsString(cases),
                conformance.resolve("templates").toString(),
                binding.resolve("tests/handlers").toString(),
                db.database().url().libpqUrl())
            .asString();
    report = JSON.readTree(json);
  }

  @AfterAll
  static void close() {
    if (context != null) {
      context.close(true);
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void ranOnGraalPyAttachedToThisJvm() {
    assertThat(report.get("implementation").asText()).isEqualTo("graalpy");
    assertThat(report.path("init").path("attached").asBoolean())
        .as("libtasker attached to the running JVM: %s", report.get("init"))
        .isTrue();
    assertThat(report.path("stats").path("dispatched").asInt()).isPositive();
  }

  @TestFactory
  Stream<DynamicTest> expectedOutcomes() {
    return cases.stream()
        .map(
            c -> {
              String id = c.get("id").asText();
              return DynamicTest.dynamicTest(
                  id,
                  () -> {
                    JsonNode problems = report.path("cases").path(id);
                    assertThat(problems.isArray()).as("case %s was run: %s", id, report).isTrue();
                    assertThat(problems).as("problems of case %s", id).isEmpty();
                  });
            });
  }
}
