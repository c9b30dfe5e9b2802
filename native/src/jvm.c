#define _GNU_SOURCE
#include "jvm.h"

#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HELPER_STACK_BYTES (8u * 1024u * 1024u)
#define BOOTSTRAP_CLASS "io/tasker/ffi/Bootstrap"

typedef jint (*create_vm_fn)(JavaVM**, void**, void*);
typedef jint (*created_vms_fn)(JavaVM**, jsize, jsize*);

/* The helper thread that created the JVM (it is the JVM's "main" thread) waits here until
 * jvm_stop asks it to destroy the JVM. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  pthread_t thread;
  int running;
  int stop_requested;
  int stopped;
  JavaVM* vm;
} helper = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, NULL};

/* What the helper thread needs and reports back. */
typedef struct boot_job {
  const init_config* cfg;
  tasker_upcalls* table;
  created_vms_fn created_vms; /* attach mode when set */
  create_vm_fn create_vm;
  int32_t rc;
  char* err;
  size_t errlen;
  int done;
} boot_job;

static int file_exists(const char* path) {
  struct stat st;
  return path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void append(char* buf, size_t len, const char* fmt, const char* arg) {
  size_t used = strlen(buf);
  if (used < len && snprintf(buf + used, len - used, fmt, arg) < 0) {
    buf[used] = '\0';
  }
}

/* The directory this library was loaded from (for the bundled jar and AOT cache). */
static int library_dir(char* out, size_t len) {
  Dl_info info;
  if (dladdr((void*)&library_dir, &info) == 0 || info.dli_fname == NULL) {
    return -1;
  }
  char resolved[PATH_MAX];
  if (realpath(info.dli_fname, resolved) == NULL) {
    return -1;
  }
  char* slash = strrchr(resolved, '/');
  if (slash == NULL) {
    return -1;
  }
  *slash = '\0';
  snprintf(out, len, "%s", resolved);
  return 0;
}

/* The libjvm that was loaded (for error messages). */
static char loaded_libjvm[PATH_MAX];

/* Tries a libjvm candidate; on failure notes it in tried. */
static void* try_libjvm(const char* path, const char* origin, char* tried, size_t tried_len) {
  if (path == NULL || *path == '\0') {
    return NULL;
  }
  if (!file_exists(path)) {
    char note[PATH_MAX + 64];
    snprintf(note, sizeof note, "%s (%s: no such file)", path, origin);
    append(tried, tried_len, "%s; ", note);
    return NULL;
  }
  void* h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  if (h != NULL) {
    snprintf(loaded_libjvm, sizeof loaded_libjvm, "%s", path);
  } else {
    char note[PATH_MAX + 300];
    snprintf(note, sizeof note, "%s (%s: %.250s)", path, origin, dlerror());
    append(tried, tried_len, "%s; ", note);
  }
  return h;
}

static void* try_java_home(const char* home, const char* origin, char* tried, size_t tried_len) {
  if (home == NULL || *home == '\0') {
    return NULL;
  }
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/lib/server/libjvm.so", home) >= (int)sizeof path) {
    append(tried, tried_len, "%s (path too long); ", origin);
    return NULL;
  }
  return try_libjvm(path, origin, tried, tried_len);
}

/* java on PATH: <home>/bin/java → <home>/lib/server/libjvm.so */
static void* try_path_java(char* tried, size_t tried_len) {
  const char* path = getenv("PATH");
  if (path == NULL) {
    append(tried, tried_len, "%s; ", "java on PATH (PATH is not set)");
    return NULL;
  }
  char* copy = strdup(path);
  if (copy == NULL) {
    return NULL;
  }
  void* h = NULL;
  int found = 0;
  char* save = NULL;
  for (char* dir = strtok_r(copy, ":", &save); dir != NULL && h == NULL;
       dir = strtok_r(NULL, ":", &save)) {
    char java[PATH_MAX];
    char real[PATH_MAX];
    if (snprintf(java, sizeof java, "%s/java", dir) >= (int)sizeof java) {
      continue;
    }
    if (access(java, X_OK) != 0 || realpath(java, real) == NULL) {
      continue;
    }
    found = 1;
    char* slash = strrchr(real, '/'); /* …/bin/java */
    if (slash != NULL) {
      *slash = '\0';
      slash = strrchr(real, '/');
      if (slash != NULL) {
        *slash = '\0';
        h = try_java_home(real, "java on PATH", tried, tried_len);
      }
    }
  }
  if (!found) {
    append(tried, tried_len, "%s; ", "java on PATH (none found)");
  }
  free(copy);
  return h;
}

