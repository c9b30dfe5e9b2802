/* Misuse of every kind: calls before init and after shutdown, NULL and bad arguments, malformed
 * and truncated JSON, schema mismatches (with their JSON paths), unknown events, double
 * completion, double buf_free. Needs no database except for the client calls (DATABASE_URL). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

static const char* VALID_COMPLETION =
    "{\"event_id\":\"e\",\"result\":{\"success\":true,\"status\":\"completed\",\"result\":{}}}";
static const char* VALID_CHECKPOINT =
    "{\"event_id\":\"e\",\"cursor\":1,\"items_processed\":1,\"accumulated_results\":null}";

/* Every function that needs init returns code, with an error document where it has an out. */
static void every_call_returns(int32_t code, const char* when) {
  tasker_buf out = {0};
  char what[128];
#define EXPECT(fn_call, name)                        \
  snprintf(what, sizeof what, "%s %s", name, when);  \
  expect_error(what, fn_call, code, &out, NULL, NULL)
  EXPECT(call_text(tasker_worker_start, "{\"namespaces\":[\"x\"],\"handlers\":[\"y\"]}", &out),
         "worker_start");
  EXPECT(tasker_worker_stop(0, &out), "worker_stop");
  EXPECT(tasker_worker_status(&out), "worker_status");
  EXPECT(tasker_poll(1, 0, &out), "poll");
  EXPECT(call_text(tasker_complete, VALID_COMPLETION, &out), "complete");
  EXPECT(call_text(tasker_checkpoint, VALID_CHECKPOINT, &out), "checkpoint");
  EXPECT(call_text(tasker_client, "{\"op\":\"health\"}", &out), "client");
#undef EXPECT
  const char* log = "{\"message\":\"hello\"}";
  CHECK(tasker_log(2, (const uint8_t*)log, strlen(log)) == code, "log %s", when);
}

static void init_errors(void) {
  tasker_buf out = {0};
  expect_error("init NULL cfg", tasker_init(NULL, 5, &out), TASKER_E_INVALID, &out, NULL, "NULL");
  expect_error("init truncated", call_text(tasker_init, "{\"classpath\": [\"a\"", &out),
               TASKER_E_INVALID, &out, NULL, "truncated");
  expect_error("init wrong type", call_text(tasker_init, "{\"jvm_options\": 5}", &out),
               TASKER_E_INVALID, &out, NULL, "$.jvm_options");
  expect_error("init not an object", call_text(tasker_init, "[1]", &out), TASKER_E_INVALID, &out,
               NULL, "object");
  expect_error("init trailing text", call_text(tasker_init, "{} x", &out), TASKER_E_INVALID, &out,
               NULL, "after");
  /* the JVM boots here; Java checks what C does not know */
  expect_error("init unknown key", call_text(tasker_init, "{\"bogus\": 1}", &out),
               TASKER_E_INVALID, &out, "$.bogus", NULL);
  expect_error("init bad log_level", call_text(tasker_init, "{\"log_level\": \"loud\"}", &out),
               TASKER_E_INVALID, &out, "$.log_level", NULL);
  cJSON* info = ok_json("init", init_default(&out), &out);
  CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(info, "attached")), "created, not attached");
  CHECK(cJSON_GetObjectItemCaseSensitive(info, "abi_version")->valueint == 1, "abi_version 1");
  CHECK(strncmp(str_of(info, "java_version"), "25", 2) >= 0, "java_version");
  cJSON_Delete(info);
  cJSON_Delete(ok_json("init again", init_default(&out), &out));
  cJSON_Delete(ok_json("init NULL config", tasker_init(NULL, 0, &out), &out));
}

static void not_running(void) {
  tasker_buf out = {0};
  expect_error("poll before start", tasker_poll(1, 0, &out), TASKER_E_NOT_RUNNING, &out, NULL,
               NULL);
  expect_error("complete before start", call_text(tasker_complete, VALID_COMPLETION, &out),
               TASKER_E_NOT_RUNNING, &out, NULL, NULL);
  expect_error("checkpoint before start", call_text(tasker_checkpoint, VALID_CHECKPOINT, &out),
               TASKER_E_NOT_RUNNING, &out, NULL, NULL);
  cJSON* st = ok_json("status", tasker_worker_status(&out), &out);
  CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(st, "running")), "not running");
  cJSON_Delete(st);
  cJSON* stop = ok_json("stop without worker", tasker_worker_stop(0, &out), &out);
  CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(stop, "stopped")), "nothing stopped");
  cJSON_Delete(stop);
}

