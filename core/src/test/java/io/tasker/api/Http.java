package io.tasker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Raw HTTP for the tests: what a client sees, headers and all. */
final class Http {
  record Answer(int status, Map<String, java.util.List<String>> headers, String body) {
    JsonNode json() {
      return Json.parse(body, "answer");
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Http() {}

  static Answer call(
      URI base, String method, String path, String contentType, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Answer get(URI base, String path, String... headers) {
    return call(base, "GET", path, null, null, headers);
  }

  static Answer postJson(URI base, String path, String body, String... headers) {
    return call(base, "POST", path, "application/json", body, headers);
  }
}
