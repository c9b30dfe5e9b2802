package io.tasker.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.client.ClientOps;
import io.tasker.client.LocalTaskerClient;
import io.tasker.db.DatabaseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The state behind the ABI in this process: the bridge's services (database, engine), the running
 * FFI worker and its channel. Lifecycle calls are synchronized with each other; {@code poll} and
 * {@code complete} take no lock.
 */
final class Bridge {
  private static final Bridge INSTANCE = new Bridge();
  private static final Set<String> INIT_KEYS =
      Set.of(
          "classpath",
          "java_home",
          "libjvm",
          "jvm_options",
          "aot_cache",
          "log_level",
          "database_url");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  private static final int MAX_POLL = 1000;

  private volatile boolean attached;
  private volatile HostWorker worker;
  private Services services;
  private volatile ClientOps clientOps;
  private Optional<String> initDatabaseUrl = Optional.empty();
  private boolean shutDown;

  private Bridge() {}

  static Bridge get() {
    return INSTANCE;
  }

  void installed(boolean attachedToRunningJvm) {
    this.attached = attachedToRunningJvm;
  }

  synchronized byte[] init(byte[] cfg) {
    if (cfg.length > 0) {
      JsonNode c = Documents.parseObject(cfg, "init configuration");
      Documents.onlyKeys(c, "$", INIT_KEYS);
      String level = Documents.optionalText(c, "$", "log_level");
      if (level != null) {
        LogLevels.apply(level);
      }
      String url = Documents.optionalText(c, "$", "database_url");
      if (url != null && !url.isBlank()) {
        initDatabaseUrl = Optional.of(url);
      }
    }
    shutDown = false;
    return Json.MAPPER
        .createObjectNode()
        .put("attached", attached)
        .put("java_version", Runtime.version().toString())
        .put("abi_version", 1)
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The services, opened on first use with {@code url} (or the init/environment default). */
  synchronized Services services(Optional<String> url, int poolAtLeast) {
    Optional<String> wanted = url.isPresent() ? url : initDatabaseUrl;
    if (services == null) {
      try {
        services = Services.open(wanted, poolAtLeast);
      } catch (DatabaseException e) {
        boolean badUrl = e.code().startsWith("invalid_");
        throw new AbiException(
            badUrl ? Status.INVALID : Status.UNAVAILABLE,
            badUrl ? e.code() : "database_unavailable",
            "cannot open the database: " + e.getMessage(),
            badUrl ? "$.database_url" : null);
      }
    } else if (wanted.isPresent() && !wanted.equals(services.requestedUrl())) {
      throw new AbiException(
          Status.INVALID,
          "this process already uses the database "
              + services.database().url().describe()
              + "; one process serves one database",
          "$.database_url");
    }
    return services;
  }

  synchronized byte[] workerStart(byte[] cfg) {
    if (worker != null) {
      return bytes(worker.describe());
    }
    WorkerSettings s = WorkerSettings.parse(cfg);
    if (s.loopbackPayloadBytes().isPresent()) {
      worker =
          new LoopbackWorker(s.concurrency(), s.loopbackPayloadBytes().get(), s.defaultTimeout());
    } else {
      Services svc = services(s.databaseUrl(), Math.min(64, 4 + s.concurrency()));
      worker = FfiWorker.start(svc, s);
    }
    return bytes(worker.describe());
  }

  synchronized byte[] workerStop(long graceMs) {
    HostWorker w = worker;
    boolean stopped = w != null;
    if (w != null) {
      worker = null;
      w.stop(Duration.ofMillis(graceMs));
    }
    return bytes(Json.object().put("stopped", stopped));
  }

  byte[] workerStatus() {
    HostWorker w = worker;
    ObjectNode s = Json.object().put("running", w != null);
    if (w != null) {
      s.setAll(w.describe());
      s.set("channel", w.channel().metrics());
    }
    return bytes(s);
  }

  byte[] poll(long max, long timeoutMs) throws InterruptedException {
    if (max < 1 || max > MAX_POLL) {
      throw new AbiException(
          Status.INVALID, "max must be between 1 and " + MAX_POLL + ", got " + max, "max");
    }
    return running().channel().poll((int) max, timeoutMs);
  }

  byte[] complete(byte[] json) {
    JsonNode doc = Documents.parse(json, "completion");
    List<Completions.Completion> all = Completions.parse(doc);
    FfiDispatchChannel channel = running().channel();
    if (doc.isObject()) {
      Completions.Completion c = all.get(0);
      FfiDispatchChannel.Outcome o = channel.complete(c.eventId(), c.result());
      if (o != FfiDispatchChannel.Outcome.COMPLETED) {
        throw new AbiException(o.status, "event " + c.eventId() + ": " + o.message, "$.event_id");
      }
      return bytes(Json.object().put("completed", 1));
    }
    ObjectNode out = Json.object();
    var rejected = out.putArray("rejected");
    int done = 0;
    for (Completions.Completion c : all) {
      FfiDispatchChannel.Outcome o = channel.complete(c.eventId(), c.result());
      if (o == FfiDispatchChannel.Outcome.COMPLETED) {
        done++;
      } else {
        rejected
            .addObject()
            .put("event_id", c.eventId())
            .put("code", o.status.code())
            .put("type", o.status.cName())
            .put("message", o.message);
      }
    }
    out.put("completed", done);
    return bytes(out);
  }

  byte[] checkpoint(byte[] json) {
    Completions.Completion c = Completions.checkpoint(Documents.parse(json, "checkpoint"));
    FfiDispatchChannel.Outcome o = running().channel().complete(c.eventId(), c.result());
    if (o != FfiDispatchChannel.Outcome.COMPLETED) {
      throw new AbiException(o.status, "event " + c.eventId() + ": " + o.message, "$.event_id");
    }
    return bytes(Json.object().put("completed", 1));
  }

  /** A client op ({@code {"op", "args"}}) on this process's database; no worker needed. */
  ClientOps.Reply client(byte[] request) {
    String text = Documents.utf8(request, "client request");
    ClientOps ops = clientOps;
    if (ops == null) {
      ops = openClient();
    }
    return ops.execute(text);
  }

  private synchronized ClientOps openClient() {
    if (clientOps == null) {
      Services svc = services(Optional.empty(), 4);
      clientOps = new ClientOps(new LocalTaskerClient(svc.engine(), svc.waker()));
    }
    return clientOps;
  }

  synchronized void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    try {
      workerStop(SHUTDOWN_GRACE.toMillis());
    } finally {
      clientOps = null;
      if (services != null) {
        services.close();
        services = null;
      }
    }
  }

  private HostWorker running() {
    HostWorker w = worker;
    if (w == null) {
      throw new AbiException(
          Status.NOT_RUNNING, "no worker is running: call tasker_worker_start first");
    }
    return w;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
