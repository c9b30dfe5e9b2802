/*
 * tasker_node.c: the Node-API addon of tasker-core-ts.
 *
 * A thin, stateless wrapper over libtasker's C ABI (docs/abi.md). The library is dlopen()ed from a
 * path the JavaScript side passes to load(), so one addon serves an installed package and a
 * development tree alike, and the addon itself links against nothing but libc and libdl.
 *
 * Every wrapped call returns the `out` document as a JS string (or undefined when the call has no
 * output). A non-zero status throws (or rejects with) an Error carrying `status` (the ABI code) and
 * `payload` (the error JSON); the TypeScript layer maps both to its TaskerError classes.
 *
 * Blocking calls (poll with a timeout, worker_stop's grace, client ops that reach the database) run
 * on the addon's own threads and settle a Promise, so they never block the event loop; cheap calls
 * (complete, checkpoint, log, status, a poll that does not wait) are synchronous. Built with -Wl,-z,now so an unresolved napi_*
 * symbol fails the require() with a catchable error instead of killing a host process later.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAPI_VERSION 8
#include <node_api.h>

typedef struct {
  uint8_t* ptr;
  size_t len;
} tasker_buf;

typedef int32_t (*abi_version_fn)(void);
typedef int32_t (*json_out_fn)(const uint8_t*, size_t, tasker_buf*);
typedef int32_t (*stop_fn)(uint32_t, tasker_buf*);
typedef int32_t (*status_fn)(tasker_buf*);
typedef int32_t (*poll_fn)(uint32_t, uint32_t, tasker_buf*);
typedef int32_t (*log_fn)(int32_t, const uint8_t*, size_t);
typedef void (*buf_free_fn)(tasker_buf*);
typedef int32_t (*shutdown_fn)(void);

/* The resolved ABI; filled once by load(). Function pointers are immutable afterwards. */
static struct {
  void* handle;
  abi_version_fn abi_version;
  json_out_fn init;
  json_out_fn worker_start;
  stop_fn worker_stop;
  status_fn worker_status;
  poll_fn poll;
  json_out_fn complete;
  json_out_fn checkpoint;
  json_out_fn client;
  log_fn log;
  buf_free_fn buf_free;
  shutdown_fn shutdown;
} abi;

#define STATUS_NOT_LOADED (-2)

/* ---- small helpers ------------------------------------------------------------------------- */

static napi_value throw_plain(napi_env env, const char* message) {
  napi_throw_error(env, "TASKER_ADDON", message);
  return NULL;
}

/* An Error with `status` and `payload` (the ABI's error JSON) for the TS layer to map. */
static napi_value status_error(napi_env env, int32_t status, const tasker_buf* out) {
  napi_value msg, err, code, payload;
  char text[64];
  snprintf(text, sizeof text, "tasker call failed with status %d", status);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  napi_create_int32(env, status, &code);
  napi_set_named_property(env, err, "status", code);
  if (out != NULL && out->ptr != NULL) {
    napi_create_string_utf8(env, (const char*)out->ptr, out->len, &payload);
  } else {
    napi_get_undefined(env, &payload);
  }
  napi_set_named_property(env, err, "payload", payload);
  return err;
}

static napi_value buf_to_string(napi_env env, const tasker_buf* out) {
  napi_value v;
  if (out->ptr == NULL) {
    napi_get_undefined(env, &v);
  } else {
    napi_create_string_utf8(env, (const char*)out->ptr, out->len, &v);
  }
  return v;
}

/* Result of a call with an out buffer: the string, or a thrown status error. Frees the buffer. */
static napi_value finish_sync(napi_env env, int32_t status, tasker_buf* out) {
  napi_value result = NULL;
  if (status == 0) {
    result = buf_to_string(env, out);
  } else {
    napi_throw(env, status_error(env, status, out));
  }
  if (abi.buf_free != NULL) abi.buf_free(out);
  return result;
}

/* Copies a JS string argument into a malloc'ed UTF-8 buffer (caller frees). NULL on a JS error. */
static char* string_arg(napi_env env, napi_value value, size_t* len) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  if (type != napi_string) {
    throw_plain(env, "expected a string argument (a JSON document)");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, value, NULL, 0, len) != napi_ok) {
    throw_plain(env, "could not read the string argument");
    return NULL;
  }
  char* text = malloc(*len + 1);
  if (text == NULL) {
    throw_plain(env, "out of memory copying a JSON argument");
    return NULL;
  }
  napi_get_value_string_utf8(env, value, text, *len + 1, len);
  return text;
}

