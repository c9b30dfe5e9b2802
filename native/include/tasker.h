/*
 * tasker.h — the tasker C ABI, version 1.
 *
 * libtasker.so runs the tasker worker (Java) inside the host process: it boots a JVM (or attaches
 * to one that already runs in the process) and exposes the worker through these functions. Hosts
 * (the Ruby, Python and TypeScript shims) pull step events with tasker_poll, run their handlers and
 * push the results back with tasker_complete. Java never calls host code.
 *
 * Conventions (every function):
 *  - Returns an int32_t status: TASKER_OK (0) or a negative TASKER_E_* code; never aborts.
 *  - Input is UTF-8 JSON given as (pointer, length); it need not be NUL-terminated. The library
 *    does not keep the pointer after the call returns.
 *  - Output goes to a caller-owned tasker_buf. The library fills it with memory from malloc; the
 *    caller releases it with tasker_buf_free (which also zeroes it). On error the buffer holds
 *    {"error":{"code":<int>,"type":"<name>","message":"<text>","path":"<json path>"?}}.
 *    A buffer passed in must be zeroed or already freed: the library overwrites it without freeing.
 *  - Thread-safe: any thread may call any function at any time; no call holds a global lock while
 *    it runs Java code. Threads unknown to the JVM are attached (as daemons) on their first call.
 *  - Bounded: every call returns within a bound; only tasker_poll waits (at most timeout_ms), and
 *    tasker_worker_stop waits at most grace_ms for handlers in flight.
 *
 * The JSON documents are specified in docs/abi.md.
 */
#ifndef TASKER_H
#define TASKER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TASKER_API __attribute__((visibility("default")))
#else
#define TASKER_API
#endif

#define TASKER_ABI_VERSION 1

/* Status codes (docs/abi.md#status-codes). */
#define TASKER_OK 0
#define TASKER_E_INVALID (-1)           /* malformed/truncated JSON, schema mismatch, NULL, bad argument */
#define TASKER_E_NOT_INITIALIZED (-2)   /* before tasker_init or after tasker_shutdown */
#define TASKER_E_NOT_RUNNING (-3)       /* poll/complete/checkpoint without a started worker */
#define TASKER_E_UNKNOWN_EVENT (-4)     /* the event_id was never dispatched by this worker */
#define TASKER_E_EXPIRED (-5)           /* the event passed its deadline and was failed as timeout */
#define TASKER_E_ALREADY_COMPLETED (-6) /* double completion */
#define TASKER_E_JVM (-7)               /* no JVM could be created or attached */
#define TASKER_E_NOT_FOUND (-8)         /* client: unknown task, step or template */
#define TASKER_E_CONFLICT (-9)          /* client: duplicate task, or action not allowed */
#define TASKER_E_UNAVAILABLE (-10)      /* database unreachable, or the worker is shutting down */
#define TASKER_E_TIMEOUT (-11)          /* client: task.wait timed out */
#define TASKER_E_INTERNAL (-99)         /* a bug inside the core */

/* Log levels of tasker_log. */
#define TASKER_LOG_TRACE 0
#define TASKER_LOG_DEBUG 1
#define TASKER_LOG_INFO 2
#define TASKER_LOG_WARN 3
#define TASKER_LOG_ERROR 4

/* An output buffer: ptr is malloc'ed by the library (or NULL), len its length in bytes. The JSON
 * is not NUL-terminated. Release with tasker_buf_free. */
typedef struct tasker_buf {
  uint8_t* ptr;
  size_t len;
} tasker_buf;

/* The ABI version this library implements (TASKER_ABI_VERSION). Shims refuse to run on a
 * mismatch. Needs no tasker_init. */
TASKER_API int32_t tasker_abi_version(void);

/* Boots a JVM on a helper thread (8 MiB stack), or attaches to the JVM already running in the
 * process, and installs the bridge. cfg: JSON object (docs/abi.md#tasker_init-configuration), may
 * be NULL/0 for defaults. out (may be NULL): {"attached":bool,"java_version":"…","abi_version":1}.
 * Idempotent: later calls return the same document. Concurrent first calls create one JVM.
 * Returns OK, INVALID (bad cfg), JVM (no libjvm found: the message lists every place tried; or the
 * JVM or the bridge failed to start), NOT_INITIALIZED (after tasker_shutdown: a process hosts one
 * JVM, which cannot be booted again). */
