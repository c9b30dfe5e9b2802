/* The conformance handlers (shared/conformance/README.md), written against the raw ABI documents:
 * what a shim does, minus the idioms. Integers beyond 2^53-1 travel as decimal strings. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

typedef __int128 big;

static const big MAX_SAFE = ((big)1 << 53) - 1;
static const big LIMIT = (big)1 << 120; /* products past this are refused, not overflowed */

static int to_big(const cJSON* v, big* out) {
  if (cJSON_IsNumber(v)) {
    *out = (big)v->valuedouble;
    return 0;
  }
  if (!cJSON_IsString(v)) {
    return -1;
  }
  const char* s = v->valuestring;
  int neg = *s == '-';
  s += neg;
  big n = 0;
  if (*s == '\0') {
    return -1;
  }
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || n > LIMIT) {
      return -1;
    }
    n = n * 10 + (*s - '0');
  }
  *out = neg ? -n : n;
  return 0;
}

/* A JSON value: a number when it fits in 2^53-1, else a decimal string. */
static void put_big(char* dst, size_t len, big v) {
  big a = v < 0 ? -v : v;
  char digits[64];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(a % 10));
    a /= 10;
  } while (a > 0);
  char text[66];
  int k = 0;
  if (v < 0) {
    text[k++] = '-';
  }
  while (n > 0) {
    text[k++] = digits[--n];
  }
  text[k] = '\0';
  if ((v < 0 ? -v : v) <= MAX_SAFE) {
    snprintf(dst, len, "%s", text);
  } else {
    snprintf(dst, len, "\"%s\"", text);
  }
}

static char* success(const char* event_id, const char* result_json) {
  char* out = NULL;
  if (asprintf(&out,
               "{\"event_id\":\"%s\",\"result\":{\"success\":true,\"status\":\"completed\","
               "\"result\":%s,\"metadata\":{\"execution_time_ms\":0.1}}}",
               event_id, result_json) < 0) {
    return NULL;
  }
  return out;
}

static char* failure(const char* event_id, const char* message, const char* type, int retryable) {
  char* out = NULL;
  if (asprintf(&out,
               "{\"event_id\":\"%s\",\"result\":{\"success\":false,\"status\":\"failed\","
               "\"result\":null,\"error\":{\"message\":\"%s\",\"error_type\":\"%s\","
               "\"retryable\":%s}}}",
               event_id, message, type, retryable ? "true" : "false") < 0) {
    return NULL;
  }
  return out;
}

static char* square_input(const cJSON* ev, const char* id) {
  const cJSON* init = cJSON_GetObjectItemCaseSensitive(ev, "initialization");
  const cJSON* key = cJSON_GetObjectItemCaseSensitive(init, "input_key");
  const cJSON* ctx = cJSON_GetObjectItemCaseSensitive(ev, "task_context");
  big n;
  if (!cJSON_IsString(key) ||
      to_big(cJSON_GetObjectItemCaseSensitive(ctx, key->valuestring), &n) != 0) {
    return failure(id, "input missing or not an integer", "validation_error", 0);
  }
  char value[80];
  char result[128];
  put_big(value, sizeof value, n * n);
  snprintf(result, sizeof result, "{\"value\":%s}", value);
  return success(id, result);
}

static char* square_parents(const cJSON* ev, const char* id) {
  const cJSON* deps = cJSON_GetObjectItemCaseSensitive(ev, "dependency_results");
  big product = 1;
  const cJSON* dep;
  cJSON_ArrayForEach(dep, deps) {
    big v;
    if (to_big(cJSON_GetObjectItemCaseSensitive(dep, "value"), &v) != 0) {
      return failure(id, "a parent result has no integer value", "validation_error", 0);
    }
    product *= v;
    if (product > LIMIT || product < -LIMIT) {
      return failure(id, "value too large for the C test handler", "overflow", 0);
    }
  }
  if (product > ((big)1 << 60) || product < -((big)1 << 60)) {
    return failure(id, "value too large for the C test handler", "overflow", 0);
  }
  char value[80];
  char result[128];
  put_big(value, sizeof value, product * product);
  snprintf(result, sizeof result, "{\"value\":%s}", value);
  return success(id, result);
}

static int64_t int_of(const cJSON* obj, const char* key, int64_t dflt) {
  big v;
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  return item != NULL && to_big(item, &v) == 0 ? (int64_t)v : dflt;
}

static char* plan_batches(const cJSON* ev, const char* id) {
  const cJSON* ctx = cJSON_GetObjectItemCaseSensitive(ev, "task_context");
  int64_t count = int_of(ctx, "item_count", -1);
  int64_t size = int_of(ctx, "batch_size", 0);
  if (count < 0 || size < 1) {
    return failure(id, "need item_count >= 0 and batch_size >= 1", "validation_error", 0);
  }
  if (count == 0) {
    return success(id, "{\"batch_processing_outcome\":{\"type\":\"no_batches\"}}");
  }
  cJSON* configs = cJSON_CreateArray();
  int k = 0;
  for (int64_t start = 0; start < count; start += size) {
    int64_t end = start + size < count ? start + size : count;
    char batch_id[16];
    snprintf(batch_id, sizeof batch_id, "%03d", ++k);
    cJSON* c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "batch_id", batch_id);
    cJSON_AddNumberToObject(c, "start_cursor", (double)start);
    cJSON_AddNumberToObject(c, "end_cursor", (double)end);
    cJSON_AddNumberToObject(c, "batch_size", (double)(end - start));
    cJSON_AddItemToArray(configs, c);
  }
  char* list = cJSON_PrintUnformatted(configs);
  cJSON_Delete(configs);
  char* result = NULL;
  char* out = NULL;
  if (asprintf(&result,
               "{\"batch_processing_outcome\":{\"type\":\"create_batches\","
               "\"worker_template_name\":\"sum_batch\",\"worker_count\":%d,"
               "\"cursor_configs\":%s,\"total_items\":%lld}}",
               k, list, (long long)count) >= 0) {
    out = success(id, result);
    free(result);
  }
  free(list);
  return out;
}