static int uint32_arg(napi_env env, napi_value value, const char* what, uint32_t* out) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok || d < 0 || d > 4294967295.0 || d != (uint32_t)d) {
    char text[96];
    snprintf(text, sizeof text, "%s must be an integer in [0, 2^32-1]", what);
    throw_plain(env, text);
    return 0;
  }
  *out = (uint32_t)d;
  return 1;
}

static int require_loaded(napi_env env) {
  if (abi.handle == NULL) {
    napi_value err = status_error(env, STATUS_NOT_LOADED, NULL);
    napi_throw(env, err);
    return 0;
  }
  return 1;
}

#define ARGS(n)                                                    \
  size_t argc = (n);                                               \
  napi_value argv[(n) > 0 ? (n) : 1];                              \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);            \
  if (argc < (size_t)(n)) return throw_plain(env, "missing argument")

/* ---- load ---------------------------------------------------------------------------------- */

#define RESOLVE(field, name)                                                   \
  do {                                                                         \
    *(void**)(&next.field) = dlsym(handle, name);                              \
    if (next.field == NULL) {                                                  \
      snprintf(text, sizeof text, "%s does not export %s", path, name);        \
      dlclose(handle);                                                         \
      free(path);                                                              \
      return throw_plain(env, text);                                           \
    }                                                                          \
  } while (0)

/* load(path) → abi version. Idempotent: a second call returns the loaded library's version. */
static napi_value load(napi_env env, napi_callback_info info) {
  ARGS(1);
  napi_value result;
  if (abi.handle != NULL) {
    napi_create_int32(env, abi.abi_version(), &result);
    return result;
  }
  size_t len;
  char* path = string_arg(env, argv[0], &len);
  if (path == NULL) return NULL;
  char text[1024];
  void* handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  if (handle == NULL) {
    snprintf(text, sizeof text, "cannot load %s: %s", path, dlerror());
    free(path);
    return throw_plain(env, text);
  }
  typeof(abi) next = {.handle = handle};
  RESOLVE(abi_version, "tasker_abi_version");
  RESOLVE(init, "tasker_init");
  RESOLVE(worker_start, "tasker_worker_start");
  RESOLVE(worker_stop, "tasker_worker_stop");
  RESOLVE(worker_status, "tasker_worker_status");
  RESOLVE(poll, "tasker_poll");
  RESOLVE(complete, "tasker_complete");
  RESOLVE(checkpoint, "tasker_checkpoint");
  RESOLVE(client, "tasker_client");
  RESOLVE(log, "tasker_log");
  RESOLVE(buf_free, "tasker_buf_free");
  RESOLVE(shutdown, "tasker_shutdown");
  free(path);
  abi = next;
  napi_create_int32(env, abi.abi_version(), &result);
  return result;
}

/* ---- synchronous calls --------------------------------------------------------------------- */

static napi_value json_call(napi_env env, napi_callback_info info, json_out_fn* fn) {
  ARGS(1);
  if (!require_loaded(env)) return NULL;
  size_t len;
  char* json = string_arg(env, argv[0], &len);
  if (json == NULL) return NULL;
  tasker_buf out = {0};
  int32_t status = (*fn)((const uint8_t*)json, len, &out);
  free(json);
  return finish_sync(env, status, &out);
}

static napi_value init(napi_env env, napi_callback_info info) { return json_call(env, info, &abi.init); }
static napi_value worker_start(napi_env env, napi_callback_info info) {
  return json_call(env, info, &abi.worker_start);
}
static napi_value complete(napi_env env, napi_callback_info info) {
  return json_call(env, info, &abi.complete);
}
static napi_value checkpoint(napi_env env, napi_callback_info info) {
  return json_call(env, info, &abi.checkpoint);
}

static napi_value worker_status(napi_env env, napi_callback_info info) {
  (void)info;
  if (!require_loaded(env)) return NULL;
  tasker_buf out = {0};
  return finish_sync(env, abi.worker_status(&out), &out);
}

/* pollNow(max): a poll that does not wait (timeout 0), cheap enough for the event loop. */
static napi_value poll_now(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!require_loaded(env)) return NULL;
  uint32_t max;
  if (!uint32_arg(env, argv[0], "max", &max)) return NULL;
  tasker_buf out = {0};
  return finish_sync(env, abi.poll(max, 0, &out), &out);
}