static void* find_libjvm(const init_config* cfg, char* tried, size_t tried_len) {
  void* h = try_libjvm(cfg->libjvm, "config libjvm", tried, tried_len);
  if (h == NULL) {
    h = try_java_home(cfg->java_home, "config java_home", tried, tried_len);
  }
  if (h == NULL) {
    const char* env = getenv("TASKER_LIBJVM");
    if (env == NULL || *env == '\0') {
      append(tried, tried_len, "%s; ", "TASKER_LIBJVM (not set)");
    }
    h = try_libjvm(env, "TASKER_LIBJVM", tried, tried_len);
  }
  if (h == NULL) {
    const char* env = getenv("JAVA_HOME");
    if (env == NULL || *env == '\0') {
      append(tried, tried_len, "%s; ", "JAVA_HOME (not set)");
    }
    h = try_java_home(env, "JAVA_HOME", tried, tried_len);
  }
  if (h == NULL) {
    h = try_path_java(tried, tried_len);
  }
  return h;
}

/* Describes and clears a pending Java exception into err. */
static void describe_exception(JNIEnv* env, const char* what, char* err, size_t errlen) {
  jthrowable t = (*env)->ExceptionOccurred(env);
  if (t == NULL) {
    snprintf(err, errlen, "%s", what);
    return;
  }
  (*env)->ExceptionClear(env);
  jclass cls = (*env)->FindClass(env, "java/lang/Throwable");
  jmethodID to_string =
      cls == NULL ? NULL : (*env)->GetMethodID(env, cls, "toString", "()Ljava/lang/String;");
  jstring s = to_string == NULL ? NULL : (jstring)(*env)->CallObjectMethod(env, t, to_string);
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    s = NULL;
  }
  const char* text = s == NULL ? NULL : (*env)->GetStringUTFChars(env, s, NULL);
  snprintf(err, errlen, "%s: %s", what, text == NULL ? "(no description)" : text);
  if (text != NULL) {
    (*env)->ReleaseStringUTFChars(env, s, text);
  }
}

/* The allocator of the output buffers, handed to Java: tasker_buf_free's free() must match it even
 * when the host interposes malloc (ASan, jemalloc), which Java's own lookup of libc would miss. */
static void* output_alloc(size_t n) { return malloc(n); }

/* Finds the bootstrap class and calls install(table, count, attached, allocator). */
static int32_t run_bootstrap(JNIEnv* env, boot_job* job, int attached) {
  jclass cls = (*env)->FindClass(env, BOOTSTRAP_CLASS);
  if (cls == NULL) {
    describe_exception(env,
                       "the bridge class io.tasker.ffi.Bootstrap is not on the JVM's class path "
                       "(put tasker-bridge.jar in the configured classpath, or on the running "
                       "JVM's class path when attaching)",
                       job->err, job->errlen);
    return TASKER_E_JVM;
  }
  jmethodID install = (*env)->GetStaticMethodID(env, cls, "install", "(JIZJ)I");
  if (install == NULL) {
    describe_exception(env,
                       "io.tasker.ffi.Bootstrap.install(long,int,boolean,long) is missing (the "
                       "jar does not match this libtasker)",
                       job->err, job->errlen);
    return TASKER_E_JVM;
  }
  jint rc = (*env)->CallStaticIntMethod(env, cls, install, (jlong)(intptr_t)job->table,
                                        (jint)TASKER_UPCALL_COUNT, attached ? JNI_TRUE : JNI_FALSE,
                                        (jlong)(intptr_t)&output_alloc);
  if ((*env)->ExceptionCheck(env)) {
    describe_exception(env, "the bridge bootstrap failed", job->err, job->errlen);
    return TASKER_E_JVM;
  }
  if (rc != 0) {
    snprintf(job->err, job->errlen,
             "the bridge bootstrap failed (code %d): the jar does not match this libtasker "
             "(upcall table of %d functions)",
             (int)rc, (int)TASKER_UPCALL_COUNT);
    return TASKER_E_JVM;
  }
  return TASKER_OK;
}

