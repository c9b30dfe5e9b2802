package io.tasker.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.worker.StepResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FfiDispatchChannelTest {
  private static byte[] event(String id) {
    return ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode polled(FfiDispatchChannel c, int max, long timeoutMs) throws Exception {
    return Json.MAPPER.readTree(c.poll(max, timeoutMs));
  }

  @Test
  void aCompletionReachesTheWaitingWorkerOnce() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(2);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StepResult> waiting = ex.submit(() -> c.dispatch("e1", event("e1"), Long.MAX_VALUE));
      JsonNode events = polled(c, 10, 5000);
      assertThat(events).hasSize(1);
      assertThat(events.get(0).get("event_id").asText()).isEqualTo("e1");
      StepResult ok = StepResult.success(Json.object().put("v", 1));
      assertThat(c.complete("e1", ok)).isEqualTo(FfiDispatchChannel.Outcome.COMPLETED);
      assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(ok);
      assertThat(c.complete("e1", ok)).isEqualTo(FfiDispatchChannel.Outcome.ALREADY_COMPLETED);
      assertThat(c.complete("never", ok)).isEqualTo(FfiDispatchChannel.Outcome.UNKNOWN);
      assertThat(c.metrics().get("completed").asLong()).isEqualTo(1);
      assertThat(c.metrics().get("rejected").asLong()).isEqualTo(2);
    }
  }

  @Test
  void anInterruptedWaitExpiresTheEventAndItsLateCompletionIsRejected() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(2);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    c.dispatch("late", event("late"), Long.MAX_VALUE);
                    thrown.complete(null);
                  } catch (Throwable t) {
                    thrown.complete(t);
                  }
                });
    assertThat(polled(c, 1, 5000)).hasSize(1);
    // the worker's deadline fires: StepOutcomes cancels the handler's future (an interrupt)
    worker.interrupt();
    assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(c.complete("late", StepResult.success(Json.object())))
        .isEqualTo(FfiDispatchChannel.Outcome.EXPIRED);
    assertThat(c.metrics().get("expired").asLong()).isEqualTo(1);
    assertThat(c.open()).isZero();
  }

  @Test
  void aCompletionAfterTheEventsDeadlineIsRefusedAsExpired() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(1);
    long deadline = System.currentTimeMillis() + 50;
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    c.dispatch("d", event("d"), deadline);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    assertThat(polled(c, 1, 5000)).hasSize(1);
    while (System.currentTimeMillis() <= deadline) {
      Thread.sleep(5);
    }
    assertThat(c.complete("d", StepResult.success(Json.object())))
        .isEqualTo(FfiDispatchChannel.Outcome.EXPIRED);
    worker.interrupt();
    worker.join(5000);
  }

  @Test
  void anEventThatExpiresWhileQueuedIsNeverPolled() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(2);
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    c.dispatch("queued", event("queued"), Long.MAX_VALUE);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    while (c.open() == 0) {
      Thread.sleep(1);
    }
    worker.interrupt();
    worker.join(5000);
    assertThat(polled(c, 5, 50)).isEmpty();
  }

  @Test
  void pollWaitsAtMostItsTimeoutAndReturnsAnEmptyArray() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(1);
    long t0 = System.nanoTime();
    assertThat(polled(c, 5, 100)).isEmpty();
    assertThat(polled(c, 5, 0)).isEmpty();
    // bounded: a generous upper bound, not a timing assertion on speed
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
  }

  @Test
  void pollTakesUpToMaxInOneArray() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(5);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 5; i++) {
        String id = "b" + i;
        ex.submit(() -> c.dispatch(id, event(id), Long.MAX_VALUE));
      }
      while (c.metrics().get("queued").asInt() < 5) {
        Thread.sleep(1);
      }
      assertThat(polled(c, 3, 1000)).hasSize(3);
      assertThat(polled(c, 3, 1000)).hasSize(2);
      for (int i = 0; i < 5; i++) {
        c.complete("b" + i, StepResult.success(Json.object()));
      }
    }
  }

  @Test
  void closingFailsOpenEventsAsRetryableShutdown() throws Exception {
    FfiDispatchChannel c = new FfiDispatchChannel(1);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StepResult> waiting =
          ex.submit(() -> c.dispatch("open", event("open"), Long.MAX_VALUE));
      while (c.open() == 0) {
        Thread.sleep(1);
      }
      c.close();
      StepResult r = waiting.get(5, TimeUnit.SECONDS);
      assertThat(r).isInstanceOf(StepResult.Failure.class);
      StepResult.Failure f = (StepResult.Failure) r;
      assertThat(f.errorType()).isEqualTo("worker_shutdown");
      assertThat(f.retryable()).isTrue();
      assertThat(c.complete("open", StepResult.success(Json.object())))
          .isEqualTo(FfiDispatchChannel.Outcome.EXPIRED);
      assertThat(c.dispatch("after", event("after"), Long.MAX_VALUE))
          .isInstanceOf(StepResult.Failure.class);
    }
  }
}
