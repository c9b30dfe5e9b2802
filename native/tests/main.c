/*
 * tasker_test: the C test driver. One case per process (a process hosts one JVM):
 *   tasker_test serve <templates_dir|-> <events> [batch]   complete <events> events, then stop
 *   tasker_test misuse | no_jvm
 *   tasker_test workflow <conformance_templates_dir> <abi_test_dir>
 *   tasker_test deadline|backpressure|shutdown_order <abi_test_dir>
 *   tasker_test threads <conformance_templates_dir> <threads> <per_thread>
 *   tasker_test bench <events>
 * The JUnit suite in native/src/test runs every case against a fresh database and checks the
 * database afterwards.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

/* Polls and completes until `events` events were completed (or 60 s passed). */
static int serve(const char* templates, int events, int batch) {
  tasker_buf out = {0};
  int32_t rc = init_default(&out);
  expect_rc("init", rc, TASKER_OK, &out);
  tasker_buf_free(&out);
  if (rc != TASKER_OK) {
    return 1;
  }
  rc = start_conformance_worker(strcmp(templates, "-") == 0 ? NULL : templates, 8, &out);
  expect_rc("worker_start", rc, TASKER_OK, &out);
  tasker_buf_free(&out);
  int done = 0;
  int checkpoints = 0;
  int64_t deadline = now_ms() + 60000;
  while (done < events && now_ms() < deadline) {
    rc = tasker_poll((uint32_t)batch, 200, &out);
    expect_rc("poll", rc, TASKER_OK, &out);
    if (rc != TASKER_OK) {
      tasker_buf_free(&out);
      break;
    }
    cJSON* arr = parse_buf(&out);
    tasker_buf_free(&out);
    cJSON* ev;
    cJSON* completions = cJSON_CreateArray();
    cJSON_ArrayForEach(ev, arr) {
      int is_cp = 0;
      char* doc = handle_event(ev, &is_cp);
      CHECK(doc != NULL, "handler produced a completion");
      if (doc == NULL) {
        continue;
      }
      if (is_cp) {
        rc = call_text(tasker_checkpoint, doc, &out);
        expect_rc("checkpoint", rc, TASKER_OK, &out);
        tasker_buf_free(&out);
        checkpoints++;
      } else if (batch > 1) {
        cJSON_AddItemToArray(completions, cJSON_Parse(doc));
      } else {
        rc = call_text(tasker_complete, doc, &out);
        expect_rc("complete", rc, TASKER_OK, &out);
        tasker_buf_free(&out);
        done++;
      }
      free(doc);
    }
    if (cJSON_GetArraySize(completions) > 0) {
      char* text = cJSON_PrintUnformatted(completions);
      rc = call_text(tasker_complete, text, &out);
      expect_rc("complete batch", rc, TASKER_OK, &out);
      cJSON* res = parse_buf(&out);
      cJSON* n = cJSON_GetObjectItemCaseSensitive(res, "completed");
      CHECK(cJSON_IsNumber(n) && n->valueint == cJSON_GetArraySize(completions),
            "batch: every completion applied");
      done += cJSON_IsNumber(n) ? n->valueint : 0;
      cJSON_Delete(res);
      tasker_buf_free(&out);
      free(text);
    }
    cJSON_Delete(completions);
    cJSON_Delete(arr);
  }
  CHECK(done == events, "completed %d of %d events within 60 s", done, events);
  rc = tasker_worker_status(&out);
  expect_rc("worker_status", rc, TASKER_OK, &out);
  tasker_buf_free(&out);
  rc = tasker_worker_stop(2000, &out);
  expect_rc("worker_stop", rc, TASKER_OK, &out);
  tasker_buf_free(&out);
  expect_rc("shutdown", tasker_shutdown(), TASKER_OK, NULL);
  printf("serve: %d events completed, %d checkpoints\n", done, checkpoints);
  return g_failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc >= 4 && strcmp(argv[1], "serve") == 0) {
    return serve(argv[2], atoi(argv[3]), argc >= 5 ? atoi(argv[4]) : 1);
  }
  if (argc == 2 && strcmp(argv[1], "misuse") == 0) {
    return case_misuse();
  }
  if (argc == 2 && strcmp(argv[1], "no_jvm") == 0) {
    return case_no_jvm();
  }
  if (argc == 4 && strcmp(argv[1], "workflow") == 0) {
    return case_workflow(argv[2], argv[3]);
  }
  if (argc == 3 && strcmp(argv[1], "deadline") == 0) {
    return case_deadline(argv[2]);
  }
  if (argc == 3 && strcmp(argv[1], "backpressure") == 0) {
    return case_backpressure(argv[2]);
  }
  if (argc == 3 && strcmp(argv[1], "shutdown_order") == 0) {
    return case_shutdown_order(argv[2]);
  }
  if (argc == 5 && strcmp(argv[1], "threads") == 0) {
    return case_threads(argv[2], atoi(argv[3]), atoi(argv[4]));
  }
  if (argc == 3 && strcmp(argv[1], "bench") == 0) {
    return case_bench(atoi(argv[2]));
  }
  fprintf(stderr, "usage: see the comment at the top of native/tests/main.c\n");
  return 2;
}
