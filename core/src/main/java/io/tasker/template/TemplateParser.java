package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads tasker-core task templates (YAML, unchanged) into validated {@link TaskTemplate}s. Every
 * method either returns a valid template or throws {@link TemplateValidationException} listing all
 * problems. Thread-safe.
 */
public final class TemplateParser {
  private final TemplateValidator validator;

  public TemplateParser() {
    this(new TemplateValidator());
  }

  public TemplateParser(TemplateValidator validator) {
    this.validator = validator;
  }

  /**
   * Parses and validates one YAML document.
   *
   * @param sourceName names the template in error messages, e.g. its file name
   */
  public TaskTemplate parse(String yaml, String sourceName) {
    return fromJson(YamlDocuments.read(yaml, sourceName), sourceName);
  }

  /** Parses, validates, then applies {@code environment}'s overrides (see {@link #resolve}). */
  public TaskTemplate parse(String yaml, String sourceName, String environment) {
    return resolve(parse(yaml, sourceName), environment);
  }

  /** Parses a template file (UTF-8). */
  public TaskTemplate parse(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TemplateException(
          TemplateException.UNREADABLE_TEMPLATE, "cannot read template " + file + ": " + e, e);
    }
    return parse(yaml, file.toString());
  }

  /** Validates a template already held as JSON, e.g. one stored in {@code named_tasks}. */
  public TaskTemplate fromJson(JsonNode document, String sourceName) {
    List<TemplateProblem> problems = validator.validate(document);
    if (!problems.isEmpty()) {
      throw new TemplateValidationException(sourceName, problems);
    }
    return TemplateReader.read(document);
  }

  /**
   * Applies the step overrides of {@code environments.<environment>} (handler.initialization,
   * timeout_seconds, retry) and returns the result, whose {@link TaskTemplate#document()} is the
   * resolved document. A template without that environment is returned unchanged.
   */
  public TaskTemplate resolve(TaskTemplate template, String environment) {
    JsonNode resolved = EnvironmentOverrides.apply(template.document(), environment);
    if (resolved == template.document()) {
      return template;
    }
    return fromJson(resolved, template.key() + " in environment '" + environment + "'");
  }
}
