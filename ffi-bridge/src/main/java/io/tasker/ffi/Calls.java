package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.db.DatabaseException;
import io.tasker.orchestration.DuplicateTaskException;
import io.tasker.template.ContextValidationException;
import io.tasker.template.TemplateException;
import java.lang.foreign.MemorySegment;
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

  /** Writes the error document for {@code t} (when {@code out} is given) and returns its code. */
  static int fail(MemorySegment out, Throwable t) {
    try {
      AbiException e = toAbi(t);
      if (e.status() == Status.INTERNAL) {
        LOG.error("internal error in an ABI call", t);
      }
      NativeBuffers.write(out, Json.MAPPER.writeValueAsBytes(errorDocument(e)));
      return e.status().code();
    } catch (Throwable nested) {
      return Status.INTERNAL.code();
    }
  }

  static ObjectNode errorDocument(AbiException e) {
    ObjectNode err =
        Json.object()
            .put("code", e.status().code())
            .put("type", e.status().cName())
            .put("message", e.getMessage());
    if (e.path() != null) {
      err.put("path", e.path());
    }
    ObjectNode doc = Json.object();
    doc.set("error", err);
    return doc;
  }

  /** The ABI status for any exception the core may throw. */
  static AbiException toAbi(Throwable t) {
    return switch (t) {
      case AbiException a -> a;
      case DuplicateTaskException d -> new AbiException(Status.CONFLICT, d.getMessage());
      case ContextValidationException c -> new AbiException(Status.INVALID, c.getMessage());
      case DatabaseException d
          when d.code().equals("invalid_database_url") || d.code().equals("invalid_config") ->
          new AbiException(Status.INVALID, d.getMessage());
      case DatabaseException d -> new AbiException(Status.UNAVAILABLE, d.getMessage());
      case TemplateException te when te.code().endsWith("not_found") ->
          new AbiException(Status.NOT_FOUND, te.getMessage());
      case TemplateException te -> new AbiException(Status.INVALID, te.getMessage());
      case TaskerException te when te.code().endsWith("_not_found") ->
          new AbiException(Status.NOT_FOUND, te.getMessage());
      case TaskerException te when te.code().startsWith("invalid_") ->
          new AbiException(Status.INVALID, te.getMessage());
      case TaskerException te when te.code().equals("database_error") ->
          new AbiException(Status.UNAVAILABLE, te.getMessage());
      default ->
          new AbiException(
              Status.INTERNAL,
              t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    };
  }
}