/* Sums [start_cursor, end_cursor) at most checkpoint_every items per call, yielding checkpoints. */
static char* sum_batch(const cJSON* ev, const char* id, int* is_checkpoint) {
  const cJSON* in = cJSON_GetObjectItemCaseSensitive(ev, "step_inputs");
  const cJSON* init = cJSON_GetObjectItemCaseSensitive(ev, "initialization");
  const cJSON* cp = cJSON_GetObjectItemCaseSensitive(ev, "checkpoint");
  int64_t start = int_of(in, "start_cursor", -1);
  int64_t end = int_of(in, "end_cursor", -1);
  int64_t every = int_of(init, "checkpoint_every", 0);
  if (every <= 0) {
    every = INT64_MAX;
  }
  int64_t cursor = start;
  int64_t processed = 0;
  big sum = 0;
  if (cJSON_IsObject(cp)) {
    cursor = int_of(cp, "cursor", -1);
    processed = int_of(cp, "items_processed", 0);
    const cJSON* acc = cJSON_GetObjectItemCaseSensitive(cp, "accumulated_results");
    if (to_big(cJSON_GetObjectItemCaseSensitive(acc, "sum"), &sum) != 0) {
      return failure(id, "checkpoint without a sum", "validation_error", 0);
    }
  }
  if (start < 0 || start > end || cursor < start || cursor > end) {
    return failure(id, "bad cursor range", "validation_error", 0);
  }
  int64_t stop = end - cursor <= every ? end : cursor + every;
  for (int64_t i = cursor; i < stop; i++) {
    sum += i;
  }
  processed += stop - cursor;
  char value[80];
  put_big(value, sizeof value, sum);
  char* out = NULL;
  if (stop < end) {
    *is_checkpoint = 1;
    if (asprintf(&out,
                 "{\"event_id\":\"%s\",\"cursor\":%lld,\"items_processed\":%lld,"
                 "\"accumulated_results\":{\"sum\":%s}}",
                 id, (long long)stop, (long long)processed, value) < 0) {
      return NULL;
    }
    return out;
  }
  char result[160];
  snprintf(result, sizeof result, "{\"sum\":%s,\"items\":%lld}", value, (long long)(end - start));
  return success(id, result);
}

static char* total(const cJSON* ev, const char* id) {
  const cJSON* deps = cJSON_GetObjectItemCaseSensitive(ev, "dependency_results");
  big sum = 0;
  int64_t items = 0;
  int batches = 0;
  const cJSON* dep;
  cJSON_ArrayForEach(dep, deps) {
    big s;
    if (to_big(cJSON_GetObjectItemCaseSensitive(dep, "sum"), &s) != 0) {
      continue; /* not a batch worker */
    }
    sum += s;
    items += int_of(dep, "items", 0);
    batches++;
  }
  char value[80];
  char result[160];
  put_big(value, sizeof value, sum);
  snprintf(result, sizeof result, "{\"sum\":%s,\"items\":%lld,\"batches\":%d}", value,
           (long long)items, batches);
  return success(id, result);
}

const char* handler_names_json(void) {
  return "[\"conformance.square_input\", \"conformance.square_parents\", "
         "\"conformance.plan_batches\", \"conformance.sum_batch\", \"conformance.total\", "
         "\"abi_test.echo\"]";
}

char* handle_event(const cJSON* ev, int* is_checkpoint) {
  *is_checkpoint = 0;
  const cJSON* id = cJSON_GetObjectItemCaseSensitive(ev, "event_id");
  const cJSON* callable = cJSON_GetObjectItemCaseSensitive(ev, "callable");
  if (!cJSON_IsString(id) || !cJSON_IsString(callable)) {
    return NULL;
  }
  if (strcmp(callable->valuestring, "conformance.square_input") == 0) {
    return square_input(ev, id->valuestring);
  }
  if (strcmp(callable->valuestring, "conformance.square_parents") == 0) {
    return square_parents(ev, id->valuestring);
  }
  if (strcmp(callable->valuestring, "abi_test.echo") == 0 ||
      strcmp(callable->valuestring, "loopback.echo") == 0) {
    char* ctx = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(ev, "task_context"));
    char* result = NULL;
    char* out = NULL;
    if (ctx != NULL && asprintf(&result, "{\"echo\":%s}", ctx) >= 0) {
      out = success(id->valuestring, result);
      free(result);
    }
    free(ctx);
    return out;
  }
  if (strcmp(callable->valuestring, "conformance.plan_batches") == 0) {
    return plan_batches(ev, id->valuestring);
  }
  if (strcmp(callable->valuestring, "conformance.sum_batch") == 0) {
    return sum_batch(ev, id->valuestring, is_checkpoint);
  }
  if (strcmp(callable->valuestring, "conformance.total") == 0) {
    return total(ev, id->valuestring);
  }
  return failure(id->valuestring, "no C handler for this callable", "handler_not_found", 0);
}
