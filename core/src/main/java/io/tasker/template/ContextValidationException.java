package io.tasker.template;

import io.tasker.TaskerException;
import java.util.List;

/** A task context does not match its template's {@code input_schema}. */
public final class ContextValidationException extends TaskerException {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_CONTEXT = "invalid_context";

  private final transient List<TemplateProblem> problems;

  public ContextValidationException(String templateKey, List<TemplateProblem> problems) {
    super(
        INVALID_CONTEXT,
        TemplateValidationException.describe("context for " + templateKey, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every mismatch, each with the JSON path of the offending value (e.g. {@code $.amount}). */
  public List<TemplateProblem> problems() {
    return problems;
  }
}
