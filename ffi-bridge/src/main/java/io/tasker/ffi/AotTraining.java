package io.tasker.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the AOT cache built at package time ({@code make aot}): it goes through what
 * {@code tasker_init} and a worker's first calls do — installing the upcall table, calling the
 * stubs from native code, validating configurations and completions, the channel — so those classes
 * come from the cache, already loaded and linked, when a host boots the JVM.
 */
@SuppressWarnings("restricted")
public final class AotTraining {
  private static final int ROUND_TRIPS = 2_000;

  private AotTraining() {}

  public static void main(String[] args) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MemorySegment malloc = linker.defaultLookup().find("malloc").orElseThrow();
    MethodHandle free =
        linker.downcallHandle(
            linker.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    int slots = AbiFunction.values().length;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment table = arena.allocate(ValueLayout.ADDRESS, slots);
      if (Bootstrap.install(table.address(), slots, false, malloc.address()) != 0) {
        throw new IllegalStateException("bootstrap failed in the training run");
      }
      MemorySegment out = arena.allocate(NativeBuffers.BUF_SIZE);
      JsonNode info =
          call(linker, table, AbiFunction.INIT, arena, "{\"log_level\":\"warn\"}", out, free);
      call(
          linker,
          table,
          AbiFunction.WORKER_START,
          arena,
          "{\"loopback\":{\"payload_bytes\":200},\"concurrency\":4}",
          out,
          free);
      MethodHandle poll =
          linker.downcallHandle(
              table.getAtIndex(ValueLayout.ADDRESS, AbiFunction.POLL.ordinal()),
              AbiFunction.POLL.descriptor());
      for (int i = 0; i < ROUND_TRIPS; i++) {
        int rc = (int) poll.invokeExact(1, 1000, out);
        JsonNode events = take(out, free);
        if (rc != 0) {
          throw new IllegalStateException("poll failed in the training run: " + events);
        }
        for (JsonNode e : events) {
          String done =
              "{\"event_id\":\""
                  + e.get("event_id").asText()
                  + "\",\"result\":{\"success\":true,\"status\":\"completed\","
                  + "\"result\":{\"n\":1},\"metadata\":{\"execution_time_ms\":0.1}}}";
          call(linker, table, AbiFunction.COMPLETE, arena, done, out, free);
        }
      }
      call(linker, table, AbiFunction.CLIENT, arena, "{\"op\":\"nope\"}", out, free);
      MethodHandle stop =
          linker.downcallHandle(
              table.getAtIndex(ValueLayout.ADDRESS, AbiFunction.WORKER_STOP.ordinal()),
              AbiFunction.WORKER_STOP.descriptor());
      int rc = (int) stop.invokeExact(1000, out);
      take(out, free);
      System.out.println("aot training: " + ROUND_TRIPS + " round trips, rc " + rc + ", " + info);
    }
  }

  private static JsonNode call(
      Linker linker,
      MemorySegment table,
      AbiFunction f,
      Arena arena,
      String json,
      MemorySegment out,
      MethodHandle free)
      throws Throwable {
    MethodHandle h =
        linker.downcallHandle(table.getAtIndex(ValueLayout.ADDRESS, f.ordinal()), f.descriptor());
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
    int rc = (int) h.invokeExact(in, (long) bytes.length, out);
    JsonNode doc = take(out, free);
    if (rc != 0 && f != AbiFunction.CLIENT) {
      throw new IllegalStateException(f + " failed in the training run: " + doc);
    }
    return doc;
  }

  private static JsonNode take(MemorySegment out, MethodHandle free) throws Throwable {
    MemorySegment ptr = out.get(ValueLayout.ADDRESS, 0);
    long len = out.get(ValueLayout.JAVA_LONG, 8);
    JsonNode doc = Json.MAPPER.readTree(ptr.reinterpret(len).toArray(ValueLayout.JAVA_BYTE));
    free.invokeExact(ptr);
    out.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
    return doc;
  }
}
