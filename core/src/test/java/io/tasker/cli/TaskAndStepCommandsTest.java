package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tasker task ...} and {@code tasker step ...} run in this JVM against a real engine: an
 * orchestrator and a Java worker serving namespace {@code clitest}; namespace {@code cliidle} has
 * no worker, so its tasks stay unfinished.
 */
class TaskAndStepCommandsTest {
  private static final String DIAMOND =
      """
      name: diamond
      namespace_name: clitest
      version: 1.0.0
      input_schema:
        type: object
        required: [even_number]
        properties:
          even_number: {type: integer, minimum: 2}
      steps:
        - name: start
          handler: {callable: cli.square_input}
        - name: left
          dependencies: [start]
          handler: {callable: cli.square_parents}
        - name: right
          dependencies: [start]
          handler: {callable: cli.square_parents}
        - name: join
          dependencies: [left, right]
          handler: {callable: cli.square_parents}
      """;

  /** {@code flaky} fails for good unless the context says otherwise; {@code after} echoes it. */
  private static final String GATED =
      """
      name: gated
      namespace_name: clitest
      version: 1.0.0
      steps:
        - name: flaky
          handler: {callable: cli.flaky}
          retry: {retryable: false, max_attempts: 1}
        - name: after
          dependencies: [flaky]
          handler: {callable: cli.after}
      """;

  private static final String IDLE =
      """
      name: idle
      namespace_name: cliidle
      version: 1.0.0
      steps:
        - name: only
          handler: {callable: cli.never}
      """;

  private static final Set<UUID> FAILED_ONCE = ConcurrentHashMap.newKeySet();

  private static EngineHarness h;
  private static Cli cli;

  @BeforeAll
  static void start() {
    h = new EngineHarness("cli_tasks");
    h.handler(
            "cli.square_input",
            ctx -> {
              long n = ctx.input("even_number").asLong();
              return StepResult.success(Map.of("value", n * n));
            })
        .handler(
            "cli.square_parents",
            ctx -> {
              long p = 1;
              for (JsonNode r : ctx.dependencyResults().values()) {
                p *= r.path("value").asLong();
              }
              return StepResult.success(Map.of("value", p * p));
            })
        .handler(
            "cli.flaky",
            ctx -> {
              // with {"case": "reset"}, the second run (after an operator reset) succeeds
              boolean firstRun = FAILED_ONCE.add(ctx.taskUuid());
              if (firstRun || !ctx.input("case").asText().equals("reset")) {
                throw new PermanentError("flaky is broken", "broken");
              }
              return StepResult.success(Map.of("ran", "again"));
            })
        .handler(
            "cli.after",
            ctx -> {
              JsonNode parent = ctx.dependencyResults().get("flaky");
              return StepResult.success(
                  Map.of("saw", parent == null || parent.isNull() ? "nothing" : parent.toString()));
            })
        .register(DIAMOND)
        .register(GATED)
        .register(IDLE)
        .start(List.of("clitest"));
    cli = new Cli(h.db());
  }

