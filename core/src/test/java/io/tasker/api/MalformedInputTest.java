package io.tasker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.TaskerException;
import io.tasker.client.ClientOps;
import io.tasker.client.LocalTaskerClient;
import io.tasker.template.TemplateParser;
import io.tasker.testing.EngineHarness;
import io.tasker.testing.Figures;
import io.tasker.worker.StepResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the doors (issue 10), fuzz style: valid documents cut at every few bytes, with bytes
 * flipped (fixed seed, so a failure reproduces), values swapped for values of other types, deep
 * nesting, huge strings. Every answer is a 4xx problem or an error code, never a 5xx or an internal
 * error, and the database changes only for the inputs that were accepted.
 */
class MalformedInputTest {
  private static final String CREATE =
      "{\"namespace\":\"rest\",\"name\":\"double\",\"version\":\"1.0.0\","
          + "\"context\":{\"n\":3},\"initiator\":\"fuzz\",\"reason\":\"r\"}";
  private static final String CLIENT_CREATE = "{\"op\":\"task.create\",\"args\":" + CREATE + "}";

  static EngineHarness h;
  static ApiServer server;
  static URI url;

  @BeforeAll
  static void start() {
    h = new EngineHarness("malformed_input");
    h.handler("t.double", ctx -> StepResult.success(Map.of("value", 1)))
        .register(RestApiTest.TEMPLATE);
    server =
        ApiServer.start(
            ApiConfig.defaults().withPort(0).withLimits(64 * 1024, 8, 100_000),
            h.engine(),
            h.waker());
    url = server.url();
  }

  @AfterAll
  static void stop() {
    server.close();
    h.close();
  }

  /** Mutations of {@code valid}: truncations, byte flips, type swaps, nesting, size. */
  static List<String> mutations(String valid, long seed) {
    Set<String> out = new LinkedHashSet<>();
    for (int cut = 0; cut < valid.length(); cut += 3) {
      out.add(valid.substring(0, cut));
    }
    Random r = new Random(seed);
    String junk = "{}[]\",:\\0x-e.tfn \u0000\u00ff";
    for (int i = 0; i < 150; i++) {
      char[] c = valid.toCharArray();
      int flips = 1 + r.nextInt(3);
      for (int f = 0; f < flips; f++) {
        c[r.nextInt(c.length)] = junk.charAt(r.nextInt(junk.length()));
      }
      out.add(new String(c));
    }
    for (String value :
        List.of(
            "null", "[]", "{}", "1e309", "-1", "true", "\"\"", "\"" + "x".repeat(70_000) + "\"")) {
      out.add(valid.replace("\"rest\"", value));
      out.add(valid.replace("{\"n\":3}", value));
      out.add(valid.replace("\"1.0.0\"", value));
    }
    out.add("[".repeat(20_000) + "]".repeat(20_000));
    out.add("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
    out.add("");
    out.add("null");
    out.add("\"just a string\"");
    out.add(valid + valid);
    return new ArrayList<>(out);
  }

  private long tasks() {
    return h.db().queryLong("select count(*) from tasker.tasks");
  }

  @Test
  void restCreateAnswersEveryMalformedBodyWith4xxAndStoresNothingForIt() {
    long before = tasks();
    int accepted = 0;
    List<String> inputs = mutations(CREATE, 42);
    for (String body : inputs) {
      Http.Answer a = Http.postJson(url, "/v1/tasks", body);
      assertThat(a.status()).as("POST /v1/tasks %.200s -> %s", body, a.body()).isLessThan(500);
      if (a.status() < 300) {
        accepted++;
      } else {
        assertThat(a.status()).as("%.200s", body).isBetween(400, 499);
        assertThat(a.body()).doesNotContain("at io.tasker").doesNotContain("Exception:");
      }
    }
    assertThat(tasks()).as("tasks stored = tasks accepted").isEqualTo(before + accepted);
    assertThat(accepted).as("most mutations are invalid").isLessThan(inputs.size() / 4);
    figures("REST POST /v1/tasks", inputs.size(), accepted, tasks() - before - accepted);
  }

  private static void figures(String door, int tried, int accepted, long storedForRefused) {
    Figures.record(
        "malformed_input",
        door,
        io.tasker.Json.object()
            .put("tried", tried)
            .put("accepted", accepted)
            .put("refused", tried - accepted)
            .put("server_errors", 0)
            .put("stored_for_refused", storedForRefused));
  }

  @Test
  void wrongContentTypesAndMethodsAre4xx() {
    assertThat(Http.call(url, "POST", "/v1/tasks", "text/plain", CREATE).status()).isEqualTo(415);
    assertThat(Http.call(url, "POST", "/v1/tasks", null, CREATE).status()).isBetween(400, 499);
    assertThat(Http.call(url, "PUT", "/v1/tasks", "application/json", CREATE).status())
        .isBetween(400, 499);
    assertThat(Http.get(url, "/v1/tasks/not-a-uuid").status()).isEqualTo(400);
    assertThat(Http.get(url, "/v1/tasks?limit=-5").status()).isEqualTo(400);
  }

  @Test
  void clientOpsAnswerEveryMalformedRequestWithAnErrorCodeNotAnInternalError() {
    ClientOps ops = new ClientOps(new LocalTaskerClient(h.engine(), h.waker()));
    long before = tasks();
    int accepted = 0;
    List<String> requests = mutations(CLIENT_CREATE, 7);
    for (String request : requests) {
      ClientOps.Reply reply = ops.execute(request);
      assertThat(reply.status())
          .as("%.200s -> %.300s", request, reply.json())
          .isNotEqualTo(-99); // TASKER_E_INTERNAL
      if (reply.status() == 0) {
        accepted++;
      } else {
        assertThat(reply.json()).as("%.200s", request).contains("\"error\"");
      }
    }
    assertThat(tasks()).isEqualTo(before + accepted);
    figures(
        "C ABI tasker_client create_task", requests.size(), accepted, tasks() - before - accepted);
  }

  @Test
  void malformedTemplatesGiveTemplateErrorsAndRegisterNothing() {
    long before = h.db().queryLong("select count(*) from tasker.named_tasks");
    int parsed = 0;
    List<String> yamls = mutations(RestApiTest.TEMPLATE.replace("name: double", "name: fuzzed"), 3);
    for (String yaml : yamls) {
      try {
        new TemplateParser().parse(yaml, "fuzz.yaml");
        parsed++;
      } catch (TaskerException e) {
        assertThat(e.getMessage()).as("%.200s", yaml).isNotBlank();
      }
      String body = io.tasker.Json.object().put("yaml", yaml).toString();
      Http.Answer a = Http.postJson(url, "/v1/templates", body);
      assertThat(a.status()).as("POST /v1/templates %.200s -> %s", yaml, a.body()).isLessThan(500);
    }
    long registered = h.db().queryLong("select count(*) from tasker.named_tasks") - before;
    assertThat(registered)
        .as("only templates that parse can be registered")
        .isLessThanOrEqualTo(parsed);
    figures("templates (parser and POST /v1/templates)", yamls.size(), parsed, 0);
  }
}
