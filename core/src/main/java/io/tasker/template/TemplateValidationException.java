package io.tasker.template;

import java.util.List;

/** A template has one or more problems; all of them are listed, each with its path. */
public final class TemplateValidationException extends TemplateException {
  private static final long serialVersionUID = 1L;

  private final transient List<TemplateProblem> problems;

  public TemplateValidationException(String source, List<TemplateProblem> problems) {
    this(source, problems, null);
  }

  TemplateValidationException(String source, List<TemplateProblem> problems, Throwable cause) {
    super(INVALID_TEMPLATE, describe("template " + source, problems), cause);
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order. */
  public List<TemplateProblem> problems() {
    return problems;
  }

  static String describe(String subject, List<TemplateProblem> problems) {
    var text = new StringBuilder(subject).append(" is invalid (");
    text.append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    problems.forEach(p -> text.append("\n  - ").append(p));
    return text.toString();
  }
}
