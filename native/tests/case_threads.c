/* Many threads at once: 4 × 10,000 poll/complete round trips on the loopback source, then real
 * workflows served by 4 threads; and the shutdown order with calls in flight. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

static atomic_int completed_total;
static atomic_int errors_total;
static int target_total;

typedef struct worker_arg {
  int quota; /* complete this many events (0: until target_total is reached) */
} worker_arg;

static void* poll_complete_loop(void* p) {
  worker_arg* a = p;
  int mine = 0;
  int64_t deadline = now_ms() + 60000;
  while (now_ms() < deadline) {
    if (a->quota > 0 ? mine >= a->quota : atomic_load(&completed_total) >= target_total) {
      break;
    }
    tasker_buf out = {0};
    int32_t rc = tasker_poll(1, 200, &out);
    if (rc != TASKER_OK) {
      atomic_fetch_add(&errors_total, 1);
      tasker_buf_free(&out);
      break;
    }
    cJSON* evs = cJSON_ParseWithLength((const char*)out.ptr, out.len);
    tasker_buf_free(&out);
    const cJSON* e;
    cJSON_ArrayForEach(e, evs) {
      int32_t c = complete_event(e);
      if (c == TASKER_OK) {
        mine++;
        atomic_fetch_add(&completed_total, 1);
      } else {
        atomic_fetch_add(&errors_total, 1);
      }
    }
    cJSON_Delete(evs);
  }
  return NULL;
}

static void run_threads(int threads, int quota) {
  pthread_t t[64];
  worker_arg args[64];
  for (int i = 0; i < threads && i < 64; i++) {
    args[i].quota = quota;
    pthread_create(&t[i], NULL, poll_complete_loop, &args[i]);
  }
  for (int i = 0; i < threads && i < 64; i++) {
    pthread_join(t[i], NULL);
  }
}

int case_threads(const char* templates_dir, int threads, int per_thread) {
  tasker_buf out = {0};
  cJSON_Delete(ok_json("init", init_default(&out), &out));
  cJSON_Delete(ok_json("loopback",
                       call_text(tasker_worker_start,
                                 "{\"loopback\":{\"payload_bytes\":200},\"concurrency\":16}", &out),
                       &out));
  int64_t t0 = now_ms();
  run_threads(threads, per_thread);
  int64_t took = now_ms() - t0;
  CHECK(atomic_load(&completed_total) == threads * per_thread, "%d of %d completed",
        atomic_load(&completed_total), threads * per_thread);
  CHECK(atomic_load(&errors_total) == 0, "%d errors", atomic_load(&errors_total));
  cJSON* st = ok_json("status", tasker_worker_status(&out), &out);
  cJSON* ch = cJSON_GetObjectItemCaseSensitive(st, "channel");
  CHECK(cJSON_GetObjectItemCaseSensitive(ch, "rejected")->valueint == 0, "no rejections");
  CHECK(cJSON_GetObjectItemCaseSensitive(ch, "completed")->valueint == threads * per_thread,
        "channel counted every completion");
  cJSON_Delete(st);
  printf("threads: %d x %d loopback round trips in %lld ms\n", threads, per_thread,
         (long long)took);
  cJSON_Delete(ok_json("stop loopback", tasker_worker_stop(1000, &out), &out));

  /* real workflows: 20 linear tasks (80 steps) served by the same threads */
  char cfg[2048];
  snprintf(cfg, sizeof cfg, "{\"templates_dir\":\"%s\",\"handlers\":%s,\"concurrency\":8}",
           templates_dir, handler_names_json());
  cJSON_Delete(ok_json("start db worker", call_text(tasker_worker_start, cfg, &out), &out));
  char* tasks[20];
  for (int i = 0; i < 20; i++) {
    cJSON* t = client_ok("{\"op\":\"task.create\",\"args\":{\"namespace\":\"conformance\","
                         "\"name\":\"linear_workflow\",\"context\":{\"even_number\":%d,\"i\":%d}}}",
                         2 + 2 * (i % 3), i);
    tasks[i] = strdup(str_of(t, "task_uuid"));
    cJSON_Delete(t);
  }
  atomic_store(&completed_total, 0);
  target_total = 80;
  run_threads(threads, 0);
  CHECK(atomic_load(&completed_total) == 80, "%d of 80 steps", atomic_load(&completed_total));
  CHECK(atomic_load(&errors_total) == 0, "%d errors", atomic_load(&errors_total));
  for (int i = 0; i < 20; i++) {
    cJSON* doc = client_ok("{\"op\":\"task.wait\",\"args\":{\"task_uuid\":\"%s\",\"timeout_ms\":20000}}",
                           tasks[i]);
    CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "task %d complete", i);
    cJSON_Delete(doc);
    free(tasks[i]);
  }
  cJSON_Delete(ok_json("stop", tasker_worker_stop(2000, &out), &out));
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  return g_failures == 0 ? 0 : 1;
}

