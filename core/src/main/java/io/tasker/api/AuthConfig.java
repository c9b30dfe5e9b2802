package io.tasker.api;

import io.tasker.TaskerException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication settings of the REST API: off by default (local use); on, every route but the
 * liveness/readiness probes and the OpenAPI document needs an API key or a JWT (HS256 and/or RS256)
 * carrying the route's permission.
 *
 * @param apiKeys secret key → its permissions
 * @param hs256Secret shared secret of HS256 tokens (at least 32 bytes)
 * @param rs256PublicKeyPem public key (PEM) that RS256 tokens are verified with
 * @param issuer when set, tokens must carry this {@code iss}
 * @param audience when set, tokens must name this {@code aud}
 */
public record AuthConfig(
    boolean enabled,
    Map<String, Set<String>> apiKeys,
    Optional<String> hs256Secret,
    Optional<String> rs256PublicKeyPem,
    Optional<String> issuer,
    Optional<String> audience) {

  public static final AuthConfig DISABLED =
      new AuthConfig(
          false, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public AuthConfig {
    apiKeys = Map.copyOf(apiKeys);
    if (enabled && apiKeys.isEmpty() && hs256Secret.isEmpty() && rs256PublicKeyPem.isEmpty()) {
      throw new TaskerException(
          "invalid_config",
          "authentication is on but no credential is configured: set TASKER_API_KEYS,"
              + " TASKER_JWT_HS256_SECRET or TASKER_JWT_RS256_PUBLIC_KEY");
    }
    hs256Secret.ifPresent(
        s -> {
          if (s.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new TaskerException(
                "invalid_config", "TASKER_JWT_HS256_SECRET must be at least 32 bytes long");
          }
        });
  }

  /**
   * Parses {@code TASKER_API_KEYS}: entries separated by {@code ;}, each {@code KEY=perm,perm}
   * (e.g. {@code k1=tasks:read,tasks:create;k2=*}).
   */
  public static Map<String, Set<String>> parseApiKeys(String spec) {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return keys;
    }
    int n = 0;
    for (String entry : spec.split(";")) {
      n++;
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.lastIndexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        // the entry holds a secret: name it by position, never print it
        throw new TaskerException(
            "invalid_config",
            "TASKER_API_KEYS entry " + n + " is not KEY=permission[,permission…]");
      }
      Set<String> perms = new LinkedHashSet<>();
      for (String p : entry.substring(eq + 1).split(",")) {
        String perm = p.strip();
        if (!perm.equals("*") && !perm.matches("[a-z_]+:([a-z_]+|\\*)")) {
          throw new TaskerException(
              "invalid_config",
              "TASKER_API_KEYS entry " + n + ": '" + perm + "' is not resource:action or *");
        }
        perms.add(perm);
      }
      keys.put(entry.substring(0, eq).strip(), perms);
    }
    return keys;
  }

  /** Settings for logs and {@code config show}: secrets masked. */
  @Override
  public String toString() {
    return "AuthConfig[enabled="
        + enabled
        + ", apiKeys="
        + apiKeys.size()
        + " key(s), hs256="
        + (hs256Secret.isPresent() ? "****" : "off")
        + ", rs256="
        + (rs256PublicKeyPem.isPresent() ? "configured" : "off")
        + ", issuer="
        + issuer.orElse("-")
        + ", audience="
        + audience.orElse("-")
        + "]";
  }
}
