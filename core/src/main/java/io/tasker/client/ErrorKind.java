package io.tasker.client;

import io.tasker.TaskerException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * The few kinds of failure a client sees, each with its HTTP status and its C ABI status code
 * (docs/abi.md). Every {@link TaskerException} code belongs to exactly one kind, so REST, the CLI
 * and the bridge report the same failure the same way.
 */
public enum ErrorKind {
  INVALID(400, -1, "TASKER_E_INVALID", "Invalid request"),
  /** Only over HTTP (the C ABI runs in-process, without credentials). */
  UNAUTHORIZED(401, -1, "TASKER_E_INVALID", "Unauthorized"),
  /** Only over HTTP: the credentials lack the permission the route needs. */
  FORBIDDEN(403, -1, "TASKER_E_INVALID", "Forbidden"),
  NOT_FOUND(404, -8, "TASKER_E_NOT_FOUND", "Not found"),
  CONFLICT(409, -9, "TASKER_E_CONFLICT", "Conflict"),
  UNAVAILABLE(503, -10, "TASKER_E_UNAVAILABLE", "Service unavailable"),
  TIMEOUT(504, -11, "TASKER_E_TIMEOUT", "Timed out"),
  INTERNAL(500, -99, "TASKER_E_INTERNAL", "Internal error");

  private static final Set<String> INVALID_CODES =
      Set.of(
          "usage",
          "invalid_json",
          "invalid_argument",
          "invalid_context",
          "invalid_template",
          "unreadable_template",
          "unknown_op");
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("task_not_found", "step_not_found", "template_not_found", "dlq_entry_not_found");
  private static final Set<String> CONFLICT_CODES =
      Set.of("duplicate_task", "template_conflict", "illegal_transition");
  private static final Set<String> UNAVAILABLE_CODES =
      Set.of(
          "database_unavailable",
          "server_unavailable",
          "saturated",
          "shutting_down",
          "interrupted");
  private static final Set<String> TIMEOUT_CODES = Set.of("wait_timeout");
  private static final Set<String> UNAUTHORIZED_CODES = Set.of("unauthorized");
  private static final Set<String> FORBIDDEN_CODES = Set.of("forbidden");

  private final int httpStatus;
  private final int abiStatus;
  private final String abiName;
  private final String title;

  ErrorKind(int httpStatus, int abiStatus, String abiName, String title) {
    this.httpStatus = httpStatus;
    this.abiStatus = abiStatus;
    this.abiName = abiName;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The {@code int32_t} status a C ABI call returns for this kind. */
  public int abiStatus() {
    return abiStatus;
  }

  /** The status code's name in {@code tasker.h}, e.g. {@code TASKER_E_NOT_FOUND}. */
  public String abiName() {
    return abiName;
  }

  /** A short, fixed title for problem documents. */
  public String title() {
    return title;
  }

  /** The kind of any failure: a tasker error by its code, anything else is internal. */
  public static ErrorKind of(Throwable e) {
    if (e instanceof ClientException ce) {
      return ce.kind();
    }
    if (e instanceof TaskerException te) {
      return ofCode(te.code(), te);
    }
    return INTERNAL;
  }

  /** The kind of an error code; {@code cause} tells a lost database connection from a bug. */
  public static ErrorKind ofCode(String code, Throwable cause) {
    if (INVALID_CODES.contains(code)) {
      return INVALID;
    }
    if (NOT_FOUND_CODES.contains(code)) {
      return NOT_FOUND;
    }
    if (CONFLICT_CODES.contains(code)) {
      return CONFLICT;
    }
    if (UNAVAILABLE_CODES.contains(code) || connectionLost(cause)) {
      return UNAVAILABLE;
    }
    if (TIMEOUT_CODES.contains(code)) {
      return TIMEOUT;
    }
    if (UNAUTHORIZED_CODES.contains(code)) {
      return UNAUTHORIZED;
    }
    if (FORBIDDEN_CODES.contains(code)) {
      return FORBIDDEN;
    }
    return INTERNAL;
  }

  /** The kind whose HTTP status this is (a remote server's answer); unknown 5xx are internal. */
  public static ErrorKind ofHttpStatus(int status) {
    for (ErrorKind k : values()) {
      if (k.httpStatus == status) {
        return k;
      }
    }
    return status == 413 || status == 415 || (status >= 400 && status < 500) ? INVALID : INTERNAL;
  }

  /** A pool that could not hand out a connection, or a connection-class SQLSTATE (08xxx). */
  private static boolean connectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException se
          && se.getSQLState() != null
          && se.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
