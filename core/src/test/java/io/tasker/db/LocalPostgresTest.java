package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The machine-wide embedded server, driven through the real CLI in separate JVMs, each with its own
 * TASKER_HOME and no DATABASE_URL.
 */
class LocalPostgresTest {
  private static Path home;

  @BeforeAll
  static void freshHome() throws IOException {
    home = TestDatabases.testHome().resolveSibling("local-postgres-home");
    PostgresBinariesCleanup.deleteDataOnly(home);
  }

  @AfterAll
  static void stop() {
    new LocalPostgres(home).stop();
  }

  /**
   * A server killed without cleanup leaves postmaster.pid behind; on a busy machine its pid soon
   * belongs to another process. That process is not our server (it was taken for one: every test
   * then failed with "connection refused" on the dead server's port).
   */
  @Test
  void aPidFileNamingAnotherLiveProcessIsStale() throws IOException {
    LocalPostgres pg = new LocalPostgres(Files.createTempDirectory("tasker-pid-reuse"));
    Files.createDirectories(pg.dataDir());
    Files.write(
        pg.dataDir().resolve("postmaster.pid"),
        List.of(
            Long.toString(ProcessHandle.current().pid()), // alive, and a JVM
            pg.dataDir().toString(),
            "1795487133",
            "46047",
            "/tmp",
            "127.0.0.1",
            "  1234  5678",
            "ready"));

    assertThat(pg.status().running()).isFalse();
  }

  @Test
  void twoProcessesStartingAtOnceShareOneServerAndStopStartKeepsData() throws Exception {
    Process a = cli("db", "start");
    Process b = cli("db", "start");
    String outA = finish(a);
    String outB = finish(b);
    String urlA = extractUrl(outA);
    String urlB = extractUrl(outB);
    assertThat(urlA).isEqualTo(urlB);
    assertThat(outA + outB).contains("started").contains("already running");

    LocalPostgres pg = new LocalPostgres(home);
    assertThat(pg.status().running()).isTrue();
    assertThat(finish(cli("db", "url")).strip()).isEqualTo(urlA);
    execute(urlA, "create table keep_me (x int); insert into keep_me values (42)");

    assertThat(finish(cli("db", "stop"))).contains("PostgreSQL stopped");
    assertThat(pg.status().running()).isFalse();
    assertThat(finish(cli("db", "status"), 3)).contains("stopped");

    String restarted = extractUrl(finish(cli("db", "start")));
    assertThat(query(restarted, "select x from keep_me")).isEqualTo("42");
    // migrations ran on start: both schemas are there
    assertThat(
            query(
                restarted, "select count(*) from pg_namespace where nspname in ('tasker', 'pgmq')"))
        .isEqualTo("2");
  }

  private static Process cli(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.tasker.cli.TaskerCli");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TASKER_HOME", home.toString());
    pb.environment().remove("DATABASE_URL");
    return pb.start();
  }

  private static String finish(Process p) throws Exception {
    return finish(p, 0);
  }

  private static String finish(Process p, int expectedExit) throws Exception {
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process finished").isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", out).isEqualTo(expectedExit);
    return out;
  }

  private static String extractUrl(String out) {
    var m = java.util.regex.Pattern.compile("postgresql://\\S+").matcher(out);
    assertThat(m.find()).as("a URL in: %s", out).isTrue();
    return m.group();
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String query(String url, String sql) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect(String url) throws SQLException {
    DatabaseUrl u = DatabaseUrl.parse(url);
    return Database.connect(u);
  }

  /** Keeps the unpacked binaries between runs (they take seconds), drops the cluster. */
  static final class PostgresBinariesCleanup {
    static void deleteDataOnly(Path home) throws IOException {
      new LocalPostgres(home).stop();
      Path pg = home.resolve("pg");
      if (Files.isDirectory(pg)) {
        PostgresBinaries.deleteTree(pg.resolve("data"));
        Files.deleteIfExists(pg.resolve(".initialized"));
      }
    }
  }
}
