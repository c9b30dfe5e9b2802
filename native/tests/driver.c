#define _GNU_SOURCE
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int g_failures = 0;

int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

cJSON* parse_buf(const tasker_buf* b) {
  if (b->ptr == NULL || b->len == 0) {
    g_failures++;
    fprintf(stderr, "FAIL: empty output buffer\n");
    return NULL;
  }
  cJSON* j = cJSON_ParseWithLength((const char*)b->ptr, b->len);
  if (j == NULL) {
    g_failures++;
    fprintf(stderr, "FAIL: output is not JSON: %.*s\n", (int)b->len, (const char*)b->ptr);
  }
  return j;
}

void expect_rc(const char* what, int32_t rc, int32_t want, tasker_buf* out) {
  if (rc != want) {
    g_failures++;
    fprintf(stderr, "FAIL %s: rc %d, want %d; out: %.*s\n", what, rc, want,
            out == NULL || out->ptr == NULL ? 0 : (int)out->len,
            out == NULL || out->ptr == NULL ? "" : (const char*)out->ptr);
    return;
  }
  if (rc != TASKER_OK && out != NULL) {
    cJSON* doc = parse_buf(out);
    cJSON* err = cJSON_GetObjectItemCaseSensitive(doc, "error");
    cJSON* code = cJSON_GetObjectItemCaseSensitive(err, "code");
    cJSON* msg = cJSON_GetObjectItemCaseSensitive(err, "message");
    CHECK(cJSON_IsNumber(code) && code->valueint == want, "%s: error document code", what);
    CHECK(cJSON_IsString(msg) && strlen(msg->valuestring) > 0, "%s: error message", what);
    cJSON_Delete(doc);
  }
}

int32_t call_text(int32_t (*fn)(const uint8_t*, size_t, tasker_buf*), const char* json,
                  tasker_buf* out) {
  return fn((const uint8_t*)json, strlen(json), out);
}

int32_t init_default(tasker_buf* out) {
  const char* cfg = "{\"jvm_options\": [\"-Xmx192m\"], \"log_level\": \"warn\"}";
  return call_text(tasker_init, cfg, out);
}

int32_t start_conformance_worker(const char* templates_dir, int concurrency, tasker_buf* out) {
  char cfg[4096];
  if (templates_dir != NULL) {
    snprintf(cfg, sizeof cfg,
             "{\"templates_dir\": \"%s\", \"handlers\": %s, \"concurrency\": %d, "
             "\"default_timeout_seconds\": 30}",
             templates_dir, handler_names_json(), concurrency);
  } else {
    snprintf(cfg, sizeof cfg,
             "{\"namespaces\": [\"conformance\"], \"handlers\": %s, \"concurrency\": %d, "
             "\"default_timeout_seconds\": 30}",
             handler_names_json(), concurrency);
  }
  return call_text(tasker_worker_start, cfg, out);
}
