package io.tasker.sql;

import io.tasker.TaskerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runtime SQL lives in {@code sql/queries/**.sql} (packaged under {@code io/tasker/sql/queries}),
 * not in Java strings, so it can be read, diffed and tried in psql as it runs.
 */
public final class SqlResources {
  private static final ConcurrentMap<String, String> CACHE = new ConcurrentHashMap<>();

  private SqlResources() {}

  /** The statement at {@code sql/queries/<name>.sql}, e.g. {@code queue/read}. */
  public static String get(String name) {
    return CACHE.computeIfAbsent(name, SqlResources::load);
  }

  private static String load(String name) {
    String path = "/io/tasker/sql/queries/" + name + ".sql";
    try (InputStream in = SqlResources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new TaskerException("internal_error", "missing SQL resource " + path);
      }
      return stripComments(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TaskerException("internal_error", "cannot read SQL resource " + path, e);
    }
  }

  private static String stripComments(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    for (String line : sql.split("\n")) {
      if (!line.stripLeading().startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString().strip();
  }
}
