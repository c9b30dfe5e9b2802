package io.tasker.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.audit.Audit;
import io.tasker.db.LocalPostgres;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import io.tasker.testing.Figures;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with real processes on a real database (issue 10): workers and orchestrators are separate
 * {@code tasker} CLI processes, killed with SIGKILL at awkward moments; PostgreSQL itself is
 * restarted under load. Whatever dies, every task ends complete and no step completes twice.
 */
class ProcessFaultsTest {
  private static final Duration READY = Duration.ofSeconds(90);

  /** A slow first step (the conformance {@code sleep_past_timeout} handler sleeps 5 s). */
  private static final String SLOW =
      """
      name: slow_then_square
      namespace_name: faults
      version: 1.0.0
      steps:
        - name: slow
          handler: {callable: conformance.scripted}
          timeout_seconds: 8
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: square
          dependencies: [slow]
          handler: {callable: conformance.square_parents}
      """;

  /**
   * The conformance linear workflow with a 10 s step deadline: whatever a restart leaves without an
   * owner (a step whose worker lost track of it) comes back within the test's wait, not after the
   * default 5-minute deadline.
   */
  private static final String LINEAR =
      """
      name: restart_linear
      namespace_name: faults
      version: 1.0.0
      input_schema:
        type: object
        required: [even_number]
        properties:
          even_number: {type: integer, minimum: 2}
      steps:
        - name: step_1
          handler: {callable: conformance.square_input, initialization: {input_key: even_number}}
          timeout_seconds: 10
        - name: step_2
          dependencies: [step_1]
          handler: {callable: conformance.square_parents}
          timeout_seconds: 10
        - name: step_3
          dependencies: [step_2]
          handler: {callable: conformance.square_parents}
          timeout_seconds: 10
        - name: step_4
          dependencies: [step_3]
          handler: {callable: conformance.square_parents}
          timeout_seconds: 10
      """;

