package io.tasker.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client ops of docs/abi.md through {@link ClientOps#execute}, on a real database. */
class ClientOpsTest {
  static final String TEMPLATE =
      """
      name: double
      namespace_name: ops
      version: 1.0.0
      input_schema:
        type: object
        required: [n]
        properties:
          n: {type: integer}
      steps:
        - name: a
          handler: {callable: t.double}
        - name: b
          dependencies: [a]
          handler: {callable: t.double}
      """;

  private EngineHarness h;
  private ClientOps ops;
  private final AtomicBoolean failB = new AtomicBoolean();

  @BeforeEach
  void start() {
    h = new EngineHarness("client_ops");
    h.handler(
        "t.double",
        ctx -> {
          if (ctx.stepName().equals("b") && failB.get()) {
            throw new PermanentError("b is broken");
          }
          long n =
              ctx.stepName().equals("a")
                  ? ctx.taskContext().path("n").asLong()
                  : ctx.dependencyResult("a").path("value").asLong();
          return StepResult.success(Map.of("value", n * 2));
        });
    ops = new ClientOps(new LocalTaskerClient(h.engine(), h.waker()));
    JsonNode reg = ok("template.register", Json.object().put("yaml", TEMPLATE));
    assertThat(reg.path("outcome").asText()).isEqualTo("created");
    h.start(List.of("ops"));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private JsonNode ok(String op, JsonNode args) {
    ClientOps.Reply r = ops.execute(request(op, args));
    assertThat(r.status()).as(r.json()).isZero();
    return Json.parse(r.json(), "reply");
  }

  /** The error object of a call that must fail with {@code status}. */
  private JsonNode fails(int status, String requestJson) {
    ClientOps.Reply r = ops.execute(requestJson);
    assertThat(r.status()).as(r.json()).isEqualTo(status);
    JsonNode err = Json.parse(r.json(), "reply").path("error");
    assertThat(err.path("code").asInt()).isEqualTo(status);
    assertThat(err.path("message").asText()).isNotBlank();
    return err;
  }

  private static String request(String op, JsonNode args) {
    var doc = Json.object().put("op", op);
    doc.set("args", args);
    return doc.toString();
  }

  private JsonNode create(int n) {
    var args = Json.object().put("namespace", "ops").put("name", "double");
    args.putObject("context").put("n", n);
    return ok("task.create", args);
  }

  @Test
  void createWaitGetListAndAudit() {
    JsonNode created = create(3);
    String task = created.path("task_uuid").asText();
    assertThat(created.path("namespace").asText()).isEqualTo("ops");
    assertThat(created.path("steps")).hasSize(2);

    JsonNode done = ok("task.wait", Json.object().put("task_uuid", task).put("timeout_ms", 30_000));
    assertThat(done.path("state").asText()).isEqualTo("complete");
    assertThat(EngineHarness.step(done, "b").path("result").path("value").asLong()).isEqualTo(12);
    assertThat(ok("task.get", Json.object().put("task_uuid", task))).isEqualTo(done);

    JsonNode steps = ok("step.list", Json.object().put("task_uuid", task));
    assertThat(steps).hasSize(2);
    String stepA = EngineHarness.step(done, "a").path("step_uuid").asText();
    JsonNode a = ok("step.get", Json.object().put("task_uuid", task).put("step_uuid", stepA));
    assertThat(a.path("state").asText()).isEqualTo("complete");
    JsonNode audit = ok("step.audit", Json.object().put("task_uuid", task).put("step_uuid", stepA));
    assertThat(audit.findValuesAsText("to_state")).endsWith("complete").contains("in_progress");

    create(4);
    JsonNode page = ok("task.list", Json.object().put("namespace", "ops").put("limit", 1));
    assertThat(page.path("tasks")).hasSize(1);
    assertThat(page.path("pagination").path("total_count").asLong()).isEqualTo(2);
    assertThat(page.path("pagination").path("has_more").asBoolean()).isTrue();
    JsonNode completeOnly = ok("task.list", Json.object().put("state", "complete"));
    assertThat(completeOnly.path("tasks").findValuesAsText("task_uuid")).contains(task);
  }

  @Test
  void invalidContextNamesEveryPathUnderArgs() {
    var args = Json.object().put("namespace", "ops").put("name", "double");
    args.putObject("context").put("n", "three");
    JsonNode err = fails(-1, request("task.create", args));
    assertThat(err.path("type").asText()).isEqualTo("TASKER_E_INVALID");
    assertThat(err.path("reason").asText()).isEqualTo("invalid_context");
    assertThat(err.path("errors").findValuesAsText("path")).containsExactly("$.args.context.n");
  }

  @Test
  void malformedUnknownAndMissingArguments() {
    assertThat(fails(-1, "{\"op\": ").path("reason").asText()).isEqualTo("invalid_json");
    assertThat(fails(-1, "[1]").path("path").asText()).isEqualTo("$");
    assertThat(fails(-1, "{\"op\": \"task.explode\"}").path("path").asText()).isEqualTo("$.op");
    assertThat(fails(-1, "{\"op\": \"health\", \"extra\": 1}").path("path").asText())
        .isEqualTo("$.extra");
    assertThat(fails(-1, request("task.get", Json.object())).path("path").asText())
        .isEqualTo("$.args.task_uuid");
    assertThat(
            fails(-1, request("task.get", Json.object().put("task_uuid", "nope")))
                .path("message")
                .asText())
        .contains("not a UUID");
    JsonNode unknownKey =
        fails(
            -1,
            request(
                "task.get",
                Json.object()
                    .put("task_uuid", "0193a000-0000-7000-8000-000000000000")
                    .put("uuid", "x")));
    assertThat(unknownKey.path("path").asText()).isEqualTo("$.args.uuid");
    assertThat(unknownKey.path("message").asText()).contains("accepted: task_uuid");
    assertThat(fails(-1, request("task.list", Json.object().put("limit", 0))).path("path").asText())
        .isEqualTo("$.args.limit");
    assertThat(
            fails(-1, request("task.list", Json.object().put("state", "done")))
                .path("message")
                .asText())
        .contains("steps_in_process");
  }

  @Test
  void notFoundDuplicateAndTimeout() {
    String missing = "0193a000-0000-7000-8000-000000000000";
    assertThat(
            fails(-8, request("task.get", Json.object().put("task_uuid", missing)))
                .path("type")
                .asText())
        .isEqualTo("TASKER_E_NOT_FOUND");
    var tpl = Json.object().put("namespace", "ops").put("name", "nothing");
    assertThat(fails(-8, request("template.get", tpl)).path("reason").asText())
        .isEqualTo("template_not_found");

    var args =
        Json.object().put("namespace", "ops").put("name", "double").put("idempotency_key", "k1");
    args.putObject("context").put("n", 1);
    ok("task.create", args);
    assertThat(fails(-9, request("task.create", args)).path("reason").asText())
        .isEqualTo("duplicate_task");

    h.stopWorker();
    JsonNode t = create(5);
    JsonNode timeout =
        fails(
            -11,
            request(
                "task.wait",
                Json.object()
                    .put("task_uuid", t.path("task_uuid").asText())
                    .put("timeout_ms", 50)));
    assertThat(timeout.path("reason").asText()).isEqualTo("wait_timeout");
    JsonNode cancelled =
        ok("task.cancel", Json.object().put("task_uuid", t.path("task_uuid").asText()));
    assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
    assertThat(
            fails(
                    -9,
                    request(
                        "task.cancel",
                        Json.object().put("task_uuid", t.path("task_uuid").asText())))
                .path("reason")
                .asText())
        .isEqualTo("illegal_transition");
  }

  @Test
  void operatorActionsOnAFailedStep() {
    failB.set(true);
    String task = create(2).path("task_uuid").asText();
    JsonNode failed =
        ok("task.wait", Json.object().put("task_uuid", task).put("timeout_ms", 30_000));
    assertThat(failed.path("state").asText()).isEqualTo("error");
    String b = EngineHarness.step(failed, "b").path("step_uuid").asText();

    var noResult =
        Json.object().put("task_uuid", task).put("step_uuid", b).put("action", "complete_manually");
    assertThat(fails(-1, request("step.update", noResult)).path("path").asText())
        .isEqualTo("$.args.result");
    var badAction = Json.object().put("task_uuid", task).put("step_uuid", b).put("action", "fix");
    assertThat(fails(-1, request("step.update", badAction)).path("message").asText())
        .contains("reset_for_retry");

    var complete =
        Json.object()
            .put("task_uuid", task)
            .put("step_uuid", b)
            .put("action", "complete_manually")
            .put("reason", "fixed by hand")
            .put("operator", "ana");
    complete.putObject("result").put("value", 99);
    JsonNode step = ok("step.update", complete);
    assertThat(step.path("state").asText()).isEqualTo("complete");
    assertThat(step.path("result").path("value").asInt()).isEqualTo(99);
    assertThat(ok("task.get", Json.object().put("task_uuid", task)).path("state").asText())
        .isEqualTo("complete");
    JsonNode audit = ok("step.audit", Json.object().put("task_uuid", task).put("step_uuid", b));
    assertThat(audit.get(audit.size() - 1).path("metadata").path("reason").asText())
        .isEqualTo("fixed by hand (by ana)");
    var reset =
        Json.object().put("task_uuid", task).put("step_uuid", b).put("action", "reset_for_retry");
    assertThat(fails(-9, request("step.update", reset)).path("reason").asText())
        .isEqualTo("illegal_transition");
  }

  @Test
  void templatesDlqAnalyticsAndHealth() {
    JsonNode list = ok("template.list", Json.object().put("namespace", "ops"));
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("steps").asInt()).isEqualTo(2);
    JsonNode tpl = ok("template.get", Json.object().put("namespace", "ops").put("name", "double"));
    assertThat(tpl.path("version").asText()).isEqualTo("1.0.0");
    assertThat(tpl.path("template").path("steps")).hasSize(2);
    assertThat(
            ok("template.register", Json.object().put("yaml", TEMPLATE)).path("outcome").asText())
        .isEqualTo("unchanged");
    String changed = TEMPLATE.replace("name: b\n", "name: c\n").replace("[a]", "[a]");
    assertThat(
            fails(-9, request("template.register", Json.object().put("yaml", changed)))
                .path("reason")
                .asText())
        .isEqualTo("template_conflict");
    JsonNode bad =
        fails(
            -1,
            request(
                "template.register",
                Json.object()
                    .put("yaml", "name: x\nnamespace_name: ops\nversion: 1.0.0\nsteps: 3\n")));
    assertThat(bad.path("reason").asText()).isEqualTo("invalid_template");
    assertThat(bad.path("path").asText()).startsWith("$.args.yaml");

    assertThat(ok("dlq.list", Json.object().put("status", "pending")).path("entries")).isEmpty();
    assertThat(ok("dlq.stats", null).path("stats").isArray()).isTrue();
    assertThat(
            fails(-1, request("dlq.list", Json.object().put("status", "weird")))
                .path("path")
                .asText())
        .isEqualTo("$.args.status");
    assertThat(
            fails(
                    -8,
                    request(
                        "dlq.get",
                        Json.object()
                            .put("dlq_entry_uuid", "0193a000-0000-7000-8000-000000000000")))
                .path("reason")
                .asText())
        .isEqualTo("dlq_entry_not_found");

    String task = create(1).path("task_uuid").asText();
    ok("task.wait", Json.object().put("task_uuid", task).put("timeout_ms", 30_000));
    JsonNode analytics = ok("analytics", Json.object().put("window_seconds", 600));
    JsonNode row = analytics.path("templates").get(0);
    assertThat(row.path("name").asText()).isEqualTo("double");
    assertThat(row.path("complete").asLong()).isEqualTo(1);
    assertThat(row.path("p50_duration_ms").asDouble()).isPositive();
    assertThat(analytics.path("steps")).hasSize(2);

    JsonNode health = ok("health", null);
    assertThat(health.path("status").asText()).isEqualTo("healthy");
    assertThat(health.path("checks").path("database").path("status").asText()).isEqualTo("healthy");
    assertThat(health.path("checks").path("queues").path("depths").has("worker_ops_queue"))
        .isTrue();
  }
}
