/* The C test driver's shared helpers: checks, ABI calls that return parsed JSON, handlers. */
#ifndef TASKER_TEST_DRIVER_H
#define TASKER_TEST_DRIVER_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "tasker.h"

extern int g_failures;

#define CHECK(cond, ...)                                                 \
  do {                                                                   \
    if (!(cond)) {                                                       \
      g_failures++;                                                      \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);    \
      fprintf(stderr, __VA_ARGS__);                                      \
      fprintf(stderr, "\n");                                             \
    }                                                                    \
  } while (0)

/* Checks rc == want; on error also that out holds an error document with that code. */
void expect_rc(const char* what, int32_t rc, int32_t want, tasker_buf* out);

/* Parses a buffer's JSON (NULL on a bad or empty buffer; the failure is counted). */
cJSON* parse_buf(const tasker_buf* b);

/* Calls with a NUL-terminated JSON text. */
int32_t call_text(int32_t (*fn)(const uint8_t*, size_t, tasker_buf*), const char* json,
                  tasker_buf* out);

/* tasker_init with the driver's configuration (class path from TASKER_CLASSPATH). */
int32_t init_default(tasker_buf* out);

/* Starts a worker for the conformance namespace with the C handlers; templates_dir may be NULL. */
int32_t start_conformance_worker(const char* templates_dir, int concurrency, tasker_buf* out);

/* Runs one event's handler: returns a malloc'ed completion ({event_id,result}) or, when the
 * handler yields, a checkpoint document (*is_checkpoint = 1). */
char* handle_event(const cJSON* event, int* is_checkpoint);

/* The callables handle_event serves, as a JSON array text. */
const char* handler_names_json(void);

/* Milliseconds on a monotonic clock. */
int64_t now_ms(void);

#endif

/* Expects OK; returns the parsed output (caller deletes) and frees the buffer. */
cJSON* ok_json(const char* what, int32_t rc, tasker_buf* out);

/* Expects want (an error code) with an error document; when path is given, that "path". When
 * message_part is given, the message must contain it. Frees the buffer. */
void expect_error(const char* what, int32_t rc, int32_t want, tasker_buf* out, const char* path,
                  const char* message_part);

/* tasker_client with a printf-formatted request; expects OK and returns the result. */
cJSON* client_ok(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/* tasker_client; returns the status and leaves the output in out. */
int32_t client_call(tasker_buf* out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a whole file (NUL-terminated, malloc'ed) or NULL. */
char* read_file(const char* path);

/* A JSON string literal for text (malloc'ed, with quotes). */
char* json_quote(const char* text);

/* Polls until n events arrived (or timeout_ms passed); returns an array (caller deletes). */
cJSON* poll_n(int n, int timeout_ms);

/* Completes one event with its handler's completion; returns the status. */
int32_t complete_event(const cJSON* event);

/* The text of a string member (or "" when missing). */
const char* str_of(const cJSON* obj, const char* key);

/* Sleeps ms milliseconds. */
void sleep_ms(int ms);

/* Milliseconds since the Unix epoch. */
int64_t unix_ms(void);