static void finish(boot_job* job, int32_t rc) {
  pthread_mutex_lock(&helper.lock);
  job->rc = rc;
  job->done = 1;
  pthread_cond_broadcast(&helper.cond);
  pthread_mutex_unlock(&helper.lock);
}

static void* attach_main(void* arg) {
  boot_job* job = arg;
  JavaVM* vm = NULL;
  jsize count = 0;
  if (job->created_vms(&vm, 1, &count) != JNI_OK || count < 1) {
    snprintf(job->err, job->errlen, "the JVM of this process went away while attaching");
    finish(job, TASKER_E_JVM);
    return NULL;
  }
  JNIEnv* env = NULL;
  JavaVMAttachArgs args = {JNI_VERSION_21, "tasker-bootstrap", NULL};
  if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void**)&env, &args) != JNI_OK) {
    snprintf(job->err, job->errlen, "cannot attach to the JVM running in this process");
    finish(job, TASKER_E_JVM);
    return NULL;
  }
  int32_t rc = run_bootstrap(env, job, 1);
  (*vm)->DetachCurrentThread(vm);
  finish(job, rc);
  return NULL;
}

static char* concat(const char* a, const char* b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char* s = malloc(n);
  if (s != NULL) {
    snprintf(s, n, "%s%s", a, b);
  }
  return s;
}

/* Builds the JVM options: defaults, class path, AOT cache, then the configured ones. */
static int build_options(const init_config* cfg, JavaVMOption* opts, int max, char** owned,
                         int* owned_count) {
  int n = 0;
  char dir[PATH_MAX] = "";
  int have_dir = library_dir(dir, sizeof dir) == 0;
  /* class path: configured, else TASKER_CLASSPATH, else the jar next to this library */
  size_t cp_len = 1;
  for (int i = 0; i < cfg->classpath_count; i++) {
    cp_len += strlen(cfg->classpath[i]) + 1;
  }
  char* cp = malloc(cp_len + PATH_MAX + 64);
  if (cp == NULL) {
    return -1;
  }
  cp[0] = '\0';
  for (int i = 0; i < cfg->classpath_count; i++) {
    if (i > 0) {
      strcat(cp, ":");
    }
    strcat(cp, cfg->classpath[i]);
  }
  const char* env_cp = getenv("TASKER_CLASSPATH");
  int uses_bundled_jar = 0;
  char bundled[PATH_MAX + 32];
  snprintf(bundled, sizeof bundled, "%s/tasker-bridge.jar", dir);
  if (cp[0] == '\0' && env_cp != NULL && *env_cp != '\0') {
    free(cp);
    cp = strdup(env_cp);
    if (cp == NULL) {
      return -1;
    }
  } else if (cp[0] == '\0' && have_dir && file_exists(bundled)) {
    strcat(cp, bundled);
    uses_bundled_jar = 1;
  }
  owned[(*owned_count)++] = concat("-Djava.class.path=", cp);
  free(cp);
  opts[n++].optionString = owned[*owned_count - 1];
  opts[n++].optionString = "-Xrs";
  opts[n++].optionString = "--enable-native-access=ALL-UNNAMED";
  opts[n++].optionString = "-XX:+UseSerialGC";
  opts[n++].optionString = "-Xmx256m";
  opts[n++].optionString = "-Xss1m";
  /* an AOT cache that does not match the class path is skipped by the JVM; keep that quiet */
  opts[n++].optionString = "-Xlog:aot=off";
  opts[n++].optionString = "-Xlog:cds=off";
  char aot[PATH_MAX + 32];
  snprintf(aot, sizeof aot, "%s/tasker.aot", dir);
  /* The bundled cache was recorded from the bundled jar: with another class path (a development
   * checkout's classes) the JVM could resolve classes from the stale cache (NoSuchMethodError) */
  const char* aot_path =
      cfg->aot_cache != NULL ? cfg->aot_cache : (have_dir && uses_bundled_jar ? aot : NULL);
  if (aot_path != NULL && file_exists(aot_path)) {
    owned[(*owned_count)++] = concat("-XX:AOTCache=", aot_path);
    opts[n++].optionString = owned[*owned_count - 1];
  }
  for (int i = 0; i < cfg->jvm_option_count && n < max; i++) {
    opts[n++].optionString = cfg->jvm_options[i];
  }
  for (int i = 0; i < n; i++) {
    opts[i].extraInfo = NULL;
    if (opts[i].optionString == NULL) {
      return -1;
    }
  }
  return n;
}