static void null_and_bad_arguments(void) {
  tasker_buf out = {0};
  CHECK(tasker_poll(1, 0, NULL) == TASKER_E_INVALID, "poll NULL out");
  CHECK(tasker_worker_status(NULL) == TASKER_E_INVALID, "status NULL out");
  CHECK(tasker_client((const uint8_t*)"{}", 2, NULL) == TASKER_E_INVALID, "client NULL out");
  expect_error("complete NULL", tasker_complete(NULL, 0, &out), TASKER_E_INVALID, &out, NULL,
               NULL);
  expect_error("checkpoint NULL", tasker_checkpoint(NULL, 3, &out), TASKER_E_INVALID, &out, NULL,
               NULL);
  expect_error("client NULL", tasker_client(NULL, 0, &out), TASKER_E_INVALID, &out, NULL, NULL);
  expect_error("worker_start NULL", tasker_worker_start(NULL, 7, &out), TASKER_E_INVALID, &out,
               NULL, NULL);
  CHECK(tasker_log(2, NULL, 0) == TASKER_E_INVALID, "log NULL");
  /* out may be NULL where the header says so */
  CHECK(call_text(tasker_complete, "{", NULL) == TASKER_E_INVALID, "complete, NULL out");
}

static void worker_start_errors(void) {
  tasker_buf out = {0};
  expect_error("start {}", call_text(tasker_worker_start, "{}", &out), TASKER_E_INVALID, &out,
               "$.namespaces", NULL);
  expect_error("start without handlers",
               call_text(tasker_worker_start, "{\"namespaces\":[\"a\"]}", &out), TASKER_E_INVALID,
               &out, "$.handlers", NULL);
  expect_error("start concurrency 0",
               call_text(tasker_worker_start,
                         "{\"namespaces\":[\"a\"],\"handlers\":[\"h\"],\"concurrency\":0}", &out),
               TASKER_E_INVALID, &out, "$.concurrency", NULL);
  expect_error("start unknown key",
               call_text(tasker_worker_start,
                         "{\"namespaces\":[\"a\"],\"handlers\":[\"h\"],\"bogus\":true}", &out),
               TASKER_E_INVALID, &out, "$.bogus", NULL);
  expect_error("start missing templates_dir",
               call_text(tasker_worker_start,
                         "{\"templates_dir\":\"/no/such/dir\",\"handlers\":[\"h\"]}", &out),
               TASKER_E_INVALID, &out, "$.templates_dir", NULL);
  expect_error("start namespaces not strings",
               call_text(tasker_worker_start, "{\"namespaces\":[1],\"handlers\":[\"h\"]}", &out),
               TASKER_E_INVALID, &out, "$.namespaces[0]", NULL);
  expect_error("start truncated", call_text(tasker_worker_start, "{\"namespaces\":", &out),
               TASKER_E_INVALID, &out, "$", NULL);
  expect_error("start not JSON", call_text(tasker_worker_start, "namespaces", &out),
               TASKER_E_INVALID, &out, "$", NULL);
}

static char* completion_for(const char* id, const char* result_members) {
  char* doc = NULL;
  if (asprintf(&doc, "{\"event_id\":\"%s\",\"result\":{%s}}", id, result_members) < 0) {
    return NULL;
  }
  return doc;
}