typedef struct poller_arg {
  int32_t rc;
  int64_t returned_at;
  uint32_t timeout_ms;
} poller_arg;

static void* one_poll(void* p) {
  poller_arg* a = p;
  tasker_buf out = {0};
  a->rc = tasker_poll(1, a->timeout_ms, &out);
  a->returned_at = now_ms();
  tasker_buf_free(&out);
  return NULL;
}

/* stop polling → fail in-flight → worker_stop → shutdown, with calls in flight on other threads */
int case_shutdown_order(const char* abi_test_dir) {
  tasker_buf out = {0};
  cJSON_Delete(ok_json("init", init_default(&out), &out));
  char cfg[1024];
  snprintf(cfg, sizeof cfg, "{\"namespaces\":[\"abi_test\"],\"handlers\":%s,\"concurrency\":2}",
           handler_names_json());
  cJSON_Delete(ok_json("start", call_text(tasker_worker_start, cfg, &out), &out));
  char path[4096];
  snprintf(path, sizeof path, "%s/single.yaml", abi_test_dir);
  char* yaml = read_file(path);
  char* quoted = json_quote(yaml == NULL ? "" : yaml);
  cJSON_Delete(client_ok("{\"op\":\"template.register\",\"args\":{\"yaml\":%s}}", quoted));
  free(quoted);
  free(yaml);
  char* tasks[2];
  for (int i = 0; i < 2; i++) {
    cJSON* t = client_ok("{\"op\":\"task.create\",\"args\":{\"namespace\":\"abi_test\","
                         "\"name\":\"single\",\"context\":{\"i\":%d}}}",
                         i);
    tasks[i] = strdup(str_of(t, "task_uuid"));
    cJSON_Delete(t);
  }
  cJSON* held = poll_n(2, 10000);
  CHECK(cJSON_GetArraySize(held) == 2, "two events in flight");

  /* a poll in flight on another thread while the worker stops */
  poller_arg pa = {0, 0, 1500};
  pthread_t t;
  pthread_create(&t, NULL, one_poll, &pa);
  sleep_ms(100);
  int64_t t0 = now_ms();
  cJSON* stop = ok_json("worker_stop", tasker_worker_stop(300, &out), &out);
  int64_t stop_ms = now_ms() - t0;
  CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stop, "stopped")), "stopped");
  CHECK(stop_ms < 5000, "worker_stop bounded by its grace (%lld ms)", (long long)stop_ms);
  cJSON_Delete(stop);
  pthread_join(t, NULL);
  CHECK(pa.rc == TASKER_OK || pa.rc == TASKER_E_NOT_RUNNING, "poll in flight returned %d", pa.rc);
  /* the in-flight events were failed (retryable) when the worker stopped */
  const cJSON* e;
  cJSON_ArrayForEach(e, held) {
    CHECK(complete_event(e) == TASKER_E_NOT_RUNNING, "late completion after stop");
  }
  cJSON_Delete(held);

  /* a new worker (with an orchestrator for the retries) finishes both tasks */
  snprintf(cfg, sizeof cfg,
           "{\"namespaces\":[\"abi_test\"],\"handlers\":%s,\"concurrency\":2,"
           "\"with_orchestrator\":true}",
           handler_names_json());
  cJSON_Delete(ok_json("restart", call_text(tasker_worker_start, cfg, &out), &out));
  held = poll_n(2, 20000);
  CHECK(cJSON_GetArraySize(held) == 2, "both steps dispatched again");
  cJSON_ArrayForEach(e, held) {
    int attempts = cJSON_GetObjectItemCaseSensitive(e, "attempts")->valueint;
    /* the stop failed attempt 1 as retryable; under heavy load a retry claimed while the first
     * worker was still closing may fail as worker_shutdown too, so a later attempt is fine */
    CHECK(attempts >= 2, "a later attempt (attempts %d, step %s)", attempts,
          str_of(e, "step_uuid"));
    CHECK(complete_event(e) == TASKER_OK, "completed");
  }
  cJSON_Delete(held);
  for (int i = 0; i < 2; i++) {
    cJSON* doc = client_ok("{\"op\":\"task.wait\",\"args\":{\"task_uuid\":\"%s\",\"timeout_ms\":20000}}",
                           tasks[i]);
    CHECK(strcmp(str_of(doc, "state"), "complete") == 0, "task %d complete", i);
    cJSON_Delete(doc);
    free(tasks[i]);
  }

  /* shutdown while a poll runs on another thread: shutdown waits for it, then refuses calls */
  pa.timeout_ms = 800;
  pthread_create(&t, NULL, one_poll, &pa);
  sleep_ms(100);
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  int64_t shut_at = now_ms();
  pthread_join(t, NULL);
  CHECK(pa.rc == TASKER_OK, "poll in flight finished normally (%d)", pa.rc);
  CHECK(pa.returned_at <= shut_at, "shutdown waited for the poll in flight");
  CHECK(tasker_poll(1, 0, &out) == TASKER_E_NOT_INITIALIZED, "poll after shutdown");
  tasker_buf_free(&out);
  return g_failures == 0 ? 0 : 1;
}

