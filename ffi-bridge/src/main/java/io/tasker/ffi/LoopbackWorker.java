package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepDispatch;
import io.tasker.worker.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A worker without a database, for measuring the ABI itself ({@code "loopback": {...}} in the
 * worker configuration): {@code concurrency} producers keep the channel full of step events of
 * callable {@code loopback.echo} whose task context carries a payload of the requested size;
 * completions are validated and applied exactly like a real worker's, then counted and dropped.
 */
final class LoopbackWorker implements HostWorker {
  static final String CALLABLE = "loopback.echo";

  private final String id = UUID.randomUUID().toString();
  private final FfiDispatchChannel channel;
  private final ExecutorService producers = Executors.newVirtualThreadPerTaskExecutor();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicLong sequence = new AtomicLong();
  private final int payloadBytes;
  private volatile boolean stopping;

  LoopbackWorker(int concurrency, int payloadBytes, Duration timeout) {
    this.channel = new FfiDispatchChannel(concurrency);
    this.payloadBytes = payloadBytes;
    ObjectNode context = Json.object().put("payload", "x".repeat(payloadBytes));
    StepContext ctx =
        new StepContext(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "loopback",
            "loopback",
            "echo",
            context,
            Json.object(),
            Map.of(),
            Json.object(),
            Optional.empty(),
            1,
            1);
    for (int i = 0; i < concurrency; i++) {
      producers.submit(() -> produce(ctx, timeout));
    }
  }

  private void produce(StepContext ctx, Duration timeout) {
    while (!stopping) {
      String eventId = "loopback-" + id.substring(0, 8) + "-" + sequence.incrementAndGet();
      StepDispatch d =
          new StepDispatch(null, "1.0.0", CALLABLE, timeout, Instant.now().plus(timeout));
      try {
        StepResult r = channel.dispatch(eventId, StepEvents.encode(eventId, ctx, d));
        (r instanceof StepResult.Success ? succeeded : failed).increment();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public FfiDispatchChannel channel() {
    return channel;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode d = Json.object().put("worker_id", id);
    d.putArray("namespaces").add("loopback");
    d.putArray("handlers").add(CALLABLE);
    d.putObject("loopback")
        .put("payload_bytes", payloadBytes)
        .put("succeeded", succeeded.sum())
        .put("failed", failed.sum());
    return d;
  }

  @Override
  public void stop(Duration grace) {
    stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (channel.open() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
    producers.shutdownNow();
    try {
      producers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
