package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.worker.StepResult;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded hand-over between the worker (which claims steps and waits for their results) and the
 * host (which polls events and completes them). Capacity is the worker's concurrency, so a channel
 * full of unfinished events means the worker claims nothing more: backpressure, never a drop.
 *
 * <p>Deadlines are the worker's: it interrupts a handler whose step passed its deadline and fails
 * the step as retryable {@code timeout}; {@link #dispatch} then marks the event expired, so a late
 * completion is rejected with {@link Status#EXPIRED}. Completed and expired ids are remembered
 * (bounded) to tell a double or late completion from an unknown event.
 */
final class FfiDispatchChannel {
  /** How many finished event ids are remembered to classify late and double completions. */
  static final int REMEMBERED_IDS = 65_536;

  private static final int QUEUED = 0;
  private static final int POLLED = 1;
  private static final int COMPLETED = 2;
  private static final int EXPIRED = 3;

  /** One dispatched event, waiting for its completion. */
  private static final class Pending {
    final String eventId;
    final byte[] json;
    final long createdNanos = System.nanoTime();
    final AtomicInteger state = new AtomicInteger(QUEUED);
    final CompletableFuture<StepResult> result = new CompletableFuture<>();

    Pending(String eventId, byte[] json) {
      this.eventId = eventId;
      this.json = json;
    }
  }

  private final int capacity;
  private final ArrayBlockingQueue<Pending> ready;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final RecentIds completedIds = new RecentIds(REMEMBERED_IDS);
  private final RecentIds expiredIds = new RecentIds(REMEMBERED_IDS);
  private final LongAdder dispatched = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder pollWaitNanos = new LongAdder();
  private volatile boolean closed;

  FfiDispatchChannel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.ready = new ArrayBlockingQueue<>(capacity);
  }

  int capacity() {
    return capacity;
  }

  /**
   * Worker side: offers the event and waits for its completion. Interrupted (the step's deadline
   * passed, or the worker stops): the event expires and the interrupt propagates.
   */
  StepResult dispatch(String eventId, byte[] json) throws InterruptedException {
    if (closed) {
      return StepResult.failure("the FFI worker is stopping", "worker_shutdown", true);
    }
    Pending p = new Pending(eventId, json);
    pending.put(eventId, p);
    dispatched.increment();
    try {
      // never blocks in practice: the worker runs at most `capacity` handlers at once
      ready.put(p);
      return p.result.get();
    } catch (InterruptedException e) {
      expire(p);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("completion future failed", e.getCause());
    }
  }

  private void expire(Pending p) {
    int s = p.state.get();
    while (s == QUEUED || s == POLLED) {
      if (p.state.compareAndSet(s, EXPIRED)) {
        expiredIds.add(p.eventId);
        pending.remove(p.eventId);
        ready.remove(p);
        expired.increment();
        return;
      }
      s = p.state.get();
    }
  }

  /**
   * Host side: up to {@code max} events as one JSON array, waiting at most {@code timeoutMs} for
   * the first.
   */
  byte[] poll(int max, long timeoutMs) throws InterruptedException {
    List<Pending> taken = new ArrayList<>(Math.min(max, capacity));
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (taken.isEmpty()) {
      long left = deadline - System.nanoTime();
      Pending first = left > 0 ? ready.poll(left, TimeUnit.NANOSECONDS) : ready.poll();
      if (first == null) {
        break;
      }
      take(first, taken);
      List<Pending> more = new ArrayList<>();
      ready.drainTo(more, max - taken.size());
      for (Pending p : more) {
        take(p, taken);
      }
    }
    pollWaitNanos.add(System.nanoTime() - start);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + taken.size() * 1024);
    out.write('[');
    for (int i = 0; i < taken.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(taken.get(i).json);
    }
    out.write(']');
    return out.toByteArray();
  }

  private static void take(Pending p, List<Pending> into) {
    // an event that expired while queued is skipped: its step was already failed as timeout
    if (p.state.compareAndSet(QUEUED, POLLED)) {
      into.add(p);
    }
  }

  /** The outcome of one completion attempt. */
  enum Outcome {
    COMPLETED(Status.OK, "completed"),
    UNKNOWN(Status.UNKNOWN_EVENT, "no event with this id was dispatched by this worker"),
    EXPIRED(
        Status.EXPIRED,
        "the event passed its deadline and its step was failed as a retryable timeout; this late"
            + " completion is not applied"),
    ALREADY_COMPLETED(Status.ALREADY_COMPLETED, "the event was already completed");

    final Status status;
    final String message;

    Outcome(Status status, String message) {
      this.status = status;
      this.message = message;
    }
  }

  /** Host side: hands {@code result} to the worker waiting for {@code eventId}. */
  Outcome complete(String eventId, StepResult result) {
    Pending p = pending.get(eventId);
    if (p == null) {
      return rejectedAs(eventId);
    }
    int s = p.state.get();
    while (s == QUEUED || s == POLLED) {
      if (p.state.compareAndSet(s, COMPLETED)) {
        // remember before forgetting, so a concurrent double completion is never "unknown"
        completedIds.add(eventId);
        pending.remove(eventId);
        ready.remove(p);
        completed.increment();
        p.result.complete(result);
        return Outcome.COMPLETED;
      }
      s = p.state.get();
    }
    rejected.increment();
    return s == EXPIRED ? Outcome.EXPIRED : Outcome.ALREADY_COMPLETED;
  }

  private Outcome rejectedAs(String eventId) {
    rejected.increment();
    if (completedIds.contains(eventId)) {
      return Outcome.ALREADY_COMPLETED;
    }
    return expiredIds.contains(eventId) ? Outcome.EXPIRED : Outcome.UNKNOWN;
  }

  /**
   * Stops accepting events and fails every open one as retryable {@code worker_shutdown}, so the
   * worker reports them now and another dispatch retries them.
   */
  void close() {
    closed = true;
    for (Pending p : List.copyOf(pending.values())) {
      int s = p.state.get();
      if ((s == QUEUED || s == POLLED) && p.state.compareAndSet(s, EXPIRED)) {
        expiredIds.add(p.eventId);
        pending.remove(p.eventId);
        expired.increment();
        p.result.complete(
            StepResult.failure(
                "the FFI worker stopped before the host completed this event",
                "worker_shutdown",
                true));
      }
    }
    ready.clear();
  }

  /** Events dispatched and not yet completed or expired. */
  int open() {
    return pending.size();
  }

  ObjectNode metrics() {
    long now = System.nanoTime();
    long oldest = 0;
    for (Pending p : pending.values()) {
      oldest = Math.max(oldest, now - p.createdNanos);
    }
    return Json.object()
        .put("capacity", capacity)
        .put("queued", ready.size())
        .put("pending", pending.size())
        .put("oldest_pending_ms", TimeUnit.NANOSECONDS.toMillis(oldest))
        .put("dispatched", dispatched.sum())
        .put("completed", completed.sum())
        .put("expired", expired.sum())
        .put("rejected", rejected.sum())
        .put("poll_wait_ms", TimeUnit.NANOSECONDS.toMillis(pollWaitNanos.sum()));
  }

  /** A bounded set of recent ids (oldest forgotten first). */
  private static final class RecentIds {
    private final Map<String, Boolean> ids;

    RecentIds(int max) {
      this.ids =
          new LinkedHashMap<>(1024, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > max;
            }
          };
    }

    synchronized void add(String id) {
      ids.put(id, Boolean.TRUE);
    }

    synchronized boolean contains(String id) {
      return ids.containsKey(id);
    }
  }
}
