package io.tasker.cli;

import io.tasker.BuildInfo;
import io.tasker.TaskerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tasker} command. */
@Command(
    name = "tasker",
    mixinStandardHelpOptions = true,
    versionProvider = TaskerCli.Version.class,
    description = "PostgreSQL-backed workflow orchestration.",
    subcommands = {DbCommand.class, DemoCommand.class, BenchCommand.class})
public final class TaskerCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new TaskerCli());
    cli.setExecutionExceptionHandler(TaskerCli::handle);
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Errors are one line on stderr; the stack trace only with TASKER_DEBUG=1. */
  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof TaskerException te) {
      err.println("tasker: " + te.getMessage());
    } else {
      err.println("tasker: unexpected error: " + e);
    }
    if ("1".equals(System.getenv("TASKER_DEBUG"))) {
      e.printStackTrace(err);
    } else if (!(e instanceof TaskerException)) {
      err.println("(set TASKER_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "tasker " + BuildInfo.version(),
        "Java " + Runtime.version() + ", embedded PostgreSQL " + BuildInfo.postgresBinariesVersion()
      };
    }
  }
}