static void* create_main(void* arg) {
  boot_job* job = arg;
  JavaVMOption opts[TASKER_CFG_MAX_LIST + 16];
  char* owned[4] = {NULL, NULL, NULL, NULL};
  int owned_count = 0;
  int n = build_options(job->cfg, opts, (int)(sizeof opts / sizeof opts[0]), owned, &owned_count);
  if (n < 0) {
    for (int i = 0; i < owned_count; i++) {
      free(owned[i]);
    }
    snprintf(job->err, job->errlen, "out of memory building the JVM options");
    finish(job, TASKER_E_JVM);
    return NULL;
  }
  JavaVMInitArgs args;
  args.version = JNI_VERSION_21;
  args.nOptions = n;
  args.options = opts;
  args.ignoreUnrecognized = JNI_FALSE;
  JavaVM* vm = NULL;
  JNIEnv* env = NULL;
  /* java.lang.ProcessImpl's static initialiser resets SIGCHLD to SIG_DFL (the JVM's first
   * ProcessBuilder, e.g. the embedded PostgreSQL's pg_ctl), which breaks a host that reaps its
   * children through a handler (CRuby's Process.wait, Node's child_process). Initialise that class
   * now, during boot, and then put the host's handler back. */
  struct sigaction host_sigchld;
  int have_sigchld = sigaction(SIGCHLD, NULL, &host_sigchld) == 0;
  jint created = job->create_vm(&vm, (void**)&env, &args);
  for (int i = 0; i < owned_count; i++) {
    free(owned[i]);
  }
  if (created != JNI_OK) {
    const char* why = created == JNI_EVERSION ? "this JVM is too old: JDK 25 or newer is required"
                      : created == JNI_ENOMEM ? "not enough memory"
                      : created == JNI_EINVAL ? "an invalid option (check jvm_options)"
                      : created == JNI_EEXIST ? "a JVM already exists in this process"
                                              : "an unrecognised option, or a JVM that is not JDK 25+";
    snprintf(job->err, job->errlen, "JNI_CreateJavaVM (%s) failed with %d: %s", loaded_libjvm,
             (int)created, why);
    finish(job, TASKER_E_JVM);
    return NULL;
  }
  jclass process_impl = (*env)->FindClass(env, "java/lang/ProcessImpl"); /* initialises it */
  if (process_impl == NULL) {
    (*env)->ExceptionClear(env);
  } else {
    (*env)->DeleteLocalRef(env, process_impl);
  }
  int32_t rc = run_bootstrap(env, job, 0);
  if (have_sigchld) {
    sigaction(SIGCHLD, &host_sigchld, NULL);
  }
  pthread_mutex_lock(&helper.lock);
  helper.vm = vm;
  pthread_mutex_unlock(&helper.lock);
  finish(job, rc);
  /* stay the JVM's main thread until jvm_stop */
  pthread_mutex_lock(&helper.lock);
  while (!helper.stop_requested) {
    pthread_cond_wait(&helper.cond, &helper.lock);
  }
  pthread_mutex_unlock(&helper.lock);
  (*vm)->DestroyJavaVM(vm);
  pthread_mutex_lock(&helper.lock);
  helper.stopped = 1;
  pthread_cond_broadcast(&helper.cond);
  pthread_mutex_unlock(&helper.lock);
  return NULL;
}