typedef struct init_arg {
  int32_t rc;
  char attached[8];
} init_arg;

static pthread_barrier_t init_barrier;

static void* init_at_once(void* p) {
  init_arg* a = p;
  tasker_buf out = {0};
  pthread_barrier_wait(&init_barrier);
  a->rc = init_default(&out);
  cJSON* doc = cJSON_ParseWithLength((const char*)out.ptr, out.len);
  const cJSON* att = cJSON_GetObjectItemCaseSensitive(doc, "attached");
  snprintf(a->attached, sizeof a->attached, "%s", cJSON_IsTrue(att) ? "true" : "false");
  cJSON_Delete(doc);
  tasker_buf_free(&out);
  return NULL;
}

/* Eight threads call tasker_init at the same moment: one JVM, eight OK answers. */
static void host_sigchld_handler(int sig) {
  (void)sig;
}

int case_concurrent_init(void) {
  enum { N = 8 };
  pthread_t t[N];
  init_arg args[N];
  /* a host that reaps children through a SIGCHLD handler (CRuby, Node) keeps it across the boot */
  struct sigaction host = {0};
  host.sa_handler = host_sigchld_handler;
  sigemptyset(&host.sa_mask);
  sigaction(SIGCHLD, &host, NULL);
  pthread_barrier_init(&init_barrier, NULL, N);
  for (int i = 0; i < N; i++) {
    pthread_create(&t[i], NULL, init_at_once, &args[i]);
  }
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    CHECK(args[i].rc == TASKER_OK, "thread %d: init rc %d", i, args[i].rc);
    CHECK(strcmp(args[i].attached, "false") == 0, "thread %d: the JVM was created here", i);
  }
  pthread_barrier_destroy(&init_barrier);
  struct sigaction after = {0};
  sigaction(SIGCHLD, NULL, &after);
  CHECK(after.sa_handler == host_sigchld_handler, "the host's SIGCHLD handler survives the JVM boot");
  /* one JVM: JNI reports exactly one, and the process still works */
  tasker_buf out = {0};
  cJSON_Delete(ok_json("status", tasker_worker_status(&out), &out));
  CHECK(tasker_shutdown() == TASKER_OK, "shutdown");
  return g_failures == 0 ? 0 : 1;
}
