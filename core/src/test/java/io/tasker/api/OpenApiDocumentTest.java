package io.tasker.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.testing.EngineHarness;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The committed OpenAPI document and the served routes agree, permissions included. */
class OpenApiDocumentTest {
  @Test
  void documentAndRoutesAgree() {
    JsonNode doc = Json.parse(HealthRoutes.openApiDocument(), "openapi.json");
    Set<String> documented = new TreeSet<>();
    Set<String> documentedPermissions = new TreeSet<>();
    for (var path : doc.path("paths").properties()) {
      for (var op : path.getValue().properties()) {
        String key = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        documented.add(key);
        documentedPermissions.add(key + " " + op.getValue().path("x-permission").asText("public"));
      }
    }
    try (EngineHarness h = new EngineHarness("openapi");
        ApiServer s = ApiServer.start(ApiConfig.defaults().withPort(0), h.engine(), h.waker())) {
      Set<String> served = new TreeSet<>();
      Set<String> servedPermissions = new TreeSet<>();
      for (Route r : s.routes()) {
        served.add(r.key());
        servedPermissions.add(r.key() + " " + (r.permission() == null ? "public" : r.permission()));
      }
      assertThat(documented).as("OpenAPI paths vs routes").isEqualTo(served);
      assertThat(documentedPermissions).isEqualTo(servedPermissions);
      assertThat(Json.parse(Http.get(s.url(), "/openapi.json").body(), "served")).isEqualTo(doc);
    }
  }
}