static int32_t run_helper(boot_job* job, void* (*body)(void*), int keep) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, HELPER_STACK_BYTES);
  pthread_t t;
  int e = pthread_create(&t, &attr, body, job);
  pthread_attr_destroy(&attr);
  if (e != 0) {
    snprintf(job->err, job->errlen, "cannot start the JVM helper thread: %s", strerror(e));
    return TASKER_E_JVM;
  }
  pthread_mutex_lock(&helper.lock);
  while (!job->done) {
    pthread_cond_wait(&helper.cond, &helper.lock);
  }
  pthread_mutex_unlock(&helper.lock);
  if (keep) {
    helper.thread = t;
    helper.running = 1;
  } else {
    pthread_join(t, NULL);
  }
  return job->rc;
}

int32_t jvm_start(const init_config* cfg, tasker_upcalls* table, int* attached, char* err,
                  size_t errlen) {
  boot_job job = {cfg, table, NULL, NULL, TASKER_E_JVM, err, errlen, 0};
  /* a JVM that already runs in this process (JRuby, GraalPy, Javet, a Java host) */
  created_vms_fn created = (created_vms_fn)dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
  JavaVM* vm = NULL;
  jsize count = 0;
  if (created != NULL && created(&vm, 1, &count) == JNI_OK && count > 0) {
    *attached = 1;
    job.created_vms = created;
    return run_helper(&job, attach_main, 0);
  }
  char tried[4096] = "";
  void* lib = find_libjvm(cfg, tried, sizeof tried);
  if (lib == NULL) {
    size_t len = strlen(tried);
    if (len >= 2) {
      tried[len - 2] = '\0';
    }
    snprintf(err, errlen,
             "no libjvm found (JDK 25 or newer needed); tried: %s. Set \"libjvm\" or "
             "\"java_home\" in the tasker_init configuration, TASKER_LIBJVM or JAVA_HOME",
             tried);
    return TASKER_E_JVM;
  }
  /* the library may hold a JVM that was created without exporting its symbols globally */
  created = (created_vms_fn)dlsym(lib, "JNI_GetCreatedJavaVMs");
  if (created != NULL && created(&vm, 1, &count) == JNI_OK && count > 0) {
    *attached = 1;
    job.created_vms = created;
    return run_helper(&job, attach_main, 0);
  }
  job.create_vm = (create_vm_fn)dlsym(lib, "JNI_CreateJavaVM");
  if (job.create_vm == NULL) {
    snprintf(err, errlen, "the libjvm found has no JNI_CreateJavaVM");
    return TASKER_E_JVM;
  }
  *attached = 0;
  return run_helper(&job, create_main, 1);
}

void jvm_stop(void) {
  pthread_mutex_lock(&helper.lock);
  if (!helper.running) {
    pthread_mutex_unlock(&helper.lock);
    return;
  }
  helper.stop_requested = 1;
  pthread_cond_broadcast(&helper.cond);
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  int e = 0;
  while (!helper.stopped && e != ETIMEDOUT) {
    e = pthread_cond_timedwait(&helper.cond, &helper.lock, &until);
  }
  int stopped = helper.stopped;
  helper.running = 0;
  pthread_mutex_unlock(&helper.lock);
  if (stopped) {
    pthread_join(helper.thread, NULL);
  } else {
    /* a non-daemon Java thread keeps the JVM alive: leave it, the process exit ends it */
    pthread_detach(helper.thread);
  }
}
