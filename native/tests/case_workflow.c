/* Real workflows through the ABI against a real database: tasks created and awaited with
 * tasker_client, steps run by the C handlers; the deadline path; backpressure. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

/* Registers every template file of dir given as (dir, file) pairs through tasker_client. */
static void register_template(const char* dir, const char* file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  char* yaml = read_file(path);
  CHECK(yaml != NULL, "read %s", path);
  if (yaml == NULL) {
    return;
  }
  char* quoted = json_quote(yaml);
  cJSON* r = client_ok("{\"op\":\"template.register\",\"args\":{\"yaml\":%s}}", quoted);
  CHECK(r != NULL, "registered %s", file);
  cJSON_Delete(r);
  free(quoted);
  free(yaml);
}

static char* create_task(const char* ns, const char* name, const char* context) {
  cJSON* t = client_ok("{\"op\":\"task.create\",\"args\":{\"namespace\":\"%s\",\"name\":\"%s\","
                       "\"context\":%s}}",
                       ns, name, context);
  char* id = strdup(str_of(t, "task_uuid"));
  CHECK(strlen(id) == 36, "task uuid of %s", name);
  cJSON_Delete(t);
  return id;
}

static cJSON* wait_task(const char* task, int timeout_ms) {
  return client_ok("{\"op\":\"task.wait\",\"args\":{\"task_uuid\":\"%s\",\"timeout_ms\":%d}}", task,
                   timeout_ms);
}

static const cJSON* step_named(const cJSON* steps, const char* name) {
  const cJSON* s;
  cJSON_ArrayForEach(s, steps) {
    if (strcmp(str_of(s, "name"), name) == 0) {
      return s;
    }
  }
  return NULL;
}

static int64_t int_member(const cJSON* o, const char* key) {
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -1;
}

static void start_worker(const char* extra) {
  tasker_buf out = {0};
  char cfg[1024];
  snprintf(cfg, sizeof cfg, "{\"handlers\": %s, %s}", handler_names_json(), extra);
  cJSON_Delete(ok_json("worker_start", call_text(tasker_worker_start, cfg, &out), &out));
}

static void boot(void) {
  tasker_buf out = {0};
  cJSON_Delete(ok_json("init", init_default(&out), &out));
}

static int finish(void) {
  tasker_buf out = {0};
  cJSON_Delete(ok_json("worker_stop", tasker_worker_stop(2000, &out), &out));
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  return g_failures == 0 ? 0 : 1;
}

int case_workflow(const char* templates_dir, const char* abi_test_dir) {
  boot();
  char extra[2048];
  snprintf(extra, sizeof extra,
           "\"templates_dir\": \"%s\", \"namespaces\": [\"conformance\", \"abi_test\"], "
           "\"concurrency\": 4",
           templates_dir);
  start_worker(extra);
  register_template(abi_test_dir, "single.yaml");
  tasker_buf out = {0};
  expect_error("invalid context",
               client_call(&out,
                           "{\"op\":\"task.create\",\"args\":{\"namespace\":\"conformance\","
                           "\"name\":\"linear_workflow\",\"context\":{\"even_number\":\"six\"}}}"),
               TASKER_E_INVALID, &out, NULL, "even_number");
  char* task = create_task("conformance", "linear_workflow", "{\"even_number\":6}");

  /* the first event: complete it, then complete it again, then an unknown one */
  cJSON* first = poll_n(1, 10000);
  CHECK(cJSON_GetArraySize(first) == 1, "first event");
  const cJSON* ev = cJSON_GetArrayItem(first, 0);
  CHECK(strcmp(str_of(ev, "task_uuid"), task) == 0, "event of our task");
  CHECK(strcmp(str_of(ev, "step_name"), "linear_step_1") == 0, "first step");
  CHECK(strcmp(str_of(ev, "callable"), "conformance.square_input") == 0, "callable");
  CHECK(strcmp(str_of(ev, "task_version"), "1.0.0") == 0, "task_version");
  CHECK(strlen(str_of(ev, "correlation_id")) == 36, "correlation_id");
  CHECK(int_member(ev, "attempts") == 1 && int_member(ev, "retry_count") == 0, "attempts");
  CHECK(int_member(ev, "max_attempts") == 3, "max_attempts");
  CHECK(int_member(ev, "deadline_unix_ms") > unix_ms(), "deadline in the future");
  CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ev, "checkpoint")), "no checkpoint");
  CHECK(complete_event(ev) == TASKER_OK, "complete first");
  CHECK(complete_event(ev) == TASKER_E_ALREADY_COMPLETED, "double completion");
  cJSON_Delete(first);

  for (int done = 1; done < 4;) {
    cJSON* evs = poll_n(1, 10000);
    CHECK(cJSON_GetArraySize(evs) == 1, "event %d", done + 1);
    if (cJSON_GetArraySize(evs) == 0) {
      cJSON_Delete(evs);
      break;
    }
    const cJSON* e = cJSON_GetArrayItem(evs, 0);
    const cJSON* deps = cJSON_GetObjectItemCaseSensitive(e, "dependency_results");
    CHECK(cJSON_GetArraySize(deps) == 1, "one parent result");
    CHECK(complete_event(e) == TASKER_OK, "complete");
    done++;
    cJSON_Delete(evs);
  }
  cJSON* doc = wait_task(task, 20000);
  CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "task complete: %s", str_of(doc, "state"));
  cJSON* steps = client_ok("{\"op\":\"step.list\",\"args\":{\"task_uuid\":\"%s\"}}", task);
  const cJSON* last = step_named(steps, "linear_step_4");
  const cJSON* result = cJSON_GetObjectItemCaseSensitive(last, "result");
  CHECK(int_member(result, "value") == 2821109907456LL, "6^16");
  cJSON_Delete(steps);
  cJSON_Delete(doc);
  free(task);

  /* task.wait that times out: nobody completes this task's event in time */
  char* slow = create_task("abi_test", "single", "{\"n\":1}");
  expect_error("task.wait timeout",
               client_call(&out, "{\"op\":\"task.wait\",\"args\":{\"task_uuid\":\"%s\",\"timeout_ms\":200}}",
                           slow),
               TASKER_E_TIMEOUT, &out, NULL, NULL);
  cJSON* evs = poll_n(1, 10000);
  CHECK(cJSON_GetArraySize(evs) == 1 && complete_event(cJSON_GetArrayItem(evs, 0)) == TASKER_OK,
        "complete the slow task");
  cJSON_Delete(evs);
  doc = wait_task(slow, 20000);
  CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "slow task complete");
  cJSON_Delete(doc);
  free(slow);
  return finish();
}

