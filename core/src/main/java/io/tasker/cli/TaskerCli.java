package io.tasker.cli;

import io.tasker.BuildInfo;
import io.tasker.TaskerException;
import io.tasker.db.DatabaseSettings;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code tasker} command.
 *
 * <p>Exit codes (DESIGN.md §9): {@value #OK} ok, {@value #FAILED} runtime error (or a task that
 * ended in a final state other than complete), {@value #USAGE} usage or validation error (bad
 * arguments, bad JSON, an invalid context, a duplicate task, an unknown template, task or step),
 * {@value #TIMEOUT} timeout.
 */
@Command(
    name = "tasker",
    mixinStandardHelpOptions = true,
    versionProvider = TaskerCli.Version.class,
    description = "PostgreSQL-backed workflow orchestration.",
    subcommands = {
      DemoCommand.class,
      TemplateCommand.class,
      TaskCommand.class,
      StepCommand.class,
      DlqCommand.class,
      WorkerCommand.class,
      RunCommand.class,
      ServerCommand.class,
      DbCommand.class,
      AuditCommand.class,
      BenchCommand.class
    })
public final class TaskerCli implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int TIMEOUT = 3;

  /**
   * Error codes that mean the request itself is wrong (exit {@value #USAGE}); every other {@link
   * TaskerException} is a runtime error (exit {@value #FAILED}).
   */
  static final Set<String> USAGE_CODES =
      Set.of(
          "usage",
          "invalid_json",
          "invalid_argument",
          "invalid_context",
          "duplicate_task",
          "template_not_found",
          "template_conflict",
          "invalid_template",
          "unreadable_template",
          "task_not_found",
          "dlq_entry_not_found",
          "step_not_found",
          "handlers_not_found");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--url",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "talk to a tasker server's REST API (e.g. http://localhost:8080) instead of the"
              + " database (default: $TASKER_URL); task, step, template and dlq commands")
  String url;

  @CommandLine.Option(
      names = "--api-key",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "KEY",
      description = "with --url: the API key (default: $TASKER_API_KEY)")
  String apiKey;

  @CommandLine.Option(
      names = "--token",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "JWT",
      description = "with --url: a bearer token (default: $TASKER_TOKEN)")
  String token;

  /** Where and how to reach a server. */
  record Remote(String url, Optional<String> apiKey, Optional<String> token) {}

  private final Supplier<DatabaseSettings> settings;

  public TaskerCli() {
    this(DatabaseSettings::fromEnvironment);
  }

  TaskerCli(Supplier<DatabaseSettings> settings) {
    this.settings = settings;
  }

  /** The database every command of this run uses ({@code DATABASE_URL} or the embedded one). */
  DatabaseSettings databaseSettings() {
    return settings.get();
  }

  /** The server this run talks to, if any: flags first, then the environment. */
  Optional<Remote> remote() {
    String u = firstOf(url, System.getenv("TASKER_URL"));
    if (u == null) {
      if (apiKey != null || token != null) {
        throw Args.usage("--api-key and --token need --url (or TASKER_URL)");
      }
      return Optional.empty();
    }
    return Optional.of(
        new Remote(
            u,
            Optional.ofNullable(firstOf(apiKey, System.getenv("TASKER_API_KEY"))),
            Optional.ofNullable(firstOf(token, System.getenv("TASKER_TOKEN")))));
  }

  private static String firstOf(String a, String b) {
    return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
  }

  /** The root command object of the command {@code spec} belongs to. */
  static TaskerCli root(CommandLine.Model.CommandSpec spec) {
    return (TaskerCli) spec.root().userObject();
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return commandLine(new TaskerCli()).execute(args);
  }

  /**
   * Runs the CLI in this process against the given database, printing to {@code out} and {@code
   * err}; returns the exit code. For tests and embedding.
   */
  public static int run(
      DatabaseSettings settings, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(new TaskerCli(() -> settings));
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(TaskerCli root) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(TaskerCli::handle);
    cli.setParameterExceptionHandler(TaskerCli::usage);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The exit code for an error: {@value #USAGE} for the codes in {@link #USAGE_CODES}. */
  static int exitCode(TaskerException e) {
    return USAGE_CODES.contains(e.code()) ? USAGE : FAILED;
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
    return e instanceof TaskerException te ? exitCode(te) : FAILED;
  }

  /** A usage error: what is wrong, a suggestion when there is one, where to read more; exit 2. */
  private static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("tasker: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return USAGE;
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
