#define _GNU_SOURCE
#include "driver.h"

#include <stdarg.h>
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

cJSON* ok_json(const char* what, int32_t rc, tasker_buf* out) {
  expect_rc(what, rc, TASKER_OK, out);
  cJSON* j = rc == TASKER_OK && out->ptr != NULL ? parse_buf(out) : NULL;
  tasker_buf_free(out);
  return j;
}

void expect_error(const char* what, int32_t rc, int32_t want, tasker_buf* out, const char* path,
                  const char* message_part) {
  expect_rc(what, rc, want, out);
  if (rc == want && out != NULL && out->ptr != NULL) {
    cJSON* doc = cJSON_ParseWithLength((const char*)out->ptr, out->len);
    cJSON* err = cJSON_GetObjectItemCaseSensitive(doc, "error");
    const char* type = str_of(err, "type");
    CHECK(strncmp(type, "TASKER_", 7) == 0, "%s: error type '%s'", what, type);
    if (path != NULL) {
      const char* got = str_of(err, "path");
      CHECK(strcmp(got, path) == 0, "%s: path '%s', want '%s' (%.*s)", what, got, path,
            (int)out->len, (const char*)out->ptr);
    }
    if (message_part != NULL) {
      const char* msg = str_of(err, "message");
      CHECK(strstr(msg, message_part) != NULL, "%s: message '%s' lacks '%s'", what, msg,
            message_part);
    }
    cJSON_Delete(doc);
  }
  if (out != NULL) {
    tasker_buf_free(out);
  }
}

static int32_t vclient(tasker_buf* out, const char* fmt, va_list ap) {
  char* req = NULL;
  if (vasprintf(&req, fmt, ap) < 0) {
    return TASKER_E_INTERNAL;
  }
  int32_t rc = call_text(tasker_client, req, out);
  free(req);
  return rc;
}

cJSON* client_ok(const char* fmt, ...) {
  tasker_buf out = {0};
  va_list ap;
  va_start(ap, fmt);
  int32_t rc = vclient(&out, fmt, ap);
  va_end(ap);
  return ok_json(fmt, rc, &out);
}

int32_t client_call(tasker_buf* out, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int32_t rc = vclient(out, fmt, ap);
  va_end(ap);
  return rc;
}

char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* buf = malloc((size_t)n + 1);
  if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if (buf != NULL) {
    buf[n] = '\0';
  }
  fclose(f);
  return buf;
}

char* json_quote(const char* text) {
  cJSON* s = cJSON_CreateString(text);
  char* out = cJSON_PrintUnformatted(s);
  cJSON_Delete(s);
  return out;
}

cJSON* poll_n(int n, int timeout_ms) {
  cJSON* all = cJSON_CreateArray();
  int64_t deadline = now_ms() + timeout_ms;
  while (cJSON_GetArraySize(all) < n) {
    int64_t left = deadline - now_ms();
    if (left <= 0) {
      break;
    }
    tasker_buf out = {0};
    cJSON* got = ok_json("poll", tasker_poll((uint32_t)(n - cJSON_GetArraySize(all)),
                                             (uint32_t)(left < 500 ? left : 500), &out),
                         &out);
    if (got == NULL) {
      break;
    }
    while (cJSON_GetArraySize(got) > 0) {
      cJSON_AddItemToArray(all, cJSON_DetachItemFromArray(got, 0));
    }
    cJSON_Delete(got);
  }
  return all;
}

int32_t complete_event(const cJSON* event) {
  int is_cp = 0;
  char* doc = handle_event(event, &is_cp);
  if (doc == NULL) {
    return TASKER_E_INTERNAL;
  }
  tasker_buf out = {0};
  int32_t rc = call_text(is_cp ? tasker_checkpoint : tasker_complete, doc, &out);
  if (rc != TASKER_OK) {
    fprintf(stderr, "completion rejected: %.*s\n", (int)out.len, (const char*)out.ptr);
  }
  tasker_buf_free(&out);
  free(doc);
  return rc;
}

const char* str_of(const cJSON* obj, const char* key) {
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

void sleep_ms(int ms) {
  struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

int64_t unix_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
