package io.tasker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.client.ClientException;
import io.tasker.client.OpArgs;
import java.util.Set;
import java.util.UUID;

/** Reading requests and writing JSON answers, with the checks every route shares. */
final class HttpIo {
  private HttpIo() {}

  /**
   * The request body as a JSON object: 415 unless {@code application/json}, 413 past {@code
   * maxBytes}, 400 when malformed (with where it broke).
   */
  static OpArgs body(Context ctx, long maxBytes) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpProblem(
          415,
          "unsupported_media_type",
          "the body must be application/json (got "
              + (type == null ? "no Content-Type" : type)
              + ")");
    }
    long declared = ctx.contentLength();
    if (declared > maxBytes) {
      throw tooLarge(declared, maxBytes);
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length, maxBytes);
    }
    JsonNode doc;
    try {
      doc = Json.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), "the body");
    } catch (TaskerException e) {
      throw ClientException.invalid("$", e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw ClientException.invalid(
          "$",
          "the body must be a JSON object (got "
              + (doc == null ? "nothing" : doc.getNodeType())
              + ")");
    }
    return new OpArgs(doc, "$");
  }

  private static HttpProblem tooLarge(long size, long max) {
    return new HttpProblem(
        413, "body_too_large", "the body has " + size + " bytes; the limit is " + max);
  }

  /**
   * The query string as arguments ({@code $.limit} names {@code ?limit=}); the keys in {@code
   * integers} are converted to numbers.
   */
  static OpArgs query(Context ctx, Set<String> integers) {
    ObjectNode doc = Json.object();
    for (var e : ctx.queryParamMap().entrySet()) {
      String key = e.getKey();
      String value = e.getValue().isEmpty() ? "" : e.getValue().getLast();
      if (integers.contains(key)) {
        try {
          doc.put(key, Long.parseLong(value));
        } catch (NumberFormatException ex) {
          throw ClientException.invalid(
              "$." + key, key + " must be an integer (got '" + value + "')");
        }
      } else {
        doc.put(key, value);
      }
    }
    return new OpArgs(doc, "$");
  }

  static UUID uuid(Context ctx, String param) {
    return OpArgs.parseUuid(ctx.pathParam(param), "$." + param);
  }

  static void json(Context ctx, int status, JsonNode doc) {
    ctx.status(status).contentType("application/json").result(Json.write(doc));
  }
}
