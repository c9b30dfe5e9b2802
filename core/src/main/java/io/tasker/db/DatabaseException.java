package io.tasker.db;

import io.tasker.TaskerException;

/** The database cannot be reached, configured, started or migrated. */
public final class DatabaseException extends TaskerException {
  private static final long serialVersionUID = 1L;

  public DatabaseException(String code, String message) {
    super(code, message);
  }

  public DatabaseException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
