package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.client.ClientOps;
import io.tasker.client.ErrorKind;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the body of one upcall and turns every outcome into a status code plus an output document:
 * no exception ever leaves an upcall (one escaping would kill the host process).
 */
final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  /** The body of an upcall: its result document, or an exception. */
  @FunctionalInterface
  interface Body {
    byte[] run() throws Exception;
  }

  private Calls() {}

  static int run(MemorySegment out, Body body) {
    try {
      Thread t = Thread.currentThread();
      if (t.getContextClassLoader() == null) {
        // host threads attached by an upcall have none; JDBC, Flyway and logback look it up
        t.setContextClassLoader(Calls.class.getClassLoader());
      }
      byte[] result = body.run();
      if (result != null) {
        NativeBuffers.write(out, result);
      }
      return Status.OK.code();
    } catch (Throwable t) {
      return fail(out, t);
    }
  }

  /** Like {@link #run}, for bodies that produce their own status and document. */
  static int runReply(MemorySegment out, ReplyBody body) {
    try {
      ClientOps.Reply reply = body.run();
      NativeBuffers.write(out, reply.json().getBytes(StandardCharsets.UTF_8));
      return reply.status();
    } catch (Throwable t) {
      return fail(out, t);
    }
  }

  /** A body that answers with a status and a document ({@code tasker_client}). */
  @FunctionalInterface
  interface ReplyBody {
    ClientOps.Reply run() throws Exception;
  }

  /** Writes the error document for {@code t} (when {@code out} is given) and returns its code. */
  static int fail(MemorySegment out, Throwable t) {
    try {
      if (t instanceof AbiException e) {
        NativeBuffers.write(out, Json.MAPPER.writeValueAsBytes(errorDocument(e)));
        return e.status().code();
      }
      // the core's failures are classified once, for REST, the CLI and the ABI alike
      ErrorKind kind = ErrorKind.of(t);
      if (kind == ErrorKind.INTERNAL) {
        LOG.error("internal error in an ABI call", t);
      }
      NativeBuffers.write(out, Json.MAPPER.writeValueAsBytes(ClientOps.errorDocument(t)));
      return kind.abiStatus();
    } catch (Throwable nested) {
      return Status.INTERNAL.code();
    }
  }

  static ObjectNode errorDocument(AbiException e) {
    ObjectNode err =
        Json.object()
            .put("code", e.status().code())
            .put("type", e.status().cName())
            .put("reason", e.code())
            .put("message", e.getMessage());
    if (e.path() != null) {
      err.put("path", e.path());
    }
    ObjectNode doc = Json.object();
    doc.set("error", err);
    return doc;
  }
}