static napi_value log_call(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (!require_loaded(env)) return NULL;
  int32_t level;
  if (napi_get_value_int32(env, argv[0], &level) != napi_ok) return throw_plain(env, "level must be a number");
  size_t len;
  char* json = string_arg(env, argv[1], &len);
  if (json == NULL) return NULL;
  int32_t status = abi.log(level, (const uint8_t*)json, len);
  free(json);
  napi_value result;
  napi_create_int32(env, status, &result);
  return result;
}

static napi_value shutdown_call(napi_env env, napi_callback_info info) {
  (void)info;
  if (!require_loaded(env)) return NULL;
  napi_value result;
  napi_create_int32(env, abi.shutdown(), &result);
  return result;
}

/* ---- asynchronous calls (the addon's own threads) ------------------------------------------
 *
 * Blocking calls run on threads of this addon, not on libuv's pool: that pool has 4 threads shared
 * with fs/dns/crypto, and a few long client calls (task.wait) would starve both the worker's polls
 * (on Javet, where worker and client share one runtime, the suite deadlocked) and the host's file
 * I/O. A call is handed to an idle thread (a new one when none is idle; idle threads wait for the
 * next call) and its result comes back to the event loop through one threadsafe function per
 * environment, referenced only while calls are pending (an idle addon keeps no process alive).
 * Nothing here is a libuv request and nobody joins these threads, so exiting never waits for a
 * call in progress. */

/* Per environment (a Node process, a worker_thread, a Javet runtime). Never freed: a thread that
 * finishes a call after its environment was torn down finds `closed` set and drops the result. */
typedef struct {
  pthread_mutex_t lock;
  napi_threadsafe_function tsfn;
  int closed;       /* the tsfn is gone (environment teardown) */
  uint32_t pending; /* calls started and not yet settled; touched on the event loop only */
} env_state;

typedef enum { OP_POLL, OP_STOP, OP_CLIENT } async_op;

typedef struct async_call {
  async_op op;
  uint32_t a, b;   /* poll: max, timeout_ms; stop: grace_ms */
  char* json;      /* client: the request */
  size_t json_len;
  int32_t status;
  tasker_buf out;
  napi_deferred deferred;
  env_state* env;
  struct async_call* next;
} async_call;

/* The process-wide queue of calls waiting for a thread. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t ready;
  async_call *head, *tail;
  uint32_t queued, idle, threads;
} calls = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0};

static void free_call(async_call* call) {
  abi.buf_free(&call->out);
  free(call->json);
  free(call);
}

static void run_call(async_call* call) {
  switch (call->op) {
    case OP_POLL: call->status = abi.poll(call->a, call->b, &call->out); break;
    case OP_STOP: call->status = abi.worker_stop(call->a, &call->out); break;
    case OP_CLIENT:
      call->status = abi.client((const uint8_t*)call->json, call->json_len, &call->out);
      break;
  }
}

static void* call_thread(void* arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&calls.lock);
    calls.idle++;
    while (calls.head == NULL) pthread_cond_wait(&calls.ready, &calls.lock);
    calls.idle--;
    calls.queued--;
    async_call* call = calls.head;
    calls.head = call->next;
    if (calls.head == NULL) calls.tail = NULL;
    pthread_mutex_unlock(&calls.lock);

    run_call(call);
    env_state* st = call->env;
    pthread_mutex_lock(&st->lock);
    int delivered = !st->closed && napi_call_threadsafe_function(st->tsfn, call, napi_tsfn_nonblocking) == napi_ok;
    pthread_mutex_unlock(&st->lock);
    if (!delivered) free_call(call);
  }
  return NULL;
}

/* Queues a call, starting a thread when more calls wait than threads are idle; 0 when there is
 * no thread at all to run it. */
static int submit(async_call* call) {
  int ok = 1;
  pthread_mutex_lock(&calls.lock);
  call->next = NULL;
  if (calls.tail == NULL) calls.head = call;
  else calls.tail->next = call;
  calls.tail = call;
  calls.queued++;
  if (calls.queued > calls.idle) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, call_thread, NULL) == 0) {
      calls.threads++;
    } else if (calls.threads == 0) { /* then this call is the only one queued */
      calls.head = calls.tail = NULL;
      calls.queued = 0;
      ok = 0;
    } /* else a busy thread takes it when done */
    pthread_attr_destroy(&attr);
  }
  pthread_cond_signal(&calls.ready);
  pthread_mutex_unlock(&calls.lock);
  return ok;
}

/* On the event loop: settles the call's promise. env is NULL when the environment is being torn
 * down with calls still queued: then only the memory is freed. */
