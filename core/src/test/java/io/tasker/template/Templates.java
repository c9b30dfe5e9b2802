package io.tasker.template;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Shared helpers: test resources, and the problems a rejected template reports. */
final class Templates {
  static final TemplateParser PARSER = new TemplateParser();

  /** The smallest valid template, for tests that only care about one key. */
  static final String MINIMAL =
      """
      name: minimal
      namespace_name: tests
      version: 1.0.0
      steps:
        - name: only
          handler: {callable: tests.only}
      """;

  private static final String HEADER =
      """
      name: t
      namespace_name: tests
      version: 1.0.0
      """;

  private Templates() {}

  /** A valid header followed by {@code steps}, a YAML list written at column 0. */
  static String withSteps(String steps) {
    return HEADER + "steps:\n" + steps.indent(2);
  }

  /** {@link #MINIMAL} with a one-line root key ({@code key: value}) added or replaced. */
  static String minimalWith(String line) {
    String key = line.substring(0, line.indexOf(':') + 1);
    return MINIMAL
            .lines()
            .filter(l -> !l.startsWith(key))
            .map(l -> l + "\n")
            .reduce("", String::concat)
        + line
        + "\n";
  }

  static Path resource(String name) {
    try {
      return Path.of(Objects.requireNonNull(Templates.class.getResource(name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TaskTemplate parse(String yaml) {
    return PARSER.parse(yaml, "test.yaml");
  }

  /** The problems (as {@code path: message}) that parsing {@code yaml} reports. */
  static List<String> problems(String yaml) {
    var error =
        catchThrowableOfType(
            TemplateValidationException.class, () -> PARSER.parse(yaml, "test.yaml"));
    if (error == null) {
      throw new AssertionError("template was accepted:\n" + yaml);
    }
    return error.problems().stream().map(TemplateProblem::toString).toList();
  }
}
