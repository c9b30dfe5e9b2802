/*
 * The exported tasker_* functions: lifecycle (init/shutdown), the state check every call makes,
 * and plain C calls through the upcall table that the Java bootstrap filled.
 */
#define _GNU_SOURCE
#include "tasker.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "jvm.h"
#include "upcalls.h"

enum lib_state { STATE_NEW = 0, STATE_READY = 1, STATE_STOPPING = 2, STATE_DOWN = 3 };

static atomic_int state = STATE_NEW;
/* calls that passed the state check and may be inside Java; shutdown waits for them */
static atomic_long in_flight = 0;
/* serialises tasker_init and tasker_shutdown only; never held by other calls */
static pthread_mutex_t lifecycle = PTHREAD_MUTEX_INITIALIZER;
static tasker_upcalls up;

static const char* code_name(int32_t code) {
  switch (code) {
    case TASKER_OK: return "TASKER_OK";
    case TASKER_E_INVALID: return "TASKER_E_INVALID";
    case TASKER_E_NOT_INITIALIZED: return "TASKER_E_NOT_INITIALIZED";
    case TASKER_E_NOT_RUNNING: return "TASKER_E_NOT_RUNNING";
    case TASKER_E_UNKNOWN_EVENT: return "TASKER_E_UNKNOWN_EVENT";
    case TASKER_E_EXPIRED: return "TASKER_E_EXPIRED";
    case TASKER_E_ALREADY_COMPLETED: return "TASKER_E_ALREADY_COMPLETED";
    case TASKER_E_JVM: return "TASKER_E_JVM";
    case TASKER_E_NOT_FOUND: return "TASKER_E_NOT_FOUND";
    case TASKER_E_CONFLICT: return "TASKER_E_CONFLICT";
    case TASKER_E_UNAVAILABLE: return "TASKER_E_UNAVAILABLE";
    case TASKER_E_TIMEOUT: return "TASKER_E_TIMEOUT";
    default: return "TASKER_E_INTERNAL";
  }
}

/* Fills out (when given) with the error document; returns code. */
static int32_t error_out(tasker_buf* out, int32_t code, const char* fmt, ...) {
  if (out == NULL) {
    return code;
  }
  char msg[6144];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* escape for JSON: at most 6 bytes per input byte */
  size_t n = strlen(msg);
  char* esc = malloc(n * 6 + 1);
  if (esc == NULL) {
    out->ptr = NULL;
    out->len = 0;
    return code;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)msg[i];
    if (c == '"' || c == '\\') {
      esc[k++] = '\\';
      esc[k++] = (char)c;
    } else if (c < 0x20) {
      k += (size_t)sprintf(esc + k, "\\u%04x", c);
    } else {
      esc[k++] = (char)c;
    }
  }
  esc[k] = '\0';
  size_t cap = k + 128;
  char* doc = malloc(cap);
  if (doc != NULL) {
    int len = snprintf(doc, cap, "{\"error\":{\"code\":%d,\"type\":\"%s\",\"message\":\"%s\"}}",
                       (int)code, code_name(code), esc);
    out->ptr = (uint8_t*)doc;
    out->len = (size_t)len;
  } else {
    out->ptr = NULL;
    out->len = 0;
  }
  free(esc);
  return code;
}

static int32_t not_ready(tasker_buf* out) {
  return atomic_load(&state) == STATE_NEW
             ? error_out(out, TASKER_E_NOT_INITIALIZED, "tasker_init has not been called")
             : error_out(out, TASKER_E_NOT_INITIALIZED,
                         "tasker_shutdown was called: the library is shut down");
}

/* Enters a call: 1 when the library is ready (then leave() must follow), else 0. */
static int enter(void) {
  atomic_fetch_add(&in_flight, 1);
  if (atomic_load(&state) == STATE_READY) {
    return 1;
  }
  atomic_fetch_sub(&in_flight, 1);
  return 0;
}

static void leave(void) { atomic_fetch_sub(&in_flight, 1); }

static void clear(tasker_buf* out) {
  if (out != NULL) {
    out->ptr = NULL;
    out->len = 0;
  }
}

static int bad_input(const uint8_t* p, size_t n) { return p == NULL && n != 0; }

TASKER_API int32_t tasker_abi_version(void) { return TASKER_ABI_VERSION; }

