package io.tasker.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tasker_worker_start}'s configuration (docs/abi.md#tasker_worker_start-configuration),
 * validated.
 */
record WorkerSettings(
    List<String> namespaces,
    Optional<Path> templatesDir,
    List<String> handlers,
    int concurrency,
    Optional<String> databaseUrl,
    Duration defaultTimeout,
    boolean withOrchestrator,
    Optional<Integer> loopbackPayloadBytes) {

  private static final Set<String> KEYS =
      Set.of(
          "namespaces",
          "templates_dir",
          "handlers",
          "concurrency",
          "database_url",
          "default_timeout_seconds",
          "with_orchestrator",
          "loopback");
  private static final Set<String> LOOPBACK_KEYS = Set.of("payload_bytes");

  static WorkerSettings parse(byte[] json) {
    JsonNode c = Documents.parseObject(json, "worker configuration");
    Documents.onlyKeys(c, "$", KEYS);
    JsonNode loopback = c.get("loopback");
    if (loopback != null && !loopback.isNull()) {
      return loopback(c, loopback);
    }
    List<String> namespaces = Documents.optionalTextList(c, "$", "namespaces");
    String dir = Documents.optionalText(c, "$", "templates_dir");
    Optional<Path> templates = Optional.ofNullable(dir).map(Path::of);
    if (templates.isPresent() && !Files.exists(templates.get())) {
      throw AbiException.invalid("$.templates_dir", "no such file or directory: " + dir);
    }
    if (namespaces.isEmpty() && templates.isEmpty()) {
      throw AbiException.invalid(
          "$.namespaces", "required (a non-empty list) unless templates_dir gives the namespaces");
    }
    List<String> handlers = Documents.optionalTextList(c, "$", "handlers");
    if (handlers.isEmpty()) {
      throw AbiException.invalid(
          "$.handlers", "required: the callables this host can run (a non-empty list)");
    }
    int concurrency = (int) Documents.optionalLong(c, "$", "concurrency", 1, 10_000, 32);
    String url = Documents.optionalText(c, "$", "database_url");
    long timeout =
        Documents.optionalLong(c, "$", "default_timeout_seconds", 1, 7 * 24 * 3600L, 300);
    Boolean orchestrator = Documents.optionalBoolean(c, "$", "with_orchestrator");
    return new WorkerSettings(
        List.copyOf(namespaces),
        templates,
        List.copyOf(handlers),
        concurrency,
        Optional.ofNullable(url).filter(s -> !s.isBlank()),
        Duration.ofSeconds(timeout),
        orchestrator != null && orchestrator,
        Optional.empty());
  }

  /** The database-free benchmark source: only concurrency, timeout and the payload size count. */
  private static WorkerSettings loopback(JsonNode c, JsonNode loopback) {
    if (!loopback.isObject()) {
      throw AbiException.invalid(
          "$.loopback", "expected an object, got " + Documents.kind(loopback));
    }
    Documents.onlyKeys(loopback, "$.loopback", LOOPBACK_KEYS);
    int payload =
        (int) Documents.optionalLong(loopback, "$.loopback", "payload_bytes", 0, 16 << 20, 200);
    int concurrency = (int) Documents.optionalLong(c, "$", "concurrency", 1, 10_000, 32);
    long timeout =
        Documents.optionalLong(c, "$", "default_timeout_seconds", 1, 7 * 24 * 3600L, 300);
    return new WorkerSettings(
        List.of("loopback"),
        Optional.empty(),
        List.of(LoopbackWorker.CALLABLE),
        concurrency,
        Optional.empty(),
        Duration.ofSeconds(timeout),
        false,
        Optional.of(payload));
  }
}
