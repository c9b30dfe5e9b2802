package io.tasker.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.client.ClientException;
import io.tasker.client.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer is one problem document ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code code} (tasker's error code) and {@code
 * errors[]} ({@code path}, {@code message}). Never a stack trace: unexpected failures are logged
 * here and answered with a generic 500.
 */
final class ProblemMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
  static final String CONTENT_TYPE = "application/problem+json";

  private ProblemMapper() {}

  static void write(Context ctx, Throwable e) {
    ObjectNode doc = document(e);
    int status = doc.path("status").asInt();
    if (status == 500) {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    }
    if (e instanceof HttpProblem p && p.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Integer.toString(p.retryAfterSeconds()));
    }
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(doc));
  }

  static ObjectNode document(Throwable e) {
    return switch (e) {
      case HttpProblem p -> problem(p.status(), title(p.status()), p.code(), p.getMessage());
      case ClientException ce -> {
        ObjectNode doc =
            problem(ce.kind().httpStatus(), ce.kind().title(), ce.code(), ce.getMessage());
        ArrayNode errors = doc.withArray("errors");
        ce.errors()
            .forEach(f -> errors.addObject().put("path", f.path()).put("message", f.message()));
        yield doc;
      }
      case TaskerException te -> {
        ErrorKind kind = ErrorKind.of(te);
        yield problem(kind.httpStatus(), kind.title(), te.code(), te.getMessage());
      }
      case HttpResponseException h ->
          problem(h.getStatus(), title(h.getStatus()), code(h.getStatus()), h.getMessage());
      default ->
          problem(
              500,
              ErrorKind.INTERNAL.title(),
              "internal_error",
              "unexpected error (" + e.getClass().getSimpleName() + "); see the server log");
    };
  }

  static ObjectNode problem(int status, String title, String code, String detail) {
    ObjectNode doc = Json.object();
    doc.put("type", "urn:tasker:problem:" + code)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("code", code);
    doc.putArray("errors");
    return doc;
  }

  private static String title(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Payload too large";
      case 415 -> "Unsupported media type";
      case 503 -> "Service unavailable";
      default -> ErrorKind.ofHttpStatus(status).title();
    };
  }

  private static String code(int status) {
    return switch (status) {
      case 413 -> "body_too_large";
      case 415 -> "unsupported_media_type";
      case 404 -> "route_not_found";
      case 405 -> "method_not_allowed";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
  }
}