  @TempDir Path templates;
  @TempDir Path home;
  private TestDatabase db;
  private QueueWaker waker;
  private Engine engine;
  private final List<TaskerProcess> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabases.create("process_faults");
    waker = new QueueWaker(db.database()::openDedicatedConnection);
    engine = new Engine(db.database(), waker);
    Files.writeString(templates.resolve("slow.yaml"), SLOW);
    Files.writeString(templates.resolve("restart_linear.yaml"), LINEAR);
    Path conformance = Path.of(System.getProperty("tasker.conformance.dir"), "templates");
    for (String t : List.of("retry_workflow.yaml", "linear_workflow.yaml")) {
      Files.copy(conformance.resolve(t), templates.resolve(t));
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TaskerProcess p : processes) {
      p.close();
    }
    waker.close();
    db.close();
  }

  private TaskerProcess worker(String name, String... namespaces) throws Exception {
    List<String> args = new ArrayList<>(List.of("worker", "--templates", templates.toString()));
    args.addAll(List.of("--handlers-classpath", System.getProperty("tasker.handlers.dir")));
    for (String ns : namespaces) {
      args.addAll(List.of("--namespace", ns));
    }
    TaskerProcess p = TaskerProcess.start(name, url(), home, args.toArray(String[]::new));
    processes.add(p);
    p.awaitLog("worker serving", READY);
    return p;
  }

  private TaskerProcess orchestrator(String name) throws Exception {
    TaskerProcess p = TaskerProcess.start(name, url(), home, "server", "--port", "0");
    processes.add(p);
    p.awaitLog("tasker server listening on", READY);
    return p;
  }

  private String url() {
    return db.database().url().libpqUrl();
  }

  private UUID create(String namespace, String name, Map<String, Object> context) {
    return engine.createTask(
        TaskRequest.of(namespace, name, io.tasker.Json.MAPPER.valueToTree(context)));
  }

  private String state(UUID task) {
    return db.queryString(
        "select current_state from tasker.tasks where task_uuid = '" + task + "'");
  }

  /** Waits until every task of this test's (fresh) database is final. */
  private void awaitAllFinal(List<UUID> tasks, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (notFinal() > 0) {
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        processes.forEach(p -> logs.append("\n--- ").append(p.log()));
        throw new AssertionError(
            notFinal() + " of " + tasks.size() + " tasks not final after " + timeout + logs);
      }
      Thread.sleep(200);
    }
  }

  private long notFinal() throws java.sql.SQLException {
    try (var c = db.dataSource().getConnection()) {
      return io.tasker.sql.Sql.queryOne(c, "audit/tasks_not_final", rs -> rs.getLong(1)).orElse(0L);
    }
  }

  /**
   * No step completed twice, none lost, audit rows chained, every task complete; then the figures
   * of the drill for docs/reliability.md.
   */
  private void assertAuditClean(String fault, List<UUID> tasks) {
    Audit.Report audit = Audit.run(db.dataSource());
    assertThat(audit.clean()).as(audit.toString()).isTrue();
    assertThat(audit.tasks()).isEqualTo(tasks.size());
    assertThat(
            audit.count(Audit.Check.TASKS_NOT_FINAL) + audit.count(Audit.Check.TASKS_NOT_COMPLETE))
        .as(audit.toString())
        .isZero();
    Figures.record(
        "process_faults",
        fault,
        io.tasker.Json.object()
            .put("tasks", audit.tasks())
            .put("steps", audit.steps())
            .put("processes", processes.size())
            .put("processes_alive_at_end", processes.stream().filter(TaskerProcess::alive).count())
            .put(
                "steps_run_more_than_once",
                db.queryLong("select count(*) from tasker.workflow_steps where attempts > 1"))
            .put("completed_twice", audit.count(Audit.Check.STEPS_COMPLETED_TWICE))
            .put("results_lost", audit.count(Audit.Check.RESULTS_LOST))
            .put("tasks_not_complete", audit.count(Audit.Check.TASKS_NOT_COMPLETE)));
  }

  @Test
  void aWorkerKilledMidStepLosesNothingAndTheStepCompletesOnce() throws Exception {
    TaskerProcess first = worker("worker-1", "faults");
    UUID task = create("faults", "slow_then_square", Map.of("mode", "sleep_past_timeout"));
    long deadline = System.nanoTime() + READY.toNanos();
    while (!"in_progress"
        .equals(
            db.queryString(
                "select current_state from tasker.workflow_steps where task_uuid = '"
                    + task
                    + "' and template_step_name = 'slow'"))) {
      assertThat(System.nanoTime()).as("step never started").isLessThan(deadline);
      Thread.sleep(50);
    }
    first.kill();
    worker("worker-2", "faults");

    awaitAllFinal(List.of(task), Duration.ofSeconds(120));
    assertThat(state(task)).isEqualTo("complete");
    assertThat(
            db.queryLong(
                "select attempts from tasker.workflow_steps where task_uuid = '"
                    + task
                    + "' and template_step_name = 'slow'"))
        .as("attempt 1 died with its worker; attempt 2 completed")
        .isEqualTo(2);
    assertThat(
            db.queryString(
                "select results::text from tasker.workflow_steps where task_uuid = '"
                    + task
                    + "' and template_step_name = 'square'"))
        .isEqualTo("{\"value\": 9}");
    assertAuditClean("worker SIGKILLed mid-step", List.of(task));
  }

  @Test
  void anOrchestratorKilledWhileRetriesArePendingIsReplacedByTheOther() throws Exception {
    TaskerProcess doomed = orchestrator("orchestrator-1");
    orchestrator("orchestrator-2");
    worker("worker-1", "conformance");
    List<UUID> tasks = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      tasks.add(
          create(
              "conformance",
              "retry_workflow",
              Map.of("mode", "succeed_on_third_attempt", "run", i)));
      if (i == 5) {
        doomed.kill(); // with retry timers of the first tasks pending in its queue reads
      }
    }
    awaitAllFinal(tasks, Duration.ofSeconds(120));
    assertAuditClean("orchestrator SIGKILLed with retries pending", tasks);
    assertThat(
            db.queryLong(
                "select count(*) from tasker.workflow_steps where template_step_name ="
                    + " 'scripted_step' and attempts <> 3"))
        .as("every scripted step failed twice, then succeeded on attempt 3")
        .isZero();
  }

  @Test
  void postgresRestartedUnderLoadEveryProcessReconnectsAndEveryTaskCompletes() throws Exception {
    Assumptions.assumeTrue(
        System.getenv("DATABASE_URL") == null || System.getenv("DATABASE_URL").isBlank(),
        "restarting PostgreSQL needs the embedded server (DATABASE_URL is set)");
    orchestrator("orchestrator-1");
    worker("worker-1", "faults");
    List<UUID> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(create("faults", "restart_linear", Map.of("even_number", 2 * (i + 1))));
    }
    LocalPostgres pg = new LocalPostgres(TestDatabases.testHome());
    assertThat(pg.stop()).as("the test server was running").isTrue();
    Thread.sleep(1500);
    pg.ensureRunning();
    for (int i = 10; i < 20; i++) {
      tasks.add(create("faults", "restart_linear", Map.of("even_number", 2 * (i + 1))));
    }
    awaitAllFinal(tasks, Duration.ofSeconds(150));
    assertAuditClean("PostgreSQL stopped and restarted under load", tasks);
    assertThat(processes).allMatch(TaskerProcess::alive);
  }
}
