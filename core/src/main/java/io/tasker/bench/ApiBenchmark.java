package io.tasker.bench;

import io.tasker.api.ApiConfig;
import io.tasker.api.ApiServer;
import io.tasker.client.LocalTaskerClient;
import io.tasker.db.Database;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.Queues;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/tasks} through real HTTP on loopback: latency percentiles and requests/s for
 * several numbers of concurrent clients, each sending its next request when the last answered.
 */
public final class ApiBenchmark {
  /**
   * One concurrency level's numbers.
   *
   * @param path {@code http}: POST /v1/tasks; {@code direct}: the same creation and task document
   *     through {@link LocalTaskerClient} in-process (the baseline the HTTP layer adds to)
   */
  public record Result(
      String path,
      int clients,
      int requests,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double requestsPerSecond) {}

  private static final String NAMESPACE = "bench_api";
  private static final String TEMPLATE =
      """
      name: create_only
      namespace_name: bench_api
      version: 1.0.0
      description: created by tasker bench api; never run (no worker), never swept to the DLQ
      lifecycle:
        staleness_action: none
      steps:
        - name: only
          handler: {callable: bench.noop}
      """;

  private final Database db;
  private final AtomicLong seq = new AtomicLong(System.nanoTime());

  public ApiBenchmark(Database db) {
    this.db = db;
  }

  /** Runs the warm-up, then each concurrency level; the created tasks' messages are purged. */
  public List<Result> run(List<Integer> clients, int requestsPerLevel) throws Exception {
    QueueWaker waker = new QueueWaker(db::openDedicatedConnection);
    Engine engine = new Engine(db, waker);
    engine.templates().register(engine.templates().parser().parse(TEMPLATE, "bench"), true);
    ApiConfig config =
        ApiConfig.defaults().withPort(0).withLimits(1 << 20, Integer.MAX_VALUE, Long.MAX_VALUE);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Result> out = new ArrayList<>();
    try (ApiServer server = ApiServer.start(config, engine, waker)) {
      URI uri = URI.create(server.url() + "/v1/tasks");
      level("http", () -> post(http, uri), 4, Math.min(400, requestsPerLevel)); // warm-up
      LocalTaskerClient direct = new LocalTaskerClient(engine, waker);
      out.add(level("direct", () -> createDirect(direct), 1, requestsPerLevel));
      for (int c : clients) {
        out.add(level("http", () -> post(http, uri), c, requestsPerLevel));
      }
    } finally {
      engine.queue().purge(Queues.worker(NAMESPACE));
      waker.close();
    }
    return out;
  }

  /** One timed request; returns its latency in nanoseconds. */
  @FunctionalInterface
  private interface Call {
    long run() throws Exception;
  }

  private Result level(String path, Call call, int clients, int requests) throws Exception {
    long[] nanos = new long[requests];
    AtomicLong next = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int t = 0; t < clients; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (long i = next.getAndIncrement();
                          i < requests;
                          i = next.getAndIncrement()) {
                        nanos[(int) i] = call.run();
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "benchmark request failed: " + failures.getFirst(), failures.getFirst());
    }
    Arrays.sort(nanos);
    return new Result(
        path,
        clients,
        requests,
        pct(nanos, 0.50),
        pct(nanos, 0.95),
        pct(nanos, 0.99),
        requests / (elapsed / 1e9));
  }

  private long createDirect(LocalTaskerClient client) {
    var request =
        TaskRequest.of(
            NAMESPACE, "create_only", io.tasker.Json.object().put("n", seq.incrementAndGet()));
    long t0 = System.nanoTime();
    client.createTask(request);
    return System.nanoTime() - t0;
  }

  private long post(HttpClient http, URI uri) throws Exception {
    String body =
        "{\"namespace\":\""
            + NAMESPACE
            + "\",\"name\":\"create_only\",\"context\":{\"n\":"
            + seq.incrementAndGet()
            + "}}";
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    long t = System.nanoTime() - t0;
    if (res.statusCode() != 201) {
      throw new IllegalStateException("HTTP " + res.statusCode() + ": " + res.body());
    }
    return t;
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
