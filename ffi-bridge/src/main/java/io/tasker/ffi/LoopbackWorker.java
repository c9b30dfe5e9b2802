package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepDispatch;
import io.tasker.worker.StepResult;
import java.nio.charset.StandardCharsets;
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
  private static final String MARKER = "@@event_id@@";

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
    // one encoded event with the id spliced in per dispatch: the producers' own cost stays out of
    // the measurement of the ABI (a real worker's cost is its database round trips)
    StepDispatch d =
        new StepDispatch(null, "1.0.0", CALLABLE, timeout, Instant.now().plus(timeout));
    String text = new String(StepEvents.encode(MARKER, ctx, d), StandardCharsets.UTF_8);
    int at = text.indexOf(MARKER);
    byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] tail = text.substring(at + MARKER.length()).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < concurrency; i++) {
      producers.submit(() -> produce(head, tail));
    }
  }

  private void produce(byte[] head, byte[] tail) {
    String prefix = "loopback-" + id.substring(0, 8) + "-";
    while (!stopping) {
      String eventId = prefix + sequence.incrementAndGet();
      byte[] idBytes = eventId.getBytes(StandardCharsets.US_ASCII);
      byte[] event = new byte[head.length + idBytes.length + tail.length];
      System.arraycopy(head, 0, event, 0, head.length);
      System.arraycopy(idBytes, 0, event, head.length, idBytes.length);
      System.arraycopy(tail, 0, event, head.length + idBytes.length, tail.length);
      try {
        // loopback events never expire: nothing fails them
        StepResult r = channel.dispatch(eventId, event, Long.MAX_VALUE);
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