static void completion_errors(const char* e1, const char* e2) {
  tasker_buf out = {0};
  struct {
    const char* members;
    const char* path;
  } bad[] = {
      {"\"success\":true,\"status\":\"failed\"", "$.result.status"},
      {"\"success\":true,\"status\":\"done\"", "$.result.status"},
      {"\"success\":false,\"status\":\"failed\"", "$.result.error"},
      {"\"status\":\"completed\"", "$.result.success"},
      {"\"success\":\"yes\",\"status\":\"completed\"", "$.result.success"},
      {"\"success\":true,\"status\":\"completed\",\"bogus\":1", "$.result.bogus"},
      {"\"success\":false,\"status\":\"failed\",\"error\":{\"message\":\"m\",\"error_type\":\"t\","
       "\"retryable\":\"yes\"}",
       "$.result.error.retryable"},
      {"\"success\":false,\"status\":\"failed\",\"error\":{\"message\":\"m\",\"retryable\":true}",
       "$.result.error.error_type"},
      {"\"success\":false,\"status\":\"failed\",\"error\":{\"message\":\"m\",\"error_type\":\"t\","
       "\"retryable\":true,\"extra\":1}",
       "$.result.error.extra"},
      {"\"success\":false,\"status\":\"failed\",\"error\":{\"message\":\"m\",\"error_type\":\"t\","
       "\"retryable\":true,\"backtrace\":[1]}",
       "$.result.error.backtrace[0]"},
      {"\"success\":true,\"status\":\"completed\",\"metadata\":{\"execution_time_ms\":\"1\"}",
       "$.result.metadata.execution_time_ms"},
      {"\"success\":false,\"status\":\"failed\",\"error\":{\"message\":\"m\",\"error_type\":\"t\","
       "\"retryable\":true},\"backoff_hint\":{\"delay_seconds\":-1}",
       "$.result.backoff_hint.delay_seconds"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char* doc = completion_for(e1, bad[i].members);
    char what[64];
    snprintf(what, sizeof what, "bad completion %zu", i);
    expect_error(what, call_text(tasker_complete, doc, &out), TASKER_E_INVALID, &out, bad[i].path,
                 NULL);
    free(doc);
  }
  expect_error("event_id not a string",
               call_text(tasker_complete, "{\"event_id\":5,\"result\":{}}", &out), TASKER_E_INVALID,
               &out, "$.event_id", NULL);
  expect_error("no event_id", call_text(tasker_complete, "{\"result\":{}}", &out),
               TASKER_E_INVALID, &out, "$.event_id", NULL);
  expect_error("truncated completion", call_text(tasker_complete, "{\"event_id\":\"ab", &out),
               TASKER_E_INVALID, &out, "$", NULL);
  const uint8_t not_utf8[] = {'{', '"', 0xff, 0xfe, '"', ':', '1', '}'};
  expect_error("invalid UTF-8", tasker_complete(not_utf8, sizeof not_utf8, &out), TASKER_E_INVALID,
               &out, "$", NULL);
  expect_error("completion is a number", call_text(tasker_complete, "42", &out), TASKER_E_INVALID,
               &out, "$", NULL);

  /* a batch with one invalid element applies nothing */
  char* good1 = completion_for(e1, "\"success\":true,\"status\":\"completed\",\"result\":{\"n\":1}");
  char* batch = NULL;
  if (asprintf(&batch, "[%s,{\"event_id\":\"%s\",\"result\":{\"success\":1}}]", good1, e2) < 0) {
    return;
  }
  expect_error("batch with an invalid element", call_text(tasker_complete, batch, &out),
               TASKER_E_INVALID, &out, "$[1].result.success", NULL);
  free(batch);
  /* so e1 is still open */
  cJSON_Delete(ok_json("complete e1", call_text(tasker_complete, good1, &out), &out));
  expect_error("double completion", call_text(tasker_complete, good1, &out),
               TASKER_E_ALREADY_COMPLETED, &out, "$.event_id", NULL);
  expect_error("unknown event",
               call_text(tasker_complete,
                         "{\"event_id\":\"no-such-event\",\"result\":{\"success\":true,"
                         "\"status\":\"completed\",\"result\":null}}",
                         &out),
               TASKER_E_UNKNOWN_EVENT, &out, "$.event_id", NULL);
  /* in a batch, late/double/unknown completions are reported per element */
  char* good2 = completion_for(e2, "\"success\":true,\"status\":\"completed\"");
  char* unknown = completion_for("no-such-event", "\"success\":true,\"status\":\"completed\"");
  if (asprintf(&batch, "[%s,%s,%s]", good2, good1, unknown) < 0) {
    return;
  }
  cJSON* res = ok_json("batch with rejections", call_text(tasker_complete, batch, &out), &out);
  CHECK(cJSON_GetObjectItemCaseSensitive(res, "completed")->valueint == 1, "one applied");
  cJSON* rejected = cJSON_GetObjectItemCaseSensitive(res, "rejected");
  CHECK(cJSON_GetArraySize(rejected) == 2, "two rejected");
  CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rejected, 0), "code")->valueint ==
            TASKER_E_ALREADY_COMPLETED,
        "first rejection: already completed");
  CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rejected, 1), "code")->valueint ==
            TASKER_E_UNKNOWN_EVENT,
        "second rejection: unknown");
  cJSON_Delete(res);
  free(batch);
  free(good1);
  free(good2);
  free(unknown);
}

