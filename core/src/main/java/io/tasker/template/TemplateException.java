package io.tasker.template;

import io.tasker.TaskerException;

/** A task template could not be read or used; {@link #code()} says which way it failed. */
public class TemplateException extends TaskerException {
  private static final long serialVersionUID = 1L;

  /** The template's content is wrong (the code every validation failure carries). */
  public static final String INVALID_TEMPLATE = "invalid_template";

  /** The template file could not be read at all. */
  public static final String UNREADABLE_TEMPLATE = "unreadable_template";

  public TemplateException(String code, String message) {
    super(code, message);
  }

  public TemplateException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
