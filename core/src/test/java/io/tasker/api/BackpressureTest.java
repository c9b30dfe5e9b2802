package io.tasker.api;

import static io.tasker.api.RestApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.EngineHarness;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/tasks} answers 503 + Retry-After when queues or the pool are saturated. */
class BackpressureTest {
  static final String CREATE =
      "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":%d}}";
  static int n;

  /** A new task each time (same context = same identity = 409). */
  static String create() {
    return CREATE.formatted(++n);
  }

  @Test
  void deepQueueRefusesNewTasks() throws Exception {
    try (EngineHarness h = new EngineHarness("rest_bp_queue")) {
      h.register(RestApiTest.TEMPLATE); // no worker: messages stay in the queue
      try (ApiServer s =
          ApiServer.start(
              ApiConfig.defaults().withPort(0).withLimits(1 << 20, 8, 2), h.engine(), h.waker())) {
        for (int i = 0; i < 3; i++) {
          assertThat(Http.postJson(s.url(), "/v1/tasks", create()).status()).isEqualTo(201);
        }
        Thread.sleep(Backpressure.DEPTH_REFRESH_NANOS / 1_000_000 + 100);
        Http.Answer a = Http.postJson(s.url(), "/v1/tasks", create());
        assertThat(problem(a, 503).path("detail").asText())
            .contains("worker_rest_queue")
            .contains("limit 2");
        assertThat(a.header("Retry-After")).isEqualTo("1");
        assertThat(Http.get(s.url(), "/v1/tasks").status()).isEqualTo(200); // reads still served
      }
    }
  }

  @Test
  void exhaustedPoolRefusesNewTasks() throws Exception {
    try (EngineHarness h = new EngineHarness("rest_bp_pool")) {
      h.register(RestApiTest.TEMPLATE);
      try (ApiServer s =
          ApiServer.start(
              ApiConfig.defaults().withPort(0).withLimits(1 << 20, 0, 100_000),
              h.engine(),
              h.waker())) {
        var ds = h.engine().database().dataSource();
        List<Connection> held = new ArrayList<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = null;
        try {
          int max = s.client().health().path("checks").path("pool").path("max").asInt();
          for (int i = 0; i < max; i++) {
            held.add(ds.getConnection());
          }
          waiter =
              Thread.ofVirtual()
                  .start(
                      () -> {
                        waiting.countDown();
                        try {
                          ds.getConnection().close(); // returns once the test lets go
                        } catch (Exception e) {
                          // the pool timed out: fine, the test is over by then
                        }
                      });
          waiting.await(5, TimeUnit.SECONDS);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          Http.Answer a;
          do {
            Thread.sleep(20);
            a = Http.postJson(s.url(), "/v1/tasks", create());
          } while (a.status() != 503 && System.nanoTime() < deadline);
          assertThat(problem(a, 503).path("detail").asText())
              .contains("wait for a database connection");
          assertThat(a.header("Retry-After")).isEqualTo("1");
        } finally {
          for (Connection c : held) {
            c.close();
          }
          if (waiter != null) {
            waiter.join();
          }
        }
        assertThat(Http.postJson(s.url(), "/v1/tasks", create()).status()).isEqualTo(201);
      }
    }
  }
}
