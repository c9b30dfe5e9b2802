package io.tasker.db;

import io.tasker.BuildInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machine-wide PostgreSQL that every tasker process shares when {@code DATABASE_URL} is unset.
 *
 * <p>Layout under {@code $TASKER_HOME/pg}: {@code <version>/} unpacked binaries, {@code data/} the
 * cluster, {@code postgres.log}, {@code port} (the last port used, reused when free so the URL
 * stays stable) and {@code .lock}. Starting and stopping hold an exclusive file lock, so two
 * processes starting at once end with one server; later processes find it through {@code
 * postmaster.pid} without any configuration. The server is a daemon: it survives the process that
 * started it.
 */
public final class LocalPostgres {
  public static final String DATABASE = "tasker";
  public static final String SUPERUSER = "postgres";

  private static final ReentrantLock IN_PROCESS = new ReentrantLock();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path pgRoot;
  private final Path dataDir;

  public LocalPostgres(Path taskerHome) {
    this.pgRoot = taskerHome.toAbsolutePath().normalize().resolve("pg");
    this.dataDir = pgRoot.resolve("data");
  }

  /** What {@code tasker db status} reports. */
  public record Status(boolean running, Optional<Long> pid, Optional<Integer> port, Path dataDir) {}

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return pgRoot.resolve("postgres.log");
  }

  /** Current state, read from {@code postmaster.pid}; takes no lock. */
  public Status status() {
    Optional<PidFile> pid = PidFile.read(dataDir);
    if (pid.isPresent() && pid.get().alive()) {
      return new Status(true, Optional.of(pid.get().pid()), Optional.of(pid.get().port()), dataDir);
    }
    return new Status(false, Optional.empty(), Optional.empty(), dataDir);
  }

  /** The running server's {@code tasker} database, and whether this call started the server. */
  public record Running(DatabaseUrl url, boolean startedNow) {}

  /** Starts the server unless it runs; returns the URL of the {@code tasker} database. */
  public DatabaseUrl ensureRunning() {
    return startIfNeeded().url();
  }

  /** Like {@link #ensureRunning} but also tells whether this call did the starting. */
  public Running startIfNeeded() {
    Optional<PidFile> fast = PidFile.read(dataDir);
    // .initialized is written once the tasker database exists, so the lock-free path never hands
    // out a URL to a database that a concurrent first start is still creating.
    if (fast.isPresent()
        && fast.get().ready()
        && fast.get().alive()
        && Files.exists(pgRoot.resolve(".initialized"))) {
      return new Running(urlFor(fast.get().port()), false);
    }
    return withLock(
        () -> {
          Status s = status();
          int port = s.running() ? s.port().orElseThrow() : start();
          DatabaseUrl url = urlFor(port);
          ensureDatabase(url);
          writeString(pgRoot.resolve(".initialized"), url.describe());
          return new Running(url, !s.running());
        });
  }

  /** Stops the server if it runs (fast shutdown: open sessions are disconnected). */
  public boolean stop() {
    return withLock(
        () -> {
          Optional<PidFile> pid = PidFile.read(dataDir);
          if (pid.isEmpty() || !pid.get().alive()) {
            return false;
          }
          // SIGINT is PostgreSQL's "fast" shutdown; sent directly because pg_ctl refuses to run as
          // root and a pg_ctl inside a fresh user namespace may not signal this server.
          run(List.of("kill", "-INT", Long.toString(pid.get().pid())), Duration.ofSeconds(10));
          long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
          while (pid.get().alive() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
          }
          if (pid.get().alive()) {
            throw new DatabaseException(
                "embedded_postgres_stop_failed",
                "the embedded PostgreSQL (pid " + pid.get().pid() + ") did not stop within 60 s");
          }
          return true;
        });
  }

  /** The URL of the running server, if it runs. */
  public Optional<DatabaseUrl> url() {
    Status s = status();
    return s.running() ? s.port().map(this::urlFor) : Optional.empty();
  }

  private DatabaseUrl urlFor(int port) {
    return new DatabaseUrl(
        "127.0.0.1", port, DATABASE, Optional.of(SUPERUSER), Optional.empty(), java.util.Map.of());
  }

  private int start() {
    Path install = PostgresBinaries.install(pgRoot, BuildInfo.postgresBinariesVersion());
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      initdb(install);
    }
    int port = choosePort();
    List<String> cmd = new ArrayList<>(privilegePrefix());
    cmd.addAll(
        List.of(
            install.resolve("bin/pg_ctl").toString(),
            "-D",
            dataDir.toString(),
            "-l",
            logFile().toString(),
            "-w",
            "-t",
            Long.toString(START_TIMEOUT.toSeconds()),
            "-o",
            "-p " + port,
            "start"));
    ProcessResult r = run(cmd, START_TIMEOUT.plusSeconds(5));
    if (r.exitCode() != 0) {
      throw new DatabaseException(
          "embedded_postgres_start_failed",
          "the embedded PostgreSQL did not start (pg_ctl exit "
              + r.exitCode()
              + "): "
              + r.output().strip()
              + "; see "
              + logFile());
    }
    writeString(pgRoot.resolve("port"), Integer.toString(port));
    return port;
  }

  private void initdb(Path install) {
    Path staging = pgRoot.resolve("data.init");
    try {
      PostgresBinaries.deleteTree(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new ArrayList<>(privilegePrefix());
    cmd.addAll(
        List.of(
            install.resolve("bin/initdb").toString(),
            "-D",
            staging.toString(),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-instructions"));
    ProcessResult r = run(cmd, Duration.ofMinutes(2));
    if (r.exitCode() != 0) {
      throw new DatabaseException(
          "embedded_postgres_init_failed",
          "initdb failed (exit " + r.exitCode() + "): " + r.output().strip());
    }
    // Loopback only, no Unix socket (paths under a deep $TASKER_HOME exceed the 107-byte limit),
    // room for several workers' pools. fsync stays on: the embedded server is a real database.
    String conf =
        """

        # --- tasker embedded defaults ---
        listen_addresses = '127.0.0.1'
        unix_socket_directories = ''
        max_connections = 200
        shared_buffers = 128MB
        timezone = 'UTC'
        log_timezone = 'UTC'
        logging_collector = off
        """;
    try {
      Files.writeString(
          staging.resolve("postgresql.conf"),
          conf,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      // rename: a crash during initdb never leaves a half-made cluster at data/
      Files.move(staging, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void ensureDatabase(DatabaseUrl url) {
    try (Connection c = Database.connect(url.withDatabase("postgres"));
        Statement st = c.createStatement()) {
      try (var rs =
          st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("create database " + DATABASE);
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return; // created concurrently by another process
      }
      throw new DatabaseException(
          "database_unavailable",
          "cannot create the '"
              + DATABASE
              + "' database at "
              + url.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private int choosePort() {
    Path portFile = pgRoot.resolve("port");
    if (Files.exists(portFile)) {
      try {
        int previous = Integer.parseInt(Files.readString(portFile).strip());
        if (portFree(previous)) {
          return previous;
        }
      } catch (IOException | NumberFormatException ignored) {
        // fall through to a fresh port
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * PostgreSQL refuses to run as root. As root we run it in a new user namespace ({@code unshare
   * -U}), where it sees an unprivileged uid that owns the data directory, the same way the io.zonky
   * library does.
   */
  private static List<String> privilegePrefix() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(dir, "unshare"))) {
        return List.of(dir + "/unshare", "-U");
      }
    }
    throw new DatabaseException(
        "embedded_postgres_root",
        "PostgreSQL cannot run as root and 'unshare' (util-linux) is missing; run tasker as a"
            + " regular user or set DATABASE_URL");
  }

  private <T> T withLock(java.util.function.Supplier<T> body) {
    IN_PROCESS.lock();
    try {
      Files.createDirectories(pgRoot);
      try (FileChannel ch =
              FileChannel.open(
                  pgRoot.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        assert lock.isValid();
        return body.get();
      }
    } catch (IOException e) {
      throw new DatabaseException(
          "embedded_postgres_lock", "cannot lock " + pgRoot.resolve(".lock") + ": " + e, e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private record ProcessResult(int exitCode, String output) {}

  private static ProcessResult run(List<String> cmd, Duration timeout) {
    Path out = null;
    try {
      // Output goes to a file, not a pipe: pg_ctl's server child may keep inherited pipes open.
      out = Files.createTempFile("tasker-pg-", ".out");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new ProcessResult(-1, String.join(" ", cmd) + " timed out after " + timeout);
      }
      return new ProcessResult(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new DatabaseException(
          "embedded_postgres_exec", "cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseException("interrupted", "interrupted while running " + cmd.getFirst());
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private static void writeString(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseException("interrupted", "interrupted while waiting for PostgreSQL");
    }
  }

  /** The first lines of {@code postmaster.pid}: pid, data dir, start time, port. */
  record PidFile(long pid, int port, boolean ready) {
    static Optional<PidFile> read(Path dataDir) {
      Path file = dataDir.resolve("postmaster.pid");
      try {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 4) {
          return Optional.empty(); // being written by a starting server
        }
        // line 8 is the postmaster status: "starting", "ready", "stopping"
        boolean ready = lines.size() >= 8 && lines.get(7).strip().equals("ready");
        return Optional.of(
            new PidFile(
                Long.parseLong(lines.get(0).strip()),
                Integer.parseInt(lines.get(3).strip()),
                ready));
      } catch (IOException | NumberFormatException e) {
        return Optional.empty();
      }
    }

    /**
     * The pid is alive and is a PostgreSQL server: after a crash the file outlives the server and
     * its pid can be reused by any process. When the system does not tell a process's command,
     * being alive has to do.
     */
    boolean alive() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(
              h ->
                  h.info()
                      .command()
                      .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                      .orElse(true))
          .orElse(false);
    }
  }
}