  /** {@code tasker task create --namespace NAMESPACE --name NAME --context CONTEXT [MORE...]} */
  private static Cli.Run createTask(String namespace, String name, String context, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "task", "create", "--namespace", namespace, "--name", name, "--context", context));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  /** Creates a task and waits for it, printing its JSON document. */
  private static Cli.Run createAndWait(String namespace, String name, String context) {
    return createTask(namespace, name, context, "--wait", "--json");
  }

  /** Creates a task no worker serves, so it stays unfinished. */
  private static UUID idleTask(String context) {
    return UUID.fromString(createTask("cliidle", "idle", context).out().strip());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void malformedContextJsonIsAUsageErrorNamingLineAndColumn() {
    Cli.Run r = createTask("clitest", "diamond", "{\"even_number\": 6,\n \"oops\" 1}");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("tasker: --context is not valid JSON: ")
        .contains("(line 2, column");
  }

  @Test
  void anInvalidContextListsEveryProblemWithItsPath() {
    Cli.Run r = createTask("clitest", "diamond", "{\"even_number\": \"six\"}");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("tasker: context for clitest/diamond/1.0.0 is invalid (1 problem):")
        .contains("$.even_number");
  }

  @Test
  void anUnknownTemplateIsAUsageError() {
    Cli.Run r = createTask("clitest", "nope", "{}");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("tasker: no template clitest/nope");
  }

  @Test
  void aMissingOptionIsAUsageError() {
    Cli.Run r = cli.run("task", "create", "--namespace", "clitest", "--context", "{}");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--name=NAME'");
    Cli.Run bad = cli.run("task", "get", "not-a-uuid");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("tasker: TASK must be a uuid (got 'not-a-uuid')");
  }

  @Test
  void createWaitJsonPrintsTheFinishedTaskDocument() {
    Cli.Run r = createAndWait("clitest", "diamond", "{\"even_number\": 4}");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.get("state").asText()).isEqualTo("complete");
    assertThat(doc.get("namespace").asText()).isEqualTo("clitest");
    assertThat(doc.get("context").get("even_number").asInt()).isEqualTo(4);
    assertThat(EngineHarness.step(doc, "join").get("result").get("value").asLong())
        .isEqualTo(4_294_967_296L); // ((4²)²·(4²)²)² = 4^16
    assertThat(doc.get("steps")).hasSize(4);
    for (JsonNode s : doc.get("steps")) {
      assertThat(s.get("state").asText()).isEqualTo("complete");
      assertThat(s.get("attempts").asInt()).isEqualTo(1);
      assertThat(s.get("error").isNull()).isTrue();
    }
  }

  @Test
  void createWaitSummarisesEachStepAndExits1WhenTheTaskFails() {
    Cli.Run r = createTask("clitest", "gated", "{\"case\": \"summary\"}", "--wait");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains("template  clitest/gated/1.0.0")
        .containsPattern("state +error")
        .containsPattern("flaky +error +1/1 +error broken: flaky is broken")
        .containsPattern("after +pending +0/3 +-");
  }

  @Test
  void createWithoutWaitPrintsTheUuidAndADuplicateNamesTheExistingTask() {
    Cli.Run first = createTask("cliidle", "idle", "{\"case\": \"duplicate\"}");
    assertThat(first.exit()).as(first.toString()).isZero();
    UUID task = UUID.fromString(first.out().strip());

    Cli.Run again = createTask("cliidle", "idle", "{\"case\": \"duplicate\"}");
    assertThat(again.exit()).as(again.toString()).isEqualTo(2);
    assertThat(again.err())
        .startsWith("tasker: a task with the same identity")
        .contains(task.toString());

    Cli.Run keyed =
        createTask("cliidle", "idle", "{\"case\": \"duplicate\"}", "--idempotency-key", "second");
    assertThat(keyed.exit()).as(keyed.toString()).isZero();
    assertThat(keyed.out().strip()).isNotEqualTo(task.toString());
  }

  @Test
  void waitTimesOutWithExit3WhenNoWorkerServesTheNamespace() {
    Cli.Run r =
        createTask(
            "cliidle", "idle", "{\"case\": \"timeout\"}", "--wait", "--timeout", "0.2", "--json");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.json().get("state").asText()).isNotIn("complete", "error", "cancelled");
    assertThat(r.err()).contains("did not finish within").contains("namespace 'cliidle'");
  }

  @Test
  void getListAndCancel() {
    UUID task = idleTask("{\"case\": \"cancel\"}");

    Cli.Run get = cli.run("task", "get", task.toString());
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.out())
        .startsWith("task      " + task + "\n")
        .contains("template  cliidle/idle/1.0.0")
        .contains("context   {\"case\":\"cancel\"}")
        .containsPattern("only +(pending|enqueued) +0/3");

    JsonNode doc = cli.run("task", "get", task.toString(), "--json").json();
    assertThat(doc.get("task_uuid").asText()).isEqualTo(task.toString());
    assertThat(doc.get("steps").get(0).get("name").asText()).isEqualTo("only");

    Cli.Run list = cli.run("task", "list", "--namespace", "cliidle", "--name", "idle");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).containsPattern(task + " +cliidle/idle/1\\.0\\.0 +\\w+ +0/1");

    Cli.Run cancel = cli.run("task", "cancel", task.toString(), "--reason", "test");
    assertThat(cancel.exit()).as(cancel.toString()).isZero();
    assertThat(cancel.out().strip()).isEqualTo("task " + task + " is now cancelled");

    JsonNode cancelled =
        cli.run("task", "list", "--namespace", "cliidle", "--state", "cancelled", "--json").json();
    assertThat(cancelled.get("tasks").findValuesAsText("task_uuid")).contains(task.toString());
    assertThat(cancelled.get("tasks").findValuesAsText("state")).containsOnly("cancelled");
    JsonNode complete =
        cli.run("task", "list", "--namespace", "cliidle", "--state", "complete", "--json").json();
    assertThat(complete.get("tasks").findValuesAsText("task_uuid")).doesNotContain(task.toString());

    Cli.Run twice = cli.run("task", "cancel", task.toString());
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).contains("already cancelled");

    Cli.Run badState = cli.run("task", "list", "--state", "done");
    assertThat(badState.exit()).isEqualTo(2);
    assertThat(badState.err()).contains("--state must be one of pending,");

    Cli.Run unknown = cli.run("task", "get", UUID.randomUUID().toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("tasker: no task ");
  }

  @Test
  void resolvingAFailedStepByNameUnblocksItsDependent() throws Exception {
    Cli.Run failed = createAndWait("clitest", "gated", "{\"case\": \"resolve\"}");
    assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
    UUID task = UUID.fromString(failed.json().get("task_uuid").asText());
    assertThat(EngineHarness.step(failed.json(), "after").get("state").asText())
        .isEqualTo("pending");

    Cli.Run steps = cli.run("step", "list", task.toString());
    assertThat(steps.out())
        .containsPattern(
            "flaky +[0-9a-f-]{36} +standard +error +1/1 +error broken: flaky is broken");

    Cli.Run resolve = cli.run("step", "resolve", task.toString(), "flaky", "--reason", "fixed");
    assertThat(resolve.exit()).as(resolve.toString()).isZero();
    assertThat(resolve.out())
        .startsWith("step flaky is now resolved_manually; task " + task + " is now ");

    JsonNode doc = h.runToEnd(task);
    assertThat(doc.get("state").asText()).isEqualTo("complete");
    assertThat(EngineHarness.step(doc, "flaky").get("state").asText())
        .isEqualTo("resolved_manually");
    assertThat(EngineHarness.step(doc, "after").get("state").asText()).isEqualTo("complete");

    Cli.Run json = cli.run("step", "list", task.toString(), "--json");
    assertThat(json.json().get("state").asText()).isEqualTo("complete");
    assertThat(json.json().get("steps").findValuesAsText("name")).contains("flaky", "after");
  }

  @Test
  void completingAFailedStepByUuidHandsItsResultToTheDependent() throws Exception {
    Cli.Run failed = createAndWait("clitest", "gated", "{\"case\": \"complete\"}");
    UUID task = UUID.fromString(failed.json().get("task_uuid").asText());
    String flaky = EngineHarness.step(failed.json(), "flaky").get("step_uuid").asText();

    Cli.Run done =
        cli.run(
            "step",
            "complete",
            task.toString(),
            flaky,
            "--result",
            "{\"fixed_by\": \"hand\"}",
            "--json");
    assertThat(done.exit()).as(done.toString()).isZero();
    assertThat(done.json().get("step").asText()).isEqualTo("flaky");
    assertThat(done.json().get("step_state").asText()).isEqualTo("complete");

    JsonNode doc = h.runToEnd(task);
    assertThat(doc.get("state").asText()).isEqualTo("complete");
    assertThat(EngineHarness.step(doc, "after").get("result").get("saw").asText())
        .contains("\"fixed_by\":\"hand\"");
  }

  @Test
  void stepCommandsNameTheStepsWhenTheStepIsUnknownAndRejectBadJson() {
    UUID task = idleTask("{\"case\": \"unknown step\"}");
    Cli.Run r = cli.run("step", "resolve", task.toString(), "nope");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("has no step nope (its steps: only)");

    Cli.Run bad = cli.run("step", "complete", task.toString(), "only", "--result", "{nope");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("tasker: --result is not valid JSON").contains("line 1");

    JsonNode finished = createAndWait("clitest", "diamond", "{\"even_number\": 2}").json();
    Cli.Run late =
        cli.run("step", "resolve", finished.get("task_uuid").asText(), "join", "--reason", "x");
    assertThat(late.exit()).as(late.toString()).isEqualTo(1);
    assertThat(late.err()).contains("is complete; its steps can no longer change");
  }

  @Test
  void resettingAFailedStepRunsItAgain() throws Exception {
    Cli.Run failed = createAndWait("clitest", "gated", "{\"case\": \"reset\"}");
    assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
    UUID task = UUID.fromString(failed.json().get("task_uuid").asText());

    Cli.Run reset = cli.run("step", "reset", task.toString(), "flaky");
    assertThat(reset.exit()).as(reset.toString()).isZero();
    assertThat(reset.out()).startsWith("step flaky is now pending; task " + task + " is now ");

    JsonNode doc = h.runToEnd(task);
    assertThat(doc.get("state").asText()).isEqualTo("complete");
    assertThat(EngineHarness.step(doc, "flaky").get("result").get("ran").asText())
        .isEqualTo("again");
  }
}
