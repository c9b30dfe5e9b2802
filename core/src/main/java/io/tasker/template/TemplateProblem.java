package io.tasker.template;

import java.io.Serializable;

/**
 * One thing wrong with a template or a task context. {@code path} locates it: a template path such
 * as {@code steps[2].dependencies}, a JSON path such as {@code $.even_number} for a context, or
 * empty when the whole document is at fault (malformed YAML).
 */
public record TemplateProblem(String path, String message) implements Serializable {
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
