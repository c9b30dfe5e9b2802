package io.tasker.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL location parsed from either {@code postgres://user:pass@host:port/db?k=v} (libpq
 * style, what {@code DATABASE_URL} usually holds) or {@code
 * jdbc:postgresql://host:port/db?user=..}. Credentials are kept apart from the JDBC URL so they
 * never end up in logs.
 */
public record DatabaseUrl(
    String host,
    int port,
    String database,
    Optional<String> user,
    Optional<String> password,
    Map<String, String> parameters) {

  public DatabaseUrl {
    parameters = Map.copyOf(parameters);
  }

  public static DatabaseUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("it is empty");
    }
    String trimmed = url.trim();
    String rest;
    if (trimmed.startsWith("jdbc:postgresql://")) {
      rest = trimmed.substring("jdbc:".length());
    } else if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
      rest = trimmed;
    } else {
      throw invalid(
          "it must start with postgres://, postgresql:// or jdbc:postgresql:// (got '"
              + redact(trimmed)
              + "')");
    }
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw invalid("it is not a valid URL: " + e.getReason());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw invalid("it has no host ('" + redact(trimmed) + "')");
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty()) {
      throw invalid("it names no database ('" + redact(trimmed) + "')");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        params.put(key, value);
      }
    }
    Optional<String> user = Optional.ofNullable(params.remove("user"));
    Optional<String> password = Optional.ofNullable(params.remove("password"));
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        password = Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }
    // libpq spells it sslmode, pgJDBC accepts the same key; nothing to translate.
    return new DatabaseUrl(host, port, database, user, password, params);
  }

  /** The JDBC URL without credentials. */
  public String jdbcUrl() {
    StringBuilder sb =
        new StringBuilder("jdbc:postgresql://")
            .append(hostForUrl())
            .append(':')
            .append(port)
            .append('/')
            .append(database);
    char sep = '?';
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return sb.toString();
  }

  /** A libpq URL that {@code psql} accepts; includes the password, so print it only on request. */
  public String libpqUrl() {
    StringBuilder sb = new StringBuilder("postgresql://");
    user.ifPresent(
        u -> {
          sb.append(encode(u));
          password.ifPresent(p -> sb.append(':').append(encode(p)));
          sb.append('@');
        });
    return sb.append(hostForUrl()).append(':').append(port).append('/').append(database).toString();
  }

  /** host:port/database, safe for messages and logs. */
  public String describe() {
    return hostForUrl() + ":" + port + "/" + database;
  }

  public DatabaseUrl withDatabase(String otherDatabase) {
    return new DatabaseUrl(host, port, otherDatabase, user, password, parameters);
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Hides the password of a URL that failed to parse before it goes into a message. */
  static String redact(String url) {
    return url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@")
        .replaceAll("(?i)([?&]password=)[^&]*", "$1***");
  }

  private static DatabaseException invalid(String why) {
    return new DatabaseException("invalid_database_url", "DATABASE_URL is not usable: " + why);
  }
}