int case_deadline(const char* abi_test_dir) {
  boot();
  start_worker("\"namespaces\": [\"abi_test\"], \"with_orchestrator\": true, \"concurrency\": 2");
  register_template(abi_test_dir, "abi_test.yaml");
  char* task = create_task("abi_test", "deadline", "{}");
  cJSON* evs = poll_n(1, 10000);
  CHECK(cJSON_GetArraySize(evs) == 1, "first event");
  const cJSON* e1 = cJSON_GetArrayItem(evs, 0);
  int64_t left = int_member(e1, "deadline_unix_ms") - unix_ms();
  CHECK(left > 0 && left <= 1100, "deadline about 1 s away (%lld ms)", (long long)left);
  char* step = strdup(str_of(e1, "step_uuid"));
  sleep_ms(1600);
  CHECK(complete_event(e1) == TASKER_E_EXPIRED, "late completion rejected");
  CHECK(complete_event(e1) == TASKER_E_EXPIRED, "still expired");
  cJSON_Delete(evs);

  /* the worker failed it as a retryable timeout; the orchestrator dispatches it again */
  evs = poll_n(1, 15000);
  CHECK(cJSON_GetArraySize(evs) == 1, "second dispatch");
  const cJSON* e2 = cJSON_GetArrayItem(evs, 0);
  CHECK(strcmp(str_of(e2, "step_uuid"), step) == 0, "same step");
  CHECK(int_member(e2, "attempts") == 2, "second attempt");
  CHECK(complete_event(e2) == TASKER_OK, "completed in time");
  cJSON_Delete(evs);
  cJSON* doc = wait_task(task, 20000);
  CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "task complete");
  cJSON_Delete(doc);
  cJSON* audit =
      client_ok("{\"op\":\"step.get\",\"args\":{\"task_uuid\":\"%s\",\"step_uuid\":\"%s\"}}", task,
                step);
  CHECK(int_member(audit, "attempts") == 2, "two attempts recorded");
  cJSON_Delete(audit);
  tasker_buf out = {0};
  cJSON* st = ok_json("status", tasker_worker_status(&out), &out);
  CHECK(int_member(cJSON_GetObjectItemCaseSensitive(st, "channel"), "expired") == 1, "1 expired");
  cJSON_Delete(st);
  free(step);
  free(task);
  return finish();
}

int case_backpressure(const char* abi_test_dir) {
  boot();
  start_worker("\"namespaces\": [\"abi_test\"], \"concurrency\": 2");
  register_template(abi_test_dir, "single.yaml");
  char* tasks[6];
  for (int i = 0; i < 6; i++) {
    char ctx[32];
    snprintf(ctx, sizeof ctx, "{\"n\":%d}", i);
    tasks[i] = create_task("abi_test", "single", ctx);
  }
  int completed = 0;
  while (completed < 6) {
    cJSON* held = poll_n(2, 10000);
    int n = cJSON_GetArraySize(held);
    CHECK(n >= 1, "events arrive");
    if (n == 0) {
      cJSON_Delete(held);
      break;
    }
    if (n == 2) {
      /* the channel is full: nothing more is claimed while these are open */
      tasker_buf out = {0};
      cJSON* more = ok_json("poll full", tasker_poll(10, 700, &out), &out);
      CHECK(cJSON_GetArraySize(more) == 0, "no event beyond capacity");
      cJSON_Delete(more);
      cJSON* st = ok_json("status", tasker_worker_status(&out), &out);
      cJSON* ch = cJSON_GetObjectItemCaseSensitive(st, "channel");
      CHECK(int_member(ch, "pending") == 2 && int_member(ch, "capacity") == 2, "2 of 2 pending");
      cJSON_Delete(st);
    }
    const cJSON* e;
    cJSON_ArrayForEach(e, held) {
      CHECK(complete_event(e) == TASKER_OK, "complete");
      completed++;
    }
    cJSON_Delete(held);
  }
  for (int i = 0; i < 6; i++) {
    cJSON* doc = wait_task(tasks[i], 20000);
    CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "task %d complete (nothing dropped)", i);
    cJSON_Delete(doc);
    free(tasks[i]);
  }
  return finish();
}
