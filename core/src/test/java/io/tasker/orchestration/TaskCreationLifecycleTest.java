package io.tasker.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.template.ContextValidationException;
import io.tasker.template.TemplateProblem;
import io.tasker.testing.EngineHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Task creation (DESIGN.md §5): identity strategies and idempotency keys decide duplicates; a
 * context that does not match the input_schema is rejected with its paths and stores nothing.
 */
class TaskCreationLifecycleTest {
  private static final String ORDER =
      """
      name: order
      namespace_name: ident
      version: 1.0.0
      input_schema:
        type: object
        required: [order_id]
        properties:
          order_id: {type: integer}
          amount: {type: number, minimum: 0}
      steps:
        - name: only
          handler: {callable: t.noop}
      """;

  private static final String UNIQUE =
      """
      name: unique
      namespace_name: ident
      version: 1.0.0
      identity_strategy: always_unique
      steps:
        - name: only
          handler: {callable: t.noop}
      """;

  private static final String KEYED =
      """
      name: keyed
      namespace_name: ident
      version: 1.0.0
      identity_strategy: caller_provided
      steps:
        - name: only
          handler: {callable: t.noop}
      """;

  private static TaskRequest order(String contextJson) {
    return TaskRequest.of("ident", "order", Json.parse(contextJson, "context"));
  }

  private static long tasks(EngineHarness h) {
    return h.db().queryLong("select count(*) from tasker.tasks");
  }

  @Test
  void theSameRequestTwiceIsADuplicateNamingTheFirstTask() {
    try (EngineHarness h = new EngineHarness("ident_strict")) {
      h.register(ORDER);
      UUID first = h.create(order("{\"order_id\": 1, \"amount\": 5}"));
      long steps = h.db().queryLong("select count(*) from tasker.workflow_steps");

      // strict identity normalises the context: key order does not make a new task
      DuplicateTaskException dup =
          catchThrowableOfType(
              DuplicateTaskException.class,
              () -> h.create(order("{\"amount\": 5, \"order_id\": 1}")));
      assertThat(dup).isNotNull();
      assertThat(dup.existingTask()).isEqualTo(first);
      assertThat(dup.code()).isEqualTo("duplicate_task");
      assertThat(dup.getMessage()).contains(first.toString()).contains("ident/order");
      assertThat(tasks(h)).isEqualTo(1);
      assertThat(h.db().queryLong("select count(*) from tasker.workflow_steps")).isEqualTo(steps);

      UUID other = h.create(order("{\"order_id\": 2, \"amount\": 5}"));
      assertThat(other).isNotEqualTo(first);
      assertThat(tasks(h)).isEqualTo(2);
    }
  }