TASKER_API int32_t tasker_init(const uint8_t* cfg, size_t cfg_len, tasker_buf* out) {
  clear(out);
  if (bad_input(cfg, cfg_len)) {
    return error_out(out, TASKER_E_INVALID, "cfg is NULL but cfg_len is %zu", cfg_len);
  }
  pthread_mutex_lock(&lifecycle);
  int s = atomic_load(&state);
  if (s == STATE_STOPPING || s == STATE_DOWN) {
    pthread_mutex_unlock(&lifecycle);
    return error_out(out, TASKER_E_NOT_INITIALIZED,
                     "tasker_shutdown was called: a process hosts one JVM, which cannot be booted "
                     "again");
  }
  if (s == STATE_NEW) {
    init_config c;
    char err[6144];
    if (config_parse(cfg, cfg_len, &c, err, sizeof err) != 0) {
      config_free(&c);
      pthread_mutex_unlock(&lifecycle);
      return error_out(out, TASKER_E_INVALID, "invalid tasker_init configuration: %s", err);
    }
    int attached = 0;
    memset(&up, 0, sizeof up);
    int32_t rc = jvm_start(&c, &up, &attached, err, sizeof err);
    config_free(&c);
    if (rc != TASKER_OK) {
      pthread_mutex_unlock(&lifecycle);
      return error_out(out, rc, "%s", err);
    }
    atomic_store(&state, STATE_READY);
  }
  pthread_mutex_unlock(&lifecycle);
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.init(cfg, cfg_len, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_worker_start(const uint8_t* cfg, size_t cfg_len, tasker_buf* out) {
  clear(out);
  if (bad_input(cfg, cfg_len)) {
    return error_out(out, TASKER_E_INVALID, "cfg is NULL but cfg_len is %zu", cfg_len);
  }
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.worker_start(cfg, cfg_len, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_worker_stop(uint32_t grace_ms, tasker_buf* out) {
  clear(out);
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.worker_stop(grace_ms, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_worker_status(tasker_buf* out) {
  if (out == NULL) {
    return TASKER_E_INVALID;
  }
  clear(out);
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.worker_status(out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_poll(uint32_t max, uint32_t timeout_ms, tasker_buf* out) {
  if (out == NULL) {
    return TASKER_E_INVALID;
  }
  clear(out);
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.poll(max, timeout_ms, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_complete(const uint8_t* json, size_t json_len, tasker_buf* out) {
  clear(out);
  if (json == NULL || json_len == 0) {
    return error_out(out, TASKER_E_INVALID, "no completion given (json is NULL or empty)");
  }
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.complete(json, json_len, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_checkpoint(const uint8_t* json, size_t json_len, tasker_buf* out) {
  clear(out);
  if (json == NULL || json_len == 0) {
    return error_out(out, TASKER_E_INVALID, "no checkpoint given (json is NULL or empty)");
  }
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.checkpoint(json, json_len, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_client(const uint8_t* req, size_t req_len, tasker_buf* out) {
  if (out == NULL) {
    return TASKER_E_INVALID;
  }
  clear(out);
  if (req == NULL || req_len == 0) {
    return error_out(out, TASKER_E_INVALID, "no request given (req is NULL or empty)");
  }
  if (!enter()) {
    return not_ready(out);
  }
  int32_t rc = up.client(req, req_len, out);
  leave();
  return rc;
}

TASKER_API int32_t tasker_log(int32_t level, const uint8_t* json, size_t json_len) {
  if (json == NULL || json_len == 0) {
    return TASKER_E_INVALID;
  }
  if (!enter()) {
    return TASKER_E_NOT_INITIALIZED;
  }
  int32_t rc = up.log(level, json, json_len);
  leave();
  return rc;
}

TASKER_API void tasker_buf_free(tasker_buf* b) {
  if (b == NULL) {
    return;
  }
  free(b->ptr);
  b->ptr = NULL;
  b->len = 0;
}

TASKER_API int32_t tasker_shutdown(void) {
  pthread_mutex_lock(&lifecycle);
  int s = atomic_load(&state);
  if (s != STATE_READY) {
    pthread_mutex_unlock(&lifecycle);
    return s == STATE_NEW ? TASKER_E_NOT_INITIALIZED : TASKER_OK;
  }
  atomic_store(&state, STATE_STOPPING);
  /* calls in progress return within their bound (poll: its timeout) */
  struct timespec pause = {0, 1000000};
  while (atomic_load(&in_flight) > 0) {
    nanosleep(&pause, NULL);
  }
  up.shutdown();
  jvm_stop();
  atomic_store(&state, STATE_DOWN);
  pthread_mutex_unlock(&lifecycle);
  return TASKER_OK;
}
