package io.tasker.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thin JDBC helpers over the named statements of {@link SqlResources}: bind positional arguments,
 * map rows. JSON arguments ({@link JsonNode}) are sent as text; the statement casts with {@code
 * ::jsonb}.
 */
public final class Sql {
  private Sql() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public static int update(Connection c, String name, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get(name))) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  public static <T> List<T> query(Connection c, String name, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get(name))) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    }
  }

  public static <T> Optional<T> queryOne(
      Connection c, String name, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> rows = query(c, name, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  public static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case null -> ps.setObject(i + 1, null);
        case JsonNode j -> ps.setString(i + 1, j.isMissingNode() ? null : j.toString());
        case Instant t -> ps.setTimestamp(i + 1, Timestamp.from(t));
        case Enum<?> e -> ps.setString(i + 1, e.name().toLowerCase(java.util.Locale.ROOT));
        default -> ps.setObject(i + 1, a);
      }
    }
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