  @Test
  void concurrentIdenticalRequestsCreateOneTaskAndEveryOtherNamesIt() throws Exception {
    int clients = 10;
    try (EngineHarness h = new EngineHarness("ident_race")) {
      h.register(ORDER);
      // one task first, so the namespace's queue exists and only the identity is contended
      h.create(order("{\"order_id\": 1}"));
      List<Future<UUID>> results = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return h.create(order("{\"order_id\": 42}"));
                  }));
        }
        go.countDown();
      }
      List<UUID> created = new ArrayList<>();
      List<UUID> named = new ArrayList<>();
      for (Future<UUID> f : results) {
        try {
          created.add(f.get());
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DuplicateTaskException.class);
          named.add(((DuplicateTaskException) e.getCause()).existingTask());
        }
      }
      assertThat(created).hasSize(1);
      assertThat(named).hasSize(clients - 1).containsOnly(created.getFirst());
      assertThat(tasks(h)).isEqualTo(2);
    }
  }

  /**
   * The first requests for a namespace arrive together (no worker has created its queue yet): every
   * one of them must create its task. Repeated over fresh namespaces, as it is a race.
   */
  @Test
  void concurrentFirstRequestsForANewNamespaceAllCreateTheirTasks() throws Exception {
    int namespaces = 6;
    int clients = 16;
    try (EngineHarness h = new EngineHarness("ident_first")) {
      List<String> failures = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        String ns = "fresh" + n;
        h.register(ORDER.replace("namespace_name: ident", "namespace_name: " + ns));
        List<Future<UUID>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          CountDownLatch go = new CountDownLatch(1);
          for (int i = 0; i < clients; i++) {
            var request =
                TaskRequest.of(ns, "order", Json.parse("{\"order_id\": " + i + "}", "context"));
            results.add(
                pool.submit(
                    () -> {
                      go.await();
                      return h.create(request);
                    }));
          }
          go.countDown();
        }
        for (Future<UUID> f : results) {
          try {
            f.get();
          } catch (ExecutionException e) {
            failures.add(ns + ": " + e.getCause());
          }
        }
      }
      assertThat(failures).isEmpty();
      assertThat(tasks(h)).isEqualTo((long) namespaces * clients);
    }
  }

  @Test
  void anIdempotencyKeyOverridesTheTemplatesIdentity() {
    try (EngineHarness h = new EngineHarness("ident_key")) {
      h.register(ORDER);
      UUID plain = h.create(order("{\"order_id\": 1}"));
      // same context, but a key: the key alone is the identity
      UUID keyed = h.create(order("{\"order_id\": 1}").withIdempotencyKey("k-1"));
      assertThat(keyed).isNotEqualTo(plain);
      // same key, different context: a duplicate of the keyed task
      DuplicateTaskException dup =
          catchThrowableOfType(
              DuplicateTaskException.class,
              () -> h.create(order("{\"order_id\": 99}").withIdempotencyKey("k-1")));
      assertThat(dup).isNotNull();
      assertThat(dup.existingTask()).isEqualTo(keyed);
      assertThat(dup.getMessage()).contains(keyed.toString());
      // another key, same context: a new task
      UUID keyed2 = h.create(order("{\"order_id\": 1}").withIdempotencyKey("k-2"));
      assertThat(keyed2).isNotIn(plain, keyed);
      assertThat(tasks(h)).isEqualTo(3);
    }
  }

  @Test
  void identityStrategiesAlwaysUniqueAndCallerProvided() {
    try (EngineHarness h = new EngineHarness("ident_strategies")) {
      h.register(UNIQUE).register(KEYED);
      var ctx = Json.parse("{\"x\": 1}", "context");
      UUID u1 = h.create(TaskRequest.of("ident", "unique", ctx));
      UUID u2 = h.create(TaskRequest.of("ident", "unique", ctx));
      assertThat(u2).isNotEqualTo(u1);

      assertThatThrownBy(() -> h.create(TaskRequest.of("ident", "keyed", ctx)))
          .isInstanceOfSatisfying(
              TaskerException.class,
              e -> assertThat(e.code()).isEqualTo("idempotency_key_required"));
      UUID k = h.create(TaskRequest.of("ident", "keyed", ctx).withIdempotencyKey("abc"));
      DuplicateTaskException dup =
          catchThrowableOfType(
              DuplicateTaskException.class,
              () ->
                  h.create(
                      TaskRequest.of("ident", "keyed", Json.parse("{\"x\": 2}", "c"))
                          .withIdempotencyKey("abc")));
      assertThat(dup).isNotNull();
      assertThat(dup.existingTask()).isEqualTo(k);
      assertThat(tasks(h)).isEqualTo(3);
    }
  }

  @Test
  void anInvalidContextIsRejectedWithItsPathsAndNothingIsStored() throws Exception {
    try (EngineHarness h = new EngineHarness("ident_invalid")) {
      h.register(ORDER);
      ContextValidationException e =
          catchThrowableOfType(
              ContextValidationException.class,
              () -> h.create(order("{\"order_id\": \"abc\", \"amount\": -1}")));
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo("invalid_context");
      assertThat(e.problems())
          .extracting(TemplateProblem::path)
          .containsExactlyInAnyOrder("$.order_id", "$.amount");
      assertThat(e.getMessage())
          .contains("$.order_id")
          .contains("$.amount")
          .contains("ident/order");

      ContextValidationException missing =
          catchThrowableOfType(
              ContextValidationException.class, () -> h.create(order("{\"amount\": 1}")));
      assertThat(missing).isNotNull();
      assertThat(missing.getMessage()).contains("order_id");

      assertThatThrownBy(() -> h.create(order("[1, 2]")))
          .isInstanceOfSatisfying(
              TaskerException.class, x -> assertThat(x.code()).isEqualTo("invalid_context"));

      assertThat(tasks(h)).isZero();
      assertThat(h.db().queryLong("select count(*) from tasker.workflow_steps")).isZero();
      assertThat(h.db().queryLong("select count(*) from tasker.task_transitions")).isZero();
      assertThat(h.db().queryLong("select count(*) from tasker.workflow_step_transitions"))
          .isZero();
      assertThat(
              h.db()
                  .queryLong(
                      "select count(*) from pgmq.meta where queue_name = 'worker_ident_queue'"))
          .as("no worker queue was created for the rejected requests")
          .isZero();

      // the same template accepts a valid context
      h.create(order("{\"order_id\": 7, \"amount\": 0}"));
      assertThat(tasks(h)).isEqualTo(1);
    }
  }
}