static void settle(napi_env env, napi_value js_cb, void* context, void* data) {
  (void)js_cb;
  env_state* st = context;
  async_call* call = data;
  if (env != NULL) {
    if (call->status == 0) {
      napi_resolve_deferred(env, call->deferred, buf_to_string(env, &call->out));
    } else {
      napi_reject_deferred(env, call->deferred, status_error(env, call->status, &call->out));
    }
    if (--st->pending == 0) napi_unref_threadsafe_function(env, st->tsfn);
  }
  free_call(call);
}

/* The threadsafe function is finalized at environment teardown: later results are dropped. */
static void env_closed(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  env_state* st = data;
  pthread_mutex_lock(&st->lock);
  st->closed = 1;
  pthread_mutex_unlock(&st->lock);
}

static napi_value start_async(napi_env env, async_call* call) {
  env_state* st = NULL;
  napi_get_instance_data(env, (void**)&st);
  if (st == NULL || st->closed) {
    free_call(call);
    return throw_plain(env, "the addon is not initialised in this environment");
  }
  napi_value promise;
  call->env = st;
  napi_create_promise(env, &call->deferred, &promise);
  if (!submit(call)) {
    napi_value msg, err;
    napi_create_string_utf8(env, "cannot start a thread for a blocking tasker call", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, call->deferred, err);
    free_call(call);
    return promise;
  }
  if (st->pending++ == 0) napi_ref_threadsafe_function(env, st->tsfn);
  return promise;
}

static async_call* new_call(napi_env env, async_op op) {
  async_call* call = calloc(1, sizeof *call);
  if (call == NULL) throw_plain(env, "out of memory");
  else call->op = op;
  return call;
}

/* poll(max, timeoutMs) → Promise<string>: waits on an addon thread, never on the event loop. */
static napi_value poll_async(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (!require_loaded(env)) return NULL;
  uint32_t max, timeout;
  if (!uint32_arg(env, argv[0], "max", &max) || !uint32_arg(env, argv[1], "timeoutMs", &timeout)) return NULL;
  async_call* call = new_call(env, OP_POLL);
  if (call == NULL) return NULL;
  call->a = max;
  call->b = timeout;
  return start_async(env, call);
}

/* workerStop(graceMs) → Promise<string>. */
static napi_value worker_stop(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!require_loaded(env)) return NULL;
  uint32_t grace;
  if (!uint32_arg(env, argv[0], "graceMs", &grace)) return NULL;
  async_call* call = new_call(env, OP_STOP);
  if (call == NULL) return NULL;
  call->a = grace;
  return start_async(env, call);
}

/* client(request) → Promise<string>: client ops reach the database (task.wait may wait long). */
static napi_value client_async(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!require_loaded(env)) return NULL;
  size_t len;
  char* json = string_arg(env, argv[0], &len);
  if (json == NULL) return NULL;
  async_call* call = new_call(env, OP_CLIENT);
  if (call == NULL) {
    free(json);
    return NULL;
  }
  call->json = json;
  call->json_len = len;
  return start_async(env, call);
}

/* ---- module -------------------------------------------------------------------------------- */

static napi_value module_init(napi_env env, napi_value exports) {
  env_state* st = calloc(1, sizeof *st);
  napi_value name;
  if (st == NULL) return throw_plain(env, "out of memory");
  pthread_mutex_init(&st->lock, NULL);
  napi_create_string_utf8(env, "tasker", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, st, env_closed, st, settle, &st->tsfn) != napi_ok) {
    return throw_plain(env, "cannot create the addon's threadsafe function");
  }
  napi_unref_threadsafe_function(env, st->tsfn); /* referenced only while calls are pending */
  napi_set_instance_data(env, st, NULL, NULL);
  napi_property_descriptor props[] = {
      {"load", NULL, load, NULL, NULL, NULL, napi_enumerable, NULL},
      {"init", NULL, init, NULL, NULL, NULL, napi_enumerable, NULL},
      {"workerStart", NULL, worker_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"workerStop", NULL, worker_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"workerStatus", NULL, worker_status, NULL, NULL, NULL, napi_enumerable, NULL},
      {"poll", NULL, poll_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pollNow", NULL, poll_now, NULL, NULL, NULL, napi_enumerable, NULL},
      {"complete", NULL, complete, NULL, NULL, NULL, napi_enumerable, NULL},
      {"checkpoint", NULL, checkpoint, NULL, NULL, NULL, napi_enumerable, NULL},
      {"client", NULL, client_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"log", NULL, log_call, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shutdown", NULL, shutdown_call, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