static void checkpoint_errors(const char* e3) {
  tasker_buf out = {0};
  char doc[512];
  snprintf(doc, sizeof doc, "{\"event_id\":\"%s\",\"items_processed\":1}", e3);
  expect_error("checkpoint without cursor", call_text(tasker_checkpoint, doc, &out),
               TASKER_E_INVALID, &out, "$.cursor", NULL);
  snprintf(doc, sizeof doc, "{\"event_id\":\"%s\",\"cursor\":1,\"items_processed\":-1}", e3);
  expect_error("checkpoint negative items", call_text(tasker_checkpoint, doc, &out),
               TASKER_E_INVALID, &out, "$.items_processed", NULL);
  snprintf(doc, sizeof doc, "{\"event_id\":\"%s\",\"cursor\":1,\"items_processed\":1,\"x\":2}", e3);
  expect_error("checkpoint unknown key", call_text(tasker_checkpoint, doc, &out), TASKER_E_INVALID,
               &out, "$.x", NULL);
  snprintf(doc, sizeof doc,
           "{\"event_id\":\"%s\",\"cursor\":{\"page\":2},\"items_processed\":10,"
           "\"accumulated_results\":{\"sum\":5}}",
           e3);
  cJSON_Delete(ok_json("checkpoint", call_text(tasker_checkpoint, doc, &out), &out));
  expect_error("checkpoint twice", call_text(tasker_checkpoint, doc, &out),
               TASKER_E_ALREADY_COMPLETED, &out, "$.event_id", NULL);
}

static void log_calls(void) {
  const char* ok = "{\"message\":\"from C\",\"logger\":\"tasker.c.test\",\"fields\":{\"k\":1}}";
  CHECK(tasker_log(TASKER_LOG_INFO, (const uint8_t*)ok, strlen(ok)) == TASKER_OK, "log ok");
  CHECK(tasker_log(9, (const uint8_t*)ok, strlen(ok)) == TASKER_E_INVALID, "log bad level");
  CHECK(tasker_log(-1, (const uint8_t*)ok, strlen(ok)) == TASKER_E_INVALID, "log level -1");
  const char* truncated = "{\"message\":";
  CHECK(tasker_log(2, (const uint8_t*)truncated, strlen(truncated)) == TASKER_E_INVALID,
        "log truncated");
  const char* no_message = "{\"fields\":{}}";
  CHECK(tasker_log(2, (const uint8_t*)no_message, strlen(no_message)) == TASKER_E_INVALID,
        "log without message");
  const char* bad_fields = "{\"message\":\"m\",\"fields\":[1]}";
  CHECK(tasker_log(2, (const uint8_t*)bad_fields, strlen(bad_fields)) == TASKER_E_INVALID,
        "log fields not an object");
}

static void client_errors(void) {
  tasker_buf out = {0};
  expect_error("client truncated", client_call(&out, "{\"op\":\"task.get\",\"args\":{"),
               TASKER_E_INVALID, &out, NULL, NULL);
  expect_error("client unknown op", client_call(&out, "{\"op\":\"nope\"}"), TASKER_E_INVALID, &out,
               "$.op", NULL);
  expect_error("client bad uuid", client_call(&out, "{\"op\":\"task.get\",\"args\":{\"task_uuid\":7}}"),
               TASKER_E_INVALID, &out, "$.args.task_uuid", NULL);
  expect_error(
      "client unknown task",
      client_call(&out,
                  "{\"op\":\"task.get\",\"args\":{\"task_uuid\":\"00000000-0000-7000-8000-000000000000\"}}"),
      TASKER_E_NOT_FOUND, &out, NULL, NULL);
  cJSON_Delete(client_ok("{\"op\":\"health\"}"));
}

