package io.tasker.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.Json;
import io.tasker.worker.StepResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionsTest {
  private static List<Completions.Completion> parse(String json) {
    return Completions.parse(Documents.parse(json.getBytes(StandardCharsets.UTF_8), "completion"));
  }

  private static void invalidAt(String json, String path) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            AbiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(Status.INVALID);
              assertThat(e.path()).isEqualTo(path);
            });
  }

  @Test
  void aSuccessCarriesItsResult() {
    var c =
        parse(
                "{\"event_id\":\"e\",\"result\":{\"success\":true,\"status\":\"completed\","
                    + "\"result\":{\"value\":36},\"metadata\":{\"execution_time_ms\":1.5}}}")
            .getFirst();
    assertThat(c.eventId()).isEqualTo("e");
    assertThat(c.result()).isEqualTo(StepResult.success(Json.object().put("value", 36)));
  }

  @Test
  void aFailureKeepsRetryableAndTheBackoffHint() {
    var c =
        parse(
                "{\"event_id\":\"e\",\"result\":{\"success\":false,\"status\":\"failed\","
                    + "\"result\":null,\"error\":{\"message\":\"slow down\",\"error_type\":"
                    + "\"rate_limited\",\"retryable\":true,\"backtrace\":[\"a\"],\"status_code\":"
                    + "429,\"context\":{}},\"backoff_hint\":{\"delay_seconds\":2.5,\"reason\":"
                    + "\"rate\"}}}")
            .getFirst();
    assertThat(c.result())
        .isEqualTo(
            new StepResult.Failure(
                "slow down", "rate_limited", true, java.util.Optional.of(Duration.ofMillis(2500))));
  }

  @Test
  void everyMismatchNamesItsPath() {
    invalidAt("{\"event_id\":\"e\"}", "$.result");
    invalidAt("{\"event_id\":\"e\",\"result\":[]}", "$.result");
    invalidAt("{\"event_id\":\"\",\"result\":{}}", "$.event_id");
    invalidAt("{\"event_id\":\"e\",\"result\":{},\"x\":1}", "$.x");
    invalidAt(
        "{\"event_id\":\"e\",\"result\":{\"success\":true,\"status\":\"completed\",\"error\":"
            + "{\"message\":\"m\",\"error_type\":\"t\",\"retryable\":false}}}",
        "$.result.error");
    invalidAt(
        "{\"event_id\":\"e\",\"result\":{\"success\":false,\"status\":\"failed\",\"error\":"
            + "{\"message\":\"m\",\"error_type\":\"t\",\"retryable\":false,\"status_code\":1.5}}}",
        "$.result.error.status_code");
    invalidAt(
        "{\"event_id\":\"e\",\"result\":{\"success\":false,\"status\":\"failed\",\"error\":"
            + "{\"message\":\"m\",\"error_type\":\"t\",\"retryable\":false,\"context\":[]}}}",
        "$.result.error.context");
    invalidAt(
        "{\"event_id\":\"e\",\"result\":{\"success\":true,\"status\":\"completed\","
            + "\"backoff_hint\":{\"delay_seconds\":1}}}",
        "$.result.backoff_hint");
    invalidAt("[{\"event_id\":\"e\",\"result\":{}}, 3]", "$[0].result.success");
    invalidAt("[3]", "$[0]");
    invalidAt("\"text\"", "$");
  }

  @Test
  void aCheckpointNeedsCursorAndItemsProcessed() {
    var c =
        Completions.checkpoint(
            Documents.parse(
                "{\"event_id\":\"e\",\"cursor\":{\"page\":3},\"items_processed\":30}"
                    .getBytes(StandardCharsets.UTF_8),
                "checkpoint"));
    assertThat(c.result()).isInstanceOf(StepResult.CheckpointYield.class);
    StepResult.CheckpointYield y = (StepResult.CheckpointYield) c.result();
    assertThat(y.itemsProcessed()).isEqualTo(30);
    assertThat(y.cursor().get("page").asInt()).isEqualTo(3);
    assertThat(y.accumulatedResults().isNull()).isTrue();
  }

  @Test
  void malformedJsonSaysWhere() {
    assertThatThrownBy(
            () -> Documents.parse("{\"a\": [1,".getBytes(StandardCharsets.UTF_8), "completion"))
        .isInstanceOf(AbiException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Documents.utf8(new byte[] {(byte) 0xff}, "request"))
        .hasMessageContaining("UTF-8");
  }
}
