package io.tasker.ffi;

import io.tasker.TaskerException;
import java.util.Locale;

/**
 * An ABI call that fails with a {@link Status}; {@code path} names the offending JSON path of the
 * input when there is one.
 */
public final class AbiException extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final Status status;
  private final String path;

  public AbiException(Status status, String message) {
    this(status, message, null);
  }

  public AbiException(Status status, String message, String path) {
    this(status, status.name().toLowerCase(Locale.ROOT), message, path);
  }

  /**
   * @param reason the precise cause, as the {@code reason} of the error document (e.g. {@code
   *     database_unavailable})
   */
  public AbiException(Status status, String reason, String message, String path) {
    super(reason, message);
    this.status = status;
    this.path = path;
  }

  public Status status() {
    return status;
  }

  /** The JSON path of the offending input, or null. */
  public String path() {
    return path;
  }

  static AbiException invalid(String path, String what) {
    return new AbiException(Status.INVALID, path + ": " + what, path);
  }
}
