/*
 * tasker_test bench <events>: the ABI's own cost from C, on the loopback source (no database):
 * tasker_init time, poll+complete round trips one at a time and in batches of 32 with ~200 B and
 * ~10 KB payloads both ways, and the process RSS afterwards. Prints one line per measurement.
 * TASKER_BENCH_NO_AOT=1 boots without the AOT cache.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases.h"

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static long rss_kib(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "VmRSS:", 6) == 0) {
      kib = strtol(line + 6, NULL, 10);
    }
  }
  if (f != NULL) {
    fclose(f);
  }
  return kib;
}

/* Appends a completion for the next event in [p, stop) to out; the output is not NUL-terminated,
 * so every search is bounded. */
static const char* append_completion(const char* p, const char* stop, char* out, size_t* used,
                                     size_t cap, const char* payload) {
  const char* key = "\"event_id\":\"";
  const char* id = memmem(p, (size_t)(stop - p), key, strlen(key));
  if (id == NULL) {
    return NULL;
  }
  id += strlen(key);
  const char* end = memchr(id, '"', (size_t)(stop - id));
  if (end == NULL) {
    return NULL;
  }
  int n = snprintf(out + *used, cap - *used,
                   "%s{\"event_id\":\"%.*s\",\"result\":{\"success\":true,\"status\":\"completed\","
                   "\"result\":{\"payload\":\"%s\"},\"metadata\":{\"execution_time_ms\":0.01}}}",
                   *used > 1 ? "," : "", (int)(end - id), id, payload);
  *used += (size_t)n;
  return end;
}

/* Round trips of `batch` events with `payload_bytes` both ways; returns µs per event. */
static double measure(int events, int batch, int payload_bytes) {
  tasker_buf out = {0};
  char cfg[256];
  snprintf(cfg, sizeof cfg, "{\"loopback\":{\"payload_bytes\":%d},\"concurrency\":64}",
           payload_bytes);
  cJSON_Delete(ok_json("start loopback", call_text(tasker_worker_start, cfg, &out), &out));
  char* payload = malloc((size_t)payload_bytes + 1);
  memset(payload, 'y', (size_t)payload_bytes);
  payload[payload_bytes] = '\0';
  size_t cap = (size_t)batch * ((size_t)payload_bytes + 256) + 16;
  char* doc = malloc(cap);
  int done = 0;
  /* warm up, then measure */
  for (int phase = 0; phase < 2; phase++) {
    int target = phase == 0 ? events / 10 : events;
    int64_t t0 = now_us();
    done = 0;
    while (done < target) {
      int32_t rc = tasker_poll((uint32_t)batch, 1000, &out);
      if (rc != TASKER_OK) {
        CHECK(rc == TASKER_OK, "poll %d", rc);
        break;
      }
      size_t used = 0;
      if (batch > 1) {
        doc[used++] = '[';
      }
      int got = 0;
      const char* p = (const char*)out.ptr;
      const char* stop = p + out.len;
      /* each event starts with {"event_id": */
      while (p < stop && (p = append_completion(p, stop, doc, &used, cap, payload)) != NULL) {
        got++;
      }
      tasker_buf_free(&out);
      if (got == 0) {
        continue;
      }
      if (batch > 1) {
        doc[used++] = ']';
      } else if (doc[0] == ',') {
        memmove(doc, doc + 1, --used);
      }
      rc = tasker_complete((const uint8_t*)doc, used, &out);
      CHECK(rc == TASKER_OK, "complete %d: %.*s", rc, (int)out.len, (const char*)out.ptr);
      tasker_buf_free(&out);
      done += got;
    }
    if (phase == 1) {
      int64_t took = now_us() - t0;
      free(doc);
      free(payload);
      cJSON_Delete(ok_json("stop", tasker_worker_stop(1000, &out), &out));
      return (double)took / (double)(done > 0 ? done : 1);
    }
  }
  return 0;
}

int case_bench(int events) {
  tasker_buf out = {0};
  const char* cfg = getenv("TASKER_BENCH_NO_AOT") != NULL
                        ? "{\"aot_cache\":\"/nonexistent/tasker.aot\",\"log_level\":\"warn\"}"
                        : "{\"log_level\":\"warn\"}";
  int64_t t0 = now_us();
  int32_t rc = call_text(tasker_init, cfg, &out);
  int64_t init_us = now_us() - t0;
  cJSON_Delete(ok_json("init", rc, &out));
  printf("bench init_ms=%.1f aot=%s rss_kib=%ld\n", init_us / 1000.0,
         getenv("TASKER_BENCH_NO_AOT") != NULL ? "off" : "on", rss_kib());
  if (events <= 0) {
    CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
    return g_failures == 0 ? 0 : 1;
  }
  int sizes[] = {200, 10240};
  int batches[] = {1, 32};
  long total = 0;
  for (int s = 0; s < 2; s++) {
    for (int b = 0; b < 2; b++) {
      double us = measure(events, batches[b], sizes[s]);
      total += events + events / 10;
      printf("bench round_trip payload=%dB batch=%d events=%d us_per_event=%.2f\n", sizes[s],
             batches[b], events, us);
    }
  }
  printf("bench rss_after_events=%ld rss_kib=%ld\n", total, rss_kib());
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  return g_failures == 0 ? 0 : 1;
}
