package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Templates of namespace {@code fail} and a {@code t.step} handler that counts its calls, shared by
 * the failure lifecycle tests. One instance per test, so call counts start at zero.
 */
final class FailureFixture {
  static final String CHAIN4 = LifecycleTemplates.chain("chain4", "fail", "a", "b", "c", "d");

  static final String DIAMOND = LifecycleTemplates.diamond("diamond", "fail", "a", "b", "c", "d");

  /** b has a long backoff cap so a Retry-After hint is not cut short by it. */
  static final String HINTED =
      """
      name: hinted
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 60000}
      """;

  static final String NOT_RETRYABLE =
      """
      name: fragile
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: false, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: c
          dependencies: [b]
          handler: {callable: t.step}
      """;

  /** Calls per step name. */
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  int calls(String step) {
    AtomicInteger n = calls.get(step);
    return n == null ? 0 : n.get();
  }

  int count(StepContext ctx) {
    return calls.computeIfAbsent(ctx.stepName(), k -> new AtomicInteger()).incrementAndGet();
  }

  static StepResult ok(StepContext ctx) {
    return StepResult.success(Map.of("step", ctx.stepName(), "attempt", ctx.attempts()));
  }

  static String text(JsonNode step, String field) {
    return step.get(field).asText();
  }

  static int attempts(JsonNode step) {
    return step.get("attempts").asInt();
  }

  /** Starts {@code h} with {@code handler} as {@code t.step} and runs one task to its end. */
  static ObjectNode runTask(EngineHarness h, String yaml, String template, StepHandler handler)
      throws InterruptedException {
    h.handler("t.step", handler).register(yaml).start(List.of("fail"));
    return h.runToEnd(h.create("fail", template, "{}"));
  }

  /** How one step answers its {@code n}th call. */
  interface Answer {
    StepResult call(StepContext ctx, int n) throws Exception;
  }

  /**
   * {@code t.step}: counts every call; step {@code name} answers with {@code answer}, the rest
   * succeed.
   */
  StepHandler stepAnswering(String name, Answer answer) {
    return ctx -> {
      int n = count(ctx);
      return ctx.stepName().equals(name) ? answer.call(ctx, n) : ok(ctx);
    };
  }
}
