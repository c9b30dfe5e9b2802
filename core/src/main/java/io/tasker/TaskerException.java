package io.tasker;

/**
 * Root of tasker's one unchecked exception hierarchy. Every error carries a stable,
 * machine-readable {@link #code()} (used by the CLI exit paths, the REST problem documents and the
 * C ABI) and a message written for the person who has to act on it.
 */
public class TaskerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public TaskerException(String code, String message) {
    super(message);
    this.code = code;
  }

  public TaskerException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** A short snake_case identifier such as {@code database_unavailable}. */
  public String code() {
    return code;
  }
}
