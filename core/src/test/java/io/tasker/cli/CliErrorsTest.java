package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a user sees when the database cannot be used: one line, no stack trace, no password. */
class CliErrorsTest {
  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(String databaseUrl, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.tasker.cli.TaskerCli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DATABASE_URL", databaseUrl);
    pb.environment().remove("TASKER_DEBUG");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void anUnreachableDatabaseGivesOneLineNamingHostAndPort() throws Exception {
    Run r = run("postgres://alice:hunter2@127.0.0.1:1/nowhere", "db", "migrate");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.stderr())
        .startsWith("tasker: cannot connect to PostgreSQL at 127.0.0.1:1/nowhere (DATABASE_URL)")
        .doesNotContain("hunter2")
        .doesNotContain("\tat ");
  }

  @Test
  void aMalformedDatabaseUrlIsNamedAsSuch() throws Exception {
    Run r = run("mysql://root:hunter2@db/x", "db", "migrate");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr().strip())
        .isEqualTo(
            "tasker: DATABASE_URL is not usable: it must start with postgres://, postgresql:// or"
                + " jdbc:postgresql:// (got 'mysql://root:***@db/x')");
  }
}