int case_misuse(void) {
  CHECK(tasker_abi_version() == TASKER_ABI_VERSION, "abi version");
  tasker_buf zero = {0};
  tasker_buf_free(NULL);
  tasker_buf_free(&zero);
  every_call_returns(TASKER_E_NOT_INITIALIZED, "before init");
  CHECK(tasker_shutdown() == TASKER_E_NOT_INITIALIZED, "shutdown before init");
  init_errors();
  not_running();
  null_and_bad_arguments();
  worker_start_errors();

  tasker_buf out = {0};
  const char* loopback = "{\"loopback\":{\"payload_bytes\":16},\"concurrency\":3}";
  cJSON* w1 = ok_json("start loopback", call_text(tasker_worker_start, loopback, &out), &out);
  cJSON* w2 = ok_json("start again", call_text(tasker_worker_start, loopback, &out), &out);
  CHECK(strcmp(str_of(w1, "worker_id"), str_of(w2, "worker_id")) == 0, "same worker");
  cJSON_Delete(w1);
  cJSON_Delete(w2);
  expect_error("poll max 0", tasker_poll(0, 0, &out), TASKER_E_INVALID, &out, NULL, NULL);
  expect_error("poll max 1001", tasker_poll(1001, 0, &out), TASKER_E_INVALID, &out, NULL, NULL);
  cJSON* events = poll_n(3, 5000);
  CHECK(cJSON_GetArraySize(events) == 3, "3 loopback events");
  if (cJSON_GetArraySize(events) == 3) {
    completion_errors(str_of(cJSON_GetArrayItem(events, 0), "event_id"),
                      str_of(cJSON_GetArrayItem(events, 1), "event_id"));
    checkpoint_errors(str_of(cJSON_GetArrayItem(events, 2), "event_id"));
  }
  cJSON_Delete(events);
  log_calls();
  client_errors();

  cJSON* st = ok_json("status", tasker_worker_status(&out), &out);
  cJSON* ch = cJSON_GetObjectItemCaseSensitive(st, "channel");
  CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "running")), "running");
  CHECK(cJSON_GetObjectItemCaseSensitive(ch, "capacity")->valueint == 3, "capacity 3");
  CHECK(cJSON_GetObjectItemCaseSensitive(ch, "completed")->valueint == 3, "3 completed");
  CHECK(cJSON_GetObjectItemCaseSensitive(ch, "rejected")->valueint >= 4, "rejections counted");
  cJSON_Delete(st);

  cJSON* stop = ok_json("stop", tasker_worker_stop(100, &out), &out);
  CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stop, "stopped")), "stopped");
  cJSON_Delete(stop);
  stop = ok_json("stop again", tasker_worker_stop(100, &out), &out);
  CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(stop, "stopped")), "already stopped");
  cJSON_Delete(stop);
  expect_error("complete after stop", call_text(tasker_complete, VALID_COMPLETION, &out),
               TASKER_E_NOT_RUNNING, &out, NULL, NULL);

  /* a filled buffer freed twice: the second is a no-op (the first zeroed it) */
  CHECK(tasker_worker_status(&out) == TASKER_OK, "status");
  tasker_buf_free(&out);
  CHECK(out.ptr == NULL && out.len == 0, "zeroed");
  tasker_buf_free(&out);

  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown again");
  every_call_returns(TASKER_E_NOT_INITIALIZED, "after shutdown");
  expect_error("init after shutdown", init_default(&out), TASKER_E_NOT_INITIALIZED, &out, NULL,
               "shutdown");
  return g_failures == 0 ? 0 : 1;
}

/* No JVM anywhere: the error lists every place tried; a later init may try again. */
int case_no_jvm(void) {
  tasker_buf out = {0};
  for (int i = 0; i < 2; i++) {
    expect_error("init without a JVM",
                 call_text(tasker_init, "{\"libjvm\": \"/no/such/libjvm.so\"}", &out),
                 TASKER_E_JVM, &out, NULL, NULL);
  }
  int32_t rc = call_text(tasker_init, "{\"java_home\": \"/no/such/jdk\"}", &out);
  CHECK(rc == TASKER_E_JVM, "rc");
  cJSON* doc = parse_buf(&out);
  const char* msg = str_of(cJSON_GetObjectItemCaseSensitive(doc, "error"), "message");
  CHECK(strstr(msg, "/no/such/jdk/lib/server/libjvm.so") != NULL, "lists java_home: %s", msg);
  CHECK(strstr(msg, "TASKER_LIBJVM") != NULL, "lists TASKER_LIBJVM: %s", msg);
  CHECK(strstr(msg, "JAVA_HOME") != NULL, "lists JAVA_HOME: %s", msg);
  CHECK(strstr(msg, "java on PATH") != NULL, "lists PATH: %s", msg);
  printf("no_jvm message: %s\n", msg);
  cJSON_Delete(doc);
  tasker_buf_free(&out);
  CHECK(tasker_poll(1, 0, &out) == TASKER_E_NOT_INITIALIZED, "still not initialized");
  tasker_buf_free(&out);
  return g_failures == 0 ? 0 : 1;
}
