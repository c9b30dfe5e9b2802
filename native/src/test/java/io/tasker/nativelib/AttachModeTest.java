package io.tasker.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * In-JVM attach mode (the path JRuby, GraalPy and Javet take): this JVM loads libtasker.so through
 * FFM and drives the ABI; the library finds the running JVM and attaches instead of booting one.
 */
@SuppressWarnings("restricted")
class AttachModeTest {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIB =
      SymbolLookup.libraryLookup(NativeDriver.nativeDir().resolve("libtasker.so"), Arena.global());
  private static final FunctionDescriptor JSON_IN_OUT =
      FunctionDescriptor.of(
          ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);

  private static MethodHandle fn(String name, FunctionDescriptor d) {
    return LINKER.downcallHandle(LIB.find(name).orElseThrow(), d);
  }

  private static final MethodHandle INIT = fn("tasker_init", JSON_IN_OUT);
  private static final MethodHandle WORKER_START = fn("tasker_worker_start", JSON_IN_OUT);
  private static final MethodHandle COMPLETE = fn("tasker_complete", JSON_IN_OUT);
  private static final MethodHandle CLIENT = fn("tasker_client", JSON_IN_OUT);
  private static final MethodHandle POLL =
      fn(
          "tasker_poll",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS));
  private static final MethodHandle WORKER_STOP =
      fn(
          "tasker_worker_stop",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
  private static final MethodHandle BUF_FREE =
      fn("tasker_buf_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  private static final MethodHandle SHUTDOWN =
      fn("tasker_shutdown", FunctionDescriptor.of(ValueLayout.JAVA_INT));
  private static final MethodHandle ABI_VERSION =
      fn("tasker_abi_version", FunctionDescriptor.of(ValueLayout.JAVA_INT));

  /** A status and the output document of one call. */
  record Reply(int status, JsonNode json) {}

  private static Reply call(MethodHandle h, String json) throws Throwable {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment in = a.allocateFrom(json, StandardCharsets.UTF_8);
      MemorySegment out = a.allocate(16);
      int rc = (int) h.invokeExact(in, (long) json.getBytes(StandardCharsets.UTF_8).length, out);
      return new Reply(rc, take(out));
    }
  }

  private static JsonNode take(MemorySegment out) throws Throwable {
    MemorySegment ptr = out.get(ValueLayout.ADDRESS, 0);
    long len = out.get(ValueLayout.JAVA_LONG, 8);
    JsonNode doc =
        ptr.address() == 0
            ? null
            : Json.MAPPER.readTree(ptr.reinterpret(len).toArray(ValueLayout.JAVA_BYTE));
    BUF_FREE.invokeExact(out);
    assertThat(out.get(ValueLayout.ADDRESS, 0).address()).isZero();
    return doc;
  }

  private static Reply poll(int max, int timeoutMs) throws Throwable {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(16);
      int rc = (int) POLL.invokeExact(max, timeoutMs, out);
      return new Reply(rc, take(out));
    }
  }

  @Test
  void attachesToThisJvmAndRunsAWorkflow() throws Throwable {
    assertThat((int) ABI_VERSION.invokeExact()).isEqualTo(1);
    try (TestDatabase db = TestDatabases.create("abi_attach")) {
      Reply init = call(INIT, "{\"database_url\": \"" + db.database().url().libpqUrl() + "\"}");
      assertThat(init.status()).as("%s", init.json()).isZero();
      assertThat(init.json().get("attached").asBoolean()).isTrue();
      assertThat(init.json().get("java_version").asText()).isEqualTo(Runtime.version().toString());

      String templates = NativeDriver.conformanceTemplates().toString();
      Reply start =
          call(
              WORKER_START,
              "{\"templates_dir\": \""
                  + templates
                  + "\", \"handlers\": [\"conformance.square_input\","
                  + " \"conformance.square_parents\"]}");
      assertThat(start.status()).as("%s", start.json()).isZero();

      Reply created =
          call(
              CLIENT,
              "{\"op\": \"task.create\", \"args\": {\"namespace\": \"conformance\","
                  + " \"name\": \"linear_workflow\", \"context\": {\"even_number\": 4}}}");
      assertThat(created.status()).as("%s", created.json()).isZero();
      String task = created.json().get("task_uuid").asText();

      int done = 0;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (done < 4 && System.nanoTime() < deadline) {
        Reply events = poll(8, 500);
        assertThat(events.status()).isZero();
        for (JsonNode e : events.json()) {
          long product = 1;
          boolean first = e.get("callable").asText().equals("conformance.square_input");
          if (first) {
            product = e.get("task_context").get("even_number").asLong();
          } else {
            for (JsonNode parent : e.get("dependency_results")) {
              product *= parent.get("value").asLong();
            }
          }
          String completion =
              "{\"event_id\": \""
                  + e.get("event_id").asText()
                  + "\", \"result\": {\"success\": true, \"status\": \"completed\","
                  + " \"result\": {\"value\": "
                  + (product * product)
                  + "}}}";
          Reply r = call(COMPLETE, completion);
          assertThat(r.status()).as("%s", r.json()).isZero();
          done++;
        }
      }
      Reply finished =
          call(
              CLIENT,
              "{\"op\": \"task.wait\", \"args\": {\"task_uuid\": \""
                  + task
                  + "\", \"timeout_ms\": 20000}}");
      assertThat(finished.json().get("state").asText()).isEqualTo("complete");

      try (Arena a = Arena.ofConfined()) {
        MemorySegment out = a.allocate(16);
        assertThat((int) WORKER_STOP.invokeExact(2000, out)).isZero();
        take(out);
      }
      // attached: shutdown releases the bridge's resources and leaves this JVM running
      assertThat((int) SHUTDOWN.invokeExact()).isZero();
      assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
      assertThat(poll(1, 0).status()).isEqualTo(-2);
    }
  }
}
