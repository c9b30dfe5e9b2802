package io.tasker.api;

import io.tasker.TaskerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the REST server (docs/operations.md lists the environment variables).
 *
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param maxWaitingForConnection {@code POST /v1/tasks} answers 503 while more threads than this
 *     wait for a database connection
 * @param maxQueueDepth … or while any queue holds more messages than this
 * @param retryAfterSeconds the {@code Retry-After} of those 503s
 */
public record ApiConfig(
    String host,
    int port,
    long maxBodyBytes,
    int maxWaitingForConnection,
    long maxQueueDepth,
    int retryAfterSeconds,
    AuthConfig auth) {

  public static final int DEFAULT_PORT = 8080;

  public ApiConfig {
    if (port < 0 || port > 65535) {
      throw new TaskerException("invalid_config", "port must be 0..65535 (got " + port + ")");
    }
    if (maxBodyBytes < 1024) {
      throw new TaskerException("invalid_config", "the body limit must be at least 1024 bytes");
    }
  }

  /** Local defaults: loopback, port 8080, 1 MiB bodies, no authentication. */
  public static ApiConfig defaults() {
    return new ApiConfig("127.0.0.1", DEFAULT_PORT, 1 << 20, 8, 100_000, 1, AuthConfig.DISABLED);
  }

  public ApiConfig withPort(int p) {
    return new ApiConfig(
        host, p, maxBodyBytes, maxWaitingForConnection, maxQueueDepth, retryAfterSeconds, auth);
  }

  public ApiConfig withAuth(AuthConfig a) {
    return new ApiConfig(
        host, port, maxBodyBytes, maxWaitingForConnection, maxQueueDepth, retryAfterSeconds, a);
  }

  public ApiConfig withLimits(long bodyBytes, int waiting, long queueDepth) {
    return new ApiConfig(host, port, bodyBytes, waiting, queueDepth, retryAfterSeconds, auth);
  }

  /** Defaults overridden by {@code TASKER_API_*}, {@code TASKER_AUTH_*}, {@code TASKER_JWT_*}. */
  public static ApiConfig fromEnvironment(Map<String, String> env) {
    ApiConfig d = defaults();
    boolean authOn = bool(env, "TASKER_AUTH_ENABLED", false);
    AuthConfig auth =
        new AuthConfig(
            authOn,
            AuthConfig.parseApiKeys(env.get("TASKER_API_KEYS")),
            opt(env, "TASKER_JWT_HS256_SECRET"),
            opt(env, "TASKER_JWT_RS256_PUBLIC_KEY").map(ApiConfig::textOrFile),
            opt(env, "TASKER_JWT_ISSUER"),
            opt(env, "TASKER_JWT_AUDIENCE"));
    return new ApiConfig(
        env.getOrDefault("TASKER_API_HOST", d.host()),
        (int) number(env, "TASKER_API_PORT", d.port()),
        number(env, "TASKER_API_MAX_BODY_BYTES", d.maxBodyBytes()),
        (int) number(env, "TASKER_API_MAX_WAITING_FOR_CONNECTION", d.maxWaitingForConnection()),
        number(env, "TASKER_API_MAX_QUEUE_DEPTH", d.maxQueueDepth()),
        (int) number(env, "TASKER_API_RETRY_AFTER_SECONDS", d.retryAfterSeconds()),
        auth.enabled() ? auth : AuthConfig.DISABLED);
  }

  private static Optional<String> opt(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  private static long number(Map<String, String> env, String key, long def) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new TaskerException("invalid_config", key + " must be a number (got '" + v + "')");
    }
  }

  private static boolean bool(Map<String, String> env, String key, boolean def) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default -> throw new TaskerException("invalid_config", key + " must be true or false");
    };
  }

  /** PEM text as is, or {@code @FILE} read from a file. */
  private static String textOrFile(String v) {
    if (!v.startsWith("@")) {
      return v;
    }
    try {
      return Files.readString(Path.of(v.substring(1)));
    } catch (IOException e) {
      throw new TaskerException("invalid_config", "cannot read " + v.substring(1) + ": " + e);
    }
  }
}
