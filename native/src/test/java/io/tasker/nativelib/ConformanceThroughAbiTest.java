package io.tasker.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.testing.EngineHarness;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A real conformance workflow, every step run by C handlers through libtasker. */
class ConformanceThroughAbiTest {
  @Test
  void linearWorkflowCompletesThroughTheAbi() throws Exception {
    try (EngineHarness h = new EngineHarness("abi_linear")) {
      h.register(
          Files.readString(NativeDriver.conformanceTemplates().resolve("linear_workflow.yaml")));
      UUID task = h.create("conformance", "linear_workflow", "{\"even_number\": 6}");
      var run =
          NativeDriver.run(h.db().database().url().libpqUrl(), Map.of(), "serve", "-", "4", "1");
      assertThat(run.exitCode()).as(run.output()).isZero();
      JsonNode doc = h.runToEnd(task);
      assertThat(doc.get("state").asText()).as(doc.toPrettyString()).isEqualTo("complete");
      assertThat(EngineHarness.step(doc, "linear_step_4").path("result").path("value").asLong())
          .as(doc.toPrettyString())
          .isEqualTo(2821109907456L);
    }
  }

  @Test
  void batchWorkflowCheckpointsAndCompletesInBatchesThroughTheAbi() throws Exception {
    try (EngineHarness h = new EngineHarness("abi_batch")) {
      h.register(Files.readString(NativeDriver.conformanceTemplates().resolve("batch_sum.yaml")));
      UUID task =
          h.create("conformance", "batch_sum", "{\"item_count\": 1000, \"batch_size\": 200}");
      // plan + 5 workers + total complete; each worker yields 3 checkpoints (every 50 of 200)
      var run =
          NativeDriver.run(h.db().database().url().libpqUrl(), Map.of(), "serve", "-", "7", "32");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("7 events completed, 15 checkpoints");
      JsonNode doc = h.runToEnd(task);
      assertThat(doc.get("state").asText()).as(doc.toPrettyString()).isEqualTo("complete");
      JsonNode total = EngineHarness.step(doc, "total").path("result");
      assertThat(total.path("sum").asLong()).as(doc.toPrettyString()).isEqualTo(499500L);
      assertThat(total.path("items").asLong()).isEqualTo(1000L);
      assertThat(total.path("batches").asLong()).isEqualTo(5L);
    }
  }
}