TASKER_API int32_t tasker_init(const uint8_t* cfg, size_t cfg_len, tasker_buf* out);

/* Starts the worker in this process for the configured namespaces
 * (docs/abi.md#tasker_worker_start-configuration). out (may be NULL):
 * {"worker_id":"…","namespaces":[…],"handlers":[…]}. Idempotent: while a worker runs, returns its
 * document and ignores cfg. Returns OK, INVALID, NOT_INITIALIZED, UNAVAILABLE (database). */
TASKER_API int32_t tasker_worker_start(const uint8_t* cfg, size_t cfg_len, tasker_buf* out);

/* Stops claiming, gives events in flight up to grace_ms to be completed (events still open then
 * fail as retryable and are redelivered), and stops the worker. out (may be NULL):
 * {"stopped":bool} (false: no worker was running). Idempotent. Returns OK, NOT_INITIALIZED. */
TASKER_API int32_t tasker_worker_stop(uint32_t grace_ms, tasker_buf* out);

/* The worker's state and channel metrics: {"running":bool,"worker_id":…,"namespaces":[…],
 * "channel":{"capacity","queued","pending","oldest_pending_ms","dispatched","completed",
 * "expired","rejected","poll_wait_ms"}}. out must not be NULL. Returns OK, INVALID,
 * NOT_INITIALIZED. */
TASKER_API int32_t tasker_worker_status(tasker_buf* out);

/* Takes up to max (1..1000) step events, waiting at most timeout_ms (0: do not wait) for the
 * first. out (required): a JSON array of step events (docs/abi.md#step-event), [] when none came.
 * Every event returned must be completed (tasker_complete or tasker_checkpoint) by its
 * deadline_unix_ms. Returns OK, INVALID, NOT_INITIALIZED, NOT_RUNNING. */
TASKER_API int32_t tasker_poll(uint32_t max, uint32_t timeout_ms, tasker_buf* out);

/* Completes one event ({"event_id","result"}) or a batch (a JSON array of those). Single: returns
 * OK (out: {"completed":1}), INVALID (schema mismatch: message + "path"; nothing applied),
 * UNKNOWN_EVENT, EXPIRED, ALREADY_COMPLETED, NOT_RUNNING, NOT_INITIALIZED. Batch: every element
 * is validated first and none is applied if one is invalid (INVALID); otherwise returns OK with
 * out {"completed":n,"rejected":[{"event_id","code","type","message"}]}. out may be NULL. */
TASKER_API int32_t tasker_complete(const uint8_t* json, size_t json_len, tasker_buf* out);

/* Completes one event by yielding a checkpoint
 * ({"event_id","cursor","items_processed","accumulated_results"}); the core dispatches the same
 * step again as a new event whose "checkpoint" holds these values. Same codes as a single
 * tasker_complete. out may be NULL. */
TASKER_API int32_t tasker_checkpoint(const uint8_t* json, size_t json_len, tasker_buf* out);

/* A client operation {"op","args"} (docs/abi.md#client): the result is the REST response body.
 * Works without a started worker. out (required). Returns OK, INVALID, NOT_FOUND, CONFLICT,
 * TIMEOUT, UNAVAILABLE, NOT_INITIALIZED. */
TASKER_API int32_t tasker_client(const uint8_t* req, size_t req_len, tasker_buf* out);

/* Writes a log record through the core's logging: level TASKER_LOG_*, json
 * {"message","logger"?,"fields"?}. Returns OK, INVALID, NOT_INITIALIZED. */
TASKER_API int32_t tasker_log(int32_t level, const uint8_t* json, size_t json_len);

/* Frees a buffer filled by the library and zeroes it. NULL, a zeroed buffer, or a buffer freed
 * before (and so zeroed) are no-ops. */
TASKER_API void tasker_buf_free(tasker_buf* b);

/* Stops the worker (grace 5 s), closes the database, and, if this library created the JVM,
 * destroys it. Waits for calls in progress on other threads to return first. Every other call
 * after it returns NOT_INITIALIZED; a second tasker_shutdown returns OK and changes nothing.
 * Returns OK, NOT_INITIALIZED (tasker_init never succeeded). */
TASKER_API int32_t tasker_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* TASKER_H */
