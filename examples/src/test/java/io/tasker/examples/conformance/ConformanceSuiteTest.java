package io.tasker.examples.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tasker.orchestration.TaskRequest;
import io.tasker.template.ContextValidationException;
import io.tasker.testing.EngineHarness;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code shared/conformance/expected.yaml}, end to end with the Java handlers of this
 * module: templates registered from {@code shared/conformance/templates}, a real database, the real
 * orchestrator and worker loops. All tasks are created first and run concurrently; each case then
 * waits for its task and checks state, step states, attempts, error types and results.
 */
class ConformanceSuiteTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static EngineHarness harness;
  private static final Map<String, UUID> tasks = new LinkedHashMap<>();
  private static final Map<String, RuntimeException> creationErrors = new LinkedHashMap<>();
  private static List<JsonNode> cases = List.of();

  private static Path conformanceDir() {
    return Path.of(System.getProperty("tasker.conformance.dir", "../../shared/conformance"));
  }

  @BeforeAll
  static void runEveryCase() throws Exception {
    assumeTrue(Files.isDirectory(conformanceDir()), "shared/conformance is beside the project");
    JsonNode expected = YAML.readTree(conformanceDir().resolve("expected.yaml").toFile());
    List<JsonNode> all = new ArrayList<>();
    expected.get("cases").forEach(all::add);
    cases = all;
    harness = new EngineHarness("conformance");
    harness.handlers().loadServices(ConformanceSuiteTest.class.getClassLoader());
    harness.engine().templates().registerPath(conformanceDir().resolve("templates"), false);
    harness.start(List.of("conformance"));
    for (JsonNode c : cases) {
      String[] key = c.get("template").asText().split("/");
      TaskRequest req =
          TaskRequest.of(key[0], key[1], c.get("context"))
              .withVersion(key[2])
              .withIdempotencyKey("conformance-" + c.get("id").asText() + "-" + UUID.randomUUID());
      try {
        tasks.put(c.get("id").asText(), harness.engine().createTask(req));
      } catch (RuntimeException e) {
        creationErrors.put(c.get("id").asText(), e);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> expectedOutcomes() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c)));
  }

  private static void check(JsonNode c) throws Exception {
    String id = c.get("id").asText();
    if (c.path("rejected").asBoolean(false)) {
      assertThat(tasks).doesNotContainKey(id);
      assertThat(creationErrors.get(id))
          .isInstanceOf(ContextValidationException.class)
          .hasMessageContaining("even_number");
      assertThat(((ContextValidationException) creationErrors.get(id)).problems())
          .anySatisfy(p -> assertThat(p.path()).contains("even_number"));
      return;
    }
    assertThat(creationErrors).doesNotContainKey(id);
    JsonNode doc = harness.runToEnd(tasks.get(id));
    assertThat(doc.get("state").asText())
        .as("%s task state; document:%n%s", id, doc.toPrettyString())
        .isEqualTo(c.get("task_state").asText());
    if (c.has("step_count")) {
      assertThat(doc.get("steps")).as("%s step count", id).hasSize(c.get("step_count").asInt());
    }
    if (c.has("final_step")) {
      JsonNode result = EngineHarness.step(doc, c.get("final_step").asText()).get("result");
      assertThat(result.equals(NUMERIC, c.get("result")))
          .as("%s result %s, expected %s", id, result, c.get("result"))
          .isTrue();
    }
    if (c.has("steps")) {
      for (Map.Entry<String, JsonNode> e : c.get("steps").properties()) {
        JsonNode step = EngineHarness.step(doc, e.getKey());
        JsonNode want = e.getValue();
        String what = id + " step " + e.getKey() + ": " + step;
        if (want.has("state")) {
          assertThat(step.get("state").asText()).as(what).isEqualTo(want.get("state").asText());
        }
        if (want.has("attempts")) {
          assertThat(step.get("attempts").asInt()).as(what).isEqualTo(want.get("attempts").asInt());
        }
        if (want.has("error_type")) {
          assertThat(step.path("error").path("error_type").asText())
              .as(what)
              .isEqualTo(want.get("error_type").asText());
        }
        if (want.has("message_contains")) {
          assertThat(step.path("error").path("message").asText())
              .as(what)
              .contains(want.get("message_contains").asText());
        }
      }
    }
  }

  /** Numbers compare by value (a YAML int and a stored long are the same number). */
  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
      };
}
