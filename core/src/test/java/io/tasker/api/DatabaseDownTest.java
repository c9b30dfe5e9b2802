package io.tasker.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.testing.EngineHarness;
import org.junit.jupiter.api.Test;

/** Without its database the server stays up: probes say so, nothing answers with a stack trace. */
class DatabaseDownTest {
  @Test
  void probesReportTheDatabaseDown() {
    try (EngineHarness h = new EngineHarness("rest_db_down");
        ApiServer s = ApiServer.start(ApiConfig.defaults().withPort(0), h.engine(), h.waker())) {
      assertThat(Http.get(s.url(), "/health/ready").status()).isEqualTo(200);
      h.db().database().close(); // the pool is gone: every connection attempt fails

      assertThat(Http.get(s.url(), "/health/live").status()).isEqualTo(200);
      Http.Answer health = Http.get(s.url(), "/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().path("status").asText()).isEqualTo("unhealthy");
      assertThat(Http.get(s.url(), "/health/ready").status()).isEqualTo(503);
      Http.Answer detailed = Http.get(s.url(), "/health/detailed");
      assertThat(detailed.status()).isEqualTo(503);
      JsonNode db = detailed.json().path("checks").path("database");
      assertThat(db.path("status").asText()).isEqualTo("unhealthy");
      assertThat(db.path("message").asText()).contains("database check failed");

      Http.Answer task = Http.get(s.url(), "/v1/tasks");
      assertThat(task.status()).isGreaterThanOrEqualTo(500);
      assertThat(task.json().path("detail").asText()).isNotBlank();
      assertThat(task.body()).doesNotContain("at io.tasker");
      assertThat(Http.get(s.url(), "/metrics").status()).isEqualTo(200); // still scrapeable
    }
  }
}
