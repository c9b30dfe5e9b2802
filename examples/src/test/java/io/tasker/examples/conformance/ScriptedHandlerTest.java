package io.tasker.examples.conformance;

import static io.tasker.examples.Contexts.json;
import static io.tasker.examples.Contexts.step;
import static io.tasker.examples.Results.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.examples.Contexts;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptedHandlerTest {
  private final ScriptedHandler handler = new ScriptedHandler();

  private static Contexts mode(String mode) {
    return step().withTask("{'mode': '" + mode + "'}");
  }

  @Test
  void succeedsOnTheThirdAttempt() throws Exception {
    var retryable = new StepResult.Failure("not yet", "transient", true, Optional.empty());
    assertThat(handler.call(mode("succeed_on_third_attempt").withAttempts(1).build()))
        .isEqualTo(retryable);
    assertThat(handler.call(mode("succeed_on_third_attempt").withAttempts(2).build()))
        .isEqualTo(retryable);
    assertThat(success(handler, mode("succeed_on_third_attempt").withAttempts(3)))
        .isEqualTo(json("{'value': 3}"));
  }

  @Test
  void permanentFailureThrowsPermanentError() {
    assertThatThrownBy(() -> handler.call(mode("permanent_failure").build()))
        .isInstanceOf(PermanentError.class)
        .hasMessageContaining("scripted permanent failure");
  }

  @Test
  void alwaysRetryableFailsRetryablyOnEveryAttempt() throws Exception {
    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(handler.call(mode("always_retryable").withAttempts(attempt).build()))
          .isEqualTo(
              new StepResult.Failure(
                  "scripted retryable failure", "transient", true, Optional.empty()));
    }
  }

  @Test
  void raiseExceptionThrowsAPlainException() {
    assertThatThrownBy(() -> handler.call(mode("raise_exception").build()))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("scripted exception");
  }

  @Test
  void sleepPastTimeoutBlocks() {
    // an interrupted thread makes the sleep throw at once: proof it sleeps, without waiting 5 s
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> handler.call(mode("sleep_past_timeout").build()))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void unknownModeIsNamed() {
    assertThatThrownBy(() -> handler.call(mode("dance").build()))
        .isInstanceOf(PermanentError.class)
        .hasMessageContaining("dance");
  }
}
