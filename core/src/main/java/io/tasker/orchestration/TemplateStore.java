package io.tasker.orchestration;

import io.tasker.TaskerException;
import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import io.tasker.template.TemplateHash;
import io.tasker.template.TemplateParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Registered templates ({@code tasker.named_tasks}): versioned, content-addressed. Registering the
 * same content again is a no-op; different content under a registered version is refused unless
 * forced. Parsed templates are cached by content hash, so a {@code --force} replacement is picked
 * up at once by every process.
 */
public final class TemplateStore {
  /** What registering one template did. */
  public enum Outcome {
    CREATED,
    UNCHANGED,
    REPLACED
  }

  public record Registration(String key, UUID namedTaskUuid, Outcome outcome) {}

  private record Existing(UUID uuid, String hash) {}

  private record Version(UUID uuid, String version, String hash) {}

  /** A template as stored, with its identity. */
  public record Stored(UUID namedTaskUuid, String contentHash, TaskTemplate template) {}

  private final DataSource ds;
  private final TemplateParser parser = new TemplateParser();
  private final ConcurrentMap<String, TaskTemplate> byHash = new ConcurrentHashMap<>();

  public TemplateStore(DataSource ds) {
    this.ds = ds;
  }

  public TemplateParser parser() {
    return parser;
  }

  /** Registers every {@code *.yaml|*.yml} under {@code path} (or the file itself). */
  public List<Registration> registerPath(Path path, boolean force) {
    List<Path> files = templateFiles(path);
    if (files.isEmpty()) {
      throw new TaskerException("template_not_found", "no *.yaml or *.yml template under " + path);
    }
    List<Registration> out = new ArrayList<>();
    for (Path f : files) {
      out.add(register(parser.parse(f), force));
    }
    return out;
  }

  public static List<Path> templateFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new TaskerException("template_not_found", "no such file or directory: " + path);
    }
    try (Stream<Path> s = Files.walk(path)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (java.io.IOException e) {
      throw new TaskerException("io_error", "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public Registration register(TaskTemplate t, boolean force) {
    String hash = TemplateHash.of(t);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        UUID ns =
            Sql.queryOne(
                    c,
                    "templates/upsert_namespace",
                    rs -> rs.getObject(1, UUID.class),
                    t.namespaceName())
                .orElseThrow();
        var existing =
            Sql.queryOne(
                c,
                "templates/find_for_update",
                rs -> new Existing(rs.getObject(1, UUID.class), rs.getString(2)),
                ns,
                t.name(),
                t.version());
        Registration r;
        if (existing.isEmpty()) {
          UUID id =
              Sql.queryOne(
                      c,
                      "templates/insert",
                      rs -> rs.getObject(1, UUID.class),
                      ns,
                      t.name(),
                      t.version(),
                      t.description(),
                      t.document(),
                      hash)
                  .orElseThrow();
          r = new Registration(t.key(), id, Outcome.CREATED);
        } else {
          UUID id = existing.get().uuid();
          if (hash.equals(existing.get().hash())) {
            r = new Registration(t.key(), id, Outcome.UNCHANGED);
          } else if (force) {
            Sql.update(c, "templates/replace", t.document(), hash, t.description(), id);
            r = new Registration(t.key(), id, Outcome.REPLACED);
          } else {
            throw new TaskerException(
                "template_conflict",
                "template "
                    + t.key()
                    + " is already registered with different content; bump its version, or"
                    + " replace it with --force");
          }
        }
        for (StepTemplate s : t.steps()) {
          Sql.update(c, "templates/upsert_named_step", s.name());
        }
        c.commit();
        byHash.putIfAbsent(hash, t);
        return r;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(
          "database_error", "cannot register " + t.key() + ": " + e.getMessage(), e);
    }
  }

  /** The template {@code ns/name/version}, or the highest version when {@code version} is empty. */
  public Stored find(String namespace, String name, Optional<String> version) {
    try (Connection c = ds.getConnection()) {
      List<Version> versions =
          Sql.query(
              c,
              "templates/find_versions",
              rs -> new Version(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)),
              namespace,
              name);
      Optional<Version> match =
          version.isPresent()
              ? versions.stream().filter(v -> v.version().equals(version.get())).findFirst()
              : versions.stream()
                  .max(Comparator.comparing(Version::version, TemplateStore::compareVersions));
      Version v =
          match.orElseThrow(
              () ->
                  new TaskerException(
                      "template_not_found",
                      "no template "
                          + namespace
                          + "/"
                          + name
                          + version.map(x -> "/" + x).orElse("")
                          + (versions.isEmpty()
                              ? " is registered (tasker template register FILE)"
                              : "; registered versions: "
                                  + versions.stream().map(Version::version).sorted().toList())));
      return new Stored(v.uuid(), v.hash(), stored(c, v.uuid(), v.hash()));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot read templates: " + e.getMessage(), e);
    }
  }

  /** The template a task was created from. */
  public TaskTemplate byUuid(Connection c, UUID namedTaskUuid) throws SQLException {
    String hash =
        Sql.queryOne(c, "templates/by_uuid", rs -> rs.getString(1), namedTaskUuid)
            .orElseThrow(
                () -> new TaskerException("template_not_found", "no template " + namedTaskUuid));
    return stored(c, namedTaskUuid, hash);
  }

  /**
   * The template stored as {@code namedTaskUuid} with content {@code hash}. Parsed templates are
   * cached by content hash; the stored JSON is read only on a miss.
   */
  public TaskTemplate stored(Connection c, UUID namedTaskUuid, String hash) throws SQLException {
    TaskTemplate cached = byHash.get(hash);
    if (cached != null) {
      return cached;
    }
    String json =
        Sql.queryOne(c, "templates/configuration", rs -> rs.getString(1), namedTaskUuid)
            .orElseThrow();
    return parse(hash, json);
  }

  private TaskTemplate parse(String hash, String json) {
    return byHash.computeIfAbsent(
        hash,
        h ->
            parser.fromJson(io.tasker.Json.parse(json, "stored template"), "stored template " + h));
  }

  /** Rows of {@code tasker template list}. */
  public record Listed(
      String namespace, String name, String version, String description, int steps, String hash) {}

  public List<Listed> list() {
    try (Connection c = ds.getConnection()) {
      return Sql.query(
          c,
          "templates/list",
          rs ->
              new Listed(
                  rs.getString("namespace"),
                  rs.getString("name"),
                  rs.getString("version"),
                  rs.getString("description"),
                  rs.getInt("step_count"),
                  rs.getString("content_hash")));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot list templates: " + e.getMessage(), e);
    }
  }

  /** Orders dotted versions numerically where they are numbers (1.10.0 after 1.9.0). */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int cmp =
          p.matches("\\d+") && q.matches("\\d+")
              ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q))
              : p.compareTo(q);
      if (cmp != 0) {
        return cmp;
      }
    }
    return 0;
  }
}
