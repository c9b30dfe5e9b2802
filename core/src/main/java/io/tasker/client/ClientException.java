package io.tasker.client;

import io.tasker.TaskerException;
import java.util.List;

/**
 * A client operation failed: {@link #kind()} says how (and so the HTTP and C ABI status), {@link
 * #code()} the precise reason ({@code task_not_found}, {@code invalid_context}, …), {@link
 * #errors()} every problem of an invalid request with its JSON path.
 */
public final class ClientException extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final transient List<FieldError> errors;

  public ClientException(ErrorKind kind, String code, String message, List<FieldError> errors) {
    this(kind, code, message, errors, null);
  }

  public ClientException(
      ErrorKind kind, String code, String message, List<FieldError> errors, Throwable cause) {
    super(code, message, cause);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  /** An invalid request with one problem at {@code path}. */
  public static ClientException invalid(String path, String message) {
    return new ClientException(
        ErrorKind.INVALID, "invalid_argument", message, List.of(new FieldError(path, message)));
  }

  public static ClientException notFound(String code, String message) {
    return new ClientException(ErrorKind.NOT_FOUND, code, message, List.of());
  }

  /**
   * This failure of a request found at {@code base} of an envelope: every error path moves under it
   * ({@code $.context.n} under {@code $.args} is {@code $.args.context.n}).
   */
  public ClientException under(String base) {
    if (errors.isEmpty()) {
      return this;
    }
    List<FieldError> moved =
        errors.stream().map(f -> new FieldError(moveUnder(base, f.path()), f.message())).toList();
    return new ClientException(kind, code(), getMessage(), moved, getCause());
  }

  private static String moveUnder(String base, String path) {
    if (path.equals(base) || path.startsWith(base + ".") || path.startsWith(base + "[")) {
      return path; // already there
    }
    return base + (path.startsWith("$") ? path.substring(1) : "." + path);
  }

  public ErrorKind kind() {
    return kind;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** {@code e} as a client exception, keeping its code, message and (as cause) itself. */
  public static ClientException from(RuntimeException e) {
    if (e instanceof ClientException ce) {
      return ce;
    }
    if (e instanceof TaskerException te) {
      return new ClientException(ErrorKind.of(te), te.code(), te.getMessage(), List.of(), te);
    }
    return new ClientException(
        ErrorKind.INTERNAL,
        "internal_error",
        "unexpected " + e.getClass().getName() + ": " + e.getMessage(),
        List.of(),
        e);
  }
}
