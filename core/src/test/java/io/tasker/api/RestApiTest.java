package io.tasker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.client.ClientException;
import io.tasker.client.DlqFilter;
import io.tasker.client.ErrorKind;
import io.tasker.client.HttpTaskerClient;
import io.tasker.client.StepUpdate;
import io.tasker.client.TaskFilter;
import io.tasker.orchestration.TaskRequest;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint through real HTTP on a real database, authentication off. */
class RestApiTest {
  static final String TEMPLATE =
      """
      name: double
      namespace_name: rest
      version: 1.0.0
      input_schema:
        type: object
        required: [n]
        properties:
          n: {type: integer}
          fail: {type: boolean}
      steps:
        - name: a
          handler: {callable: t.double}
        - name: b
          dependencies: [a]
          handler: {callable: t.double}
      """;

  static EngineHarness h;
  static ApiServer server;
  static URI url;
  static HttpTaskerClient client;

  @BeforeAll
  static void start() {
    h = new EngineHarness("rest_api");
    h.handler(
        "t.double",
        ctx -> {
          if (ctx.stepName().equals("b") && ctx.taskContext().path("fail").asBoolean()) {
            throw new PermanentError("b is broken");
          }
          long n =
              ctx.stepName().equals("a")
                  ? ctx.taskContext().path("n").asLong()
                  : ctx.dependencyResult("a").path("value").asLong();
          return StepResult.success(Map.of("value", n * 2));
        });
    h.start(List.of("rest"));
    server =
        ApiServer.start(
            ApiConfig.defaults().withPort(0).withLimits(4096, 8, 100_000), h.engine(), h.waker());
    url = server.url();
    client = new HttpTaskerClient(url, Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
    JsonNode reg = client.registerTemplate(TEMPLATE, false);
    assertThat(reg.path("outcome").asText()).isIn("created", "unchanged");
  }

  @AfterAll
  static void stop() {
    server.close();
    h.close();
  }

  private static TaskRequest request(String contextJson) {
    return TaskRequest.of("rest", "double", Json.parse(contextJson, "context"));
  }

  /** Asserts the problem shape and returns it. */
  static JsonNode problem(Http.Answer a, int status) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    JsonNode p = a.json();
    assertThat(p.path("type").asText()).startsWith("urn:tasker:problem:");
    assertThat(p.path("title").asText()).isNotBlank();
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("detail").asText()).isNotBlank();
    assertThat(p.path("errors").isArray()).isTrue();
    assertThat(a.body()).doesNotContain("at io.tasker").doesNotContain("Exception:");
    return p;
  }

  @Test
  void taskLifecycleOverTheJavaClient() {
    JsonNode created = client.createTask(request("{\"n\": 5}"));
    UUID task = UUID.fromString(created.path("task_uuid").asText());
    JsonNode done = client.waitForTask(task, Duration.ofSeconds(30));
    assertThat(done.path("state").asText()).isEqualTo("complete");
    assertThat(EngineHarness.step(done, "b").path("result").path("value").asLong()).isEqualTo(20);
    assertThat(client.getTask(task)).isEqualTo(done);

    JsonNode steps = client.listSteps(task);
    assertThat(steps).hasSize(2);
    UUID a = UUID.fromString(EngineHarness.step(done, "a").path("step_uuid").asText());
    assertThat(client.getStep(task, a).path("name").asText()).isEqualTo("a");
    assertThat(client.stepAudit(task, a).findValuesAsText("to_state")).endsWith("complete");

    JsonNode page =
        client.listTasks(
            new TaskFilter(
                Optional.of("rest"),
                Optional.of("double"),
                Optional.of(TaskState.COMPLETE),
                10,
                0));
    assertThat(page.path("tasks").findValuesAsText("task_uuid")).contains(task.toString());
    assertThat(page.path("pagination").path("total_count").asLong()).isPositive();
  }

  @Test
  void createAnswers201WithLocation() {
    Http.Answer a =
        Http.postJson(
            url, "/v1/tasks", "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":1}}");
    assertThat(a.status()).isEqualTo(201);
    String uuid = a.json().path("task_uuid").asText();
    assertThat(a.header("Location")).isEqualTo("/v1/tasks/" + uuid);
    assertThat(a.json().path("steps")).hasSize(2);
  }

  @Test
  void operatorActionsCancelAndConflicts() {
    UUID failed =
        UUID.fromString(
            client.createTask(request("{\"n\": 1, \"fail\": true}")).path("task_uuid").asText());
    JsonNode doc = client.waitForTask(failed, Duration.ofSeconds(30));
    assertThat(doc.path("state").asText()).isEqualTo("error");
    UUID b = UUID.fromString(EngineHarness.step(doc, "b").path("step_uuid").asText());
    JsonNode step =
        client.updateStep(
            failed,
            b,
            new StepUpdate(
                StepUpdate.Action.COMPLETE_MANUALLY,
                Json.object().put("value", 7),
                "by hand",
                "ops"));
    assertThat(step.path("state").asText()).isEqualTo("complete");
    assertThat(client.getTask(failed).path("state").asText()).isEqualTo("complete");
    Http.Answer conflict =
        Http.call(
            url,
            "PATCH",
            "/v1/tasks/" + failed + "/workflow_steps/" + b,
            "application/json",
            "{\"action\":\"reset_for_retry\"}");
    assertThat(problem(conflict, 409).path("code").asText()).isEqualTo("illegal_transition");
    Http.Answer noResult =
        Http.call(
            url,
            "PATCH",
            "/v1/tasks/" + failed + "/workflow_steps/" + b,
            "application/json",
            "{\"action\":\"complete_manually\"}");
    assertThat(problem(noResult, 400).path("errors").get(0).path("path").asText())
        .isEqualTo("$.result");

    h.stopWorker();
    try {
      UUID open =
          UUID.fromString(client.createTask(request("{\"n\": 2}")).path("task_uuid").asText());
      assertThatThrownBy(() -> client.waitForTask(open, Duration.ofMillis(100)))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
      assertThat(client.cancelTask(open, "not needed").path("state").asText())
          .isEqualTo("cancelled");
      Http.Answer again = Http.call(url, "DELETE", "/v1/tasks/" + open, null, null);
      assertThat(problem(again, 409).path("code").asText()).isEqualTo("illegal_transition");
    } finally {
      h.startWorker(io.tasker.worker.WorkerConfig.of(List.of("rest")));
    }
  }

  @Test
  void validationErrorsNameEveryPath() {
    Http.Answer a =
        Http.postJson(
            url,
            "/v1/tasks",
            "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":\"x\",\"fail\":3}}");
    JsonNode p = problem(a, 400);
    assertThat(p.path("code").asText()).isEqualTo("invalid_context");
    assertThat(p.path("errors").findValuesAsText("path"))
        .containsExactlyInAnyOrder("$.context.n", "$.context.fail");

    JsonNode missing = problem(Http.postJson(url, "/v1/tasks", "{\"name\":\"double\"}"), 400);
    assertThat(missing.path("errors").get(0).path("path").asText()).isEqualTo("$.namespace");
    JsonNode unknown =
        problem(
            Http.postJson(
                url,
                "/v1/tasks",
                "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{},\"ctx\":1}"),
            400);
    assertThat(unknown.path("errors").get(0).path("path").asText()).isEqualTo("$.ctx");
    assertThat(
            problem(Http.postJson(url, "/v1/tasks", "{\"namespace\": "), 400)
                .path("detail")
                .asText())
        .contains("not valid JSON");
    assertThat(problem(Http.postJson(url, "/v1/tasks", "[1,2]"), 400).path("detail").asText())
        .contains("JSON object");
    assertThat(
            problem(Http.call(url, "POST", "/v1/tasks", "text/plain", "hello"), 415)
                .path("code")
                .asText())
        .isEqualTo("unsupported_media_type");
    String big =
        "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"pad\":\""
            + "x".repeat(5000)
            + "\"}}";
    assertThat(problem(Http.postJson(url, "/v1/tasks", big), 413).path("code").asText())
        .isEqualTo("body_too_large");
    assertThat(
            problem(Http.get(url, "/v1/tasks/not-a-uuid"), 400)
                .path("errors")
                .get(0)
                .path("path")
                .asText())
        .isEqualTo("$.task_uuid");
    assertThat(
            problem(Http.get(url, "/v1/tasks?limit=zero"), 400)
                .path("errors")
                .get(0)
                .path("path")
                .asText())
        .isEqualTo("$.limit");
    assertThat(problem(Http.get(url, "/v1/tasks?state=finished"), 400).path("detail").asText())
        .contains("complete");
    assertThat(problem(Http.get(url, "/v1/tasks?colour=red"), 400).path("detail").asText())
        .contains("unknown key 'colour'");
  }

  @Test
  void notFoundAndDuplicates() {
    String none = "0193a000-0000-7000-8000-000000000000";
    assertThat(problem(Http.get(url, "/v1/tasks/" + none), 404).path("code").asText())
        .isEqualTo("task_not_found");
    assertThat(
            problem(Http.get(url, "/v1/tasks/" + none + "/workflow_steps/" + none), 404)
                .path("code")
                .asText())
        .isEqualTo("task_not_found");
    assertThat(
            problem(
                    Http.postJson(
                        url,
                        "/v1/tasks",
                        "{\"namespace\":\"rest\",\"name\":\"nope\",\"context\":{}}"),
                    404)
                .path("code")
                .asText())
        .isEqualTo("template_not_found");
    assertThat(problem(Http.get(url, "/v1/templates/rest/double/9.9.9"), 404).path("code").asText())
        .isEqualTo("template_not_found");
    assertThat(problem(Http.get(url, "/v1/dlq/" + none), 404).path("code").asText())
        .isEqualTo("dlq_entry_not_found");
    assertThat(problem(Http.get(url, "/v2/nothing"), 404).path("code").asText())
        .isEqualTo("route_not_found");
    assertThat(problem(Http.call(url, "PUT", "/v1/tasks", null, null), 405).path("code").asText())
        .isEqualTo("method_not_allowed");

    String body =
        "{\"namespace\":\"rest\",\"name\":\"double\",\"context\":{\"n\":3},\"idempotency_key\":\"once\"}";
    assertThat(Http.postJson(url, "/v1/tasks", body).status()).isEqualTo(201);
    assertThat(problem(Http.postJson(url, "/v1/tasks", body), 409).path("code").asText())
        .isEqualTo("duplicate_task");
    assertThatThrownBy(() -> client.getTask(UUID.fromString(none)))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
              assertThat(e.code()).isEqualTo("task_not_found");
            });
  }

  @Test
  void templatesDlqAndAnalytics() {
    JsonNode list = client.listTemplates(Optional.of("rest"));
    assertThat(list.findValuesAsText("name")).containsExactly("double");
    assertThat(
            client.getTemplate("rest", "double", Optional.empty()).path("template").path("steps"))
        .hasSize(2);
    assertThat(client.getTemplate("rest", "double", Optional.of("1.0.0")).path("version").asText())
        .isEqualTo("1.0.0");
    Http.Answer again =
        Http.postJson(url, "/v1/templates", Json.object().put("yaml", TEMPLATE).toString());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("outcome").asText()).isEqualTo("unchanged");
    String v2 = TEMPLATE.replace("version: 1.0.0", "version: 2.0.0");
    Http.Answer created =
        Http.postJson(url, "/v1/templates", Json.object().put("yaml", v2).toString());
    assertThat(created.status()).isEqualTo(201);
    String changed = TEMPLATE.replace("name: b\n", "name: c\n");
    assertThat(
            problem(
                    Http.postJson(
                        url, "/v1/templates", Json.object().put("yaml", changed).toString()),
                    409)
                .path("code")
                .asText())
        .isEqualTo("template_conflict");
    JsonNode bad =
        problem(
            Http.postJson(url, "/v1/templates", Json.object().put("yaml", "name: [").toString()),
            400);
    assertThat(bad.path("errors").get(0).path("path").asText()).startsWith("$.yaml");

    assertThat(client.listDlq(new DlqFilter(Optional.empty(), 10, 0)).path("entries").isArray())
        .isTrue();
    assertThat(client.dlqStats().path("stats").isArray()).isTrue();
    assertThat(
            problem(
                    Http.call(
                        url,
                        "PATCH",
                        "/v1/dlq/0193a000-0000-7000-8000-000000000000",
                        "application/json",
                        "{\"resolution_status\":\"closed\",\"resolution_notes\":\"x\"}"),
                    400)
                .path("errors")
                .get(0)
                .path("path")
                .asText())
        .isEqualTo("$.resolution_status");

    client.waitForTask(
        UUID.fromString(client.createTask(request("{\"n\": 4}")).path("task_uuid").asText()),
        Duration.ofSeconds(30));
    JsonNode analytics = client.analytics(Duration.ofMinutes(10));
    assertThat(analytics.path("templates").findValuesAsText("name")).contains("double");
    assertThat(problem(Http.get(url, "/v1/analytics?window_seconds=0"), 400).path("code").asText())
        .isEqualTo("invalid_argument");
  }

  @Test
  void healthProbesAndMetrics() {
    assertThat(Http.get(url, "/health").json().path("status").asText()).isEqualTo("healthy");
    assertThat(Http.get(url, "/health/live").status()).isEqualTo(200);
    assertThat(Http.get(url, "/health/ready").status()).isEqualTo(200);
    JsonNode detailed = client.health();
    assertThat(detailed.path("checks").path("database").path("status").asText())
        .isEqualTo("healthy");
    assertThat(detailed.path("checks").path("pool").path("max").asInt()).isPositive();

    client.waitForTask(
        UUID.fromString(client.createTask(request("{\"n\": 6}")).path("task_uuid").asText()),
        Duration.ofSeconds(30));
    Http.Answer m = Http.get(url, "/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body())
        .contains("tasker_queue_depth{queue=\"worker_rest_queue\"}")
        .contains("tasker_dlq_pending_entries")
        .contains("tasker_db_pool_connections{state=\"max\"}")
        .contains(
            "tasker_step_duration_seconds_count{handler=\"t.double\",namespace=\"rest\",state=\"complete\"}")
        .contains("tasker_step_retries_total")
        .contains(
            "tasker_http_requests_seconds_count{method=\"POST\",route=\"/v1/tasks\",status=\"201\"}");
  }
}
