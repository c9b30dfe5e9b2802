package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/** Argument parsing the commands share; a bad argument is a usage error (exit 2). */
final class Args {
  private Args() {}

  static TaskerException usage(String message) {
    return new TaskerException("usage", message);
  }

  /** A uuid argument, or a usage error naming the argument. */
  static UUID uuid(String value, String what) {
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw usage(what + " must be a uuid (got '" + value + "')");
    }
  }

  static boolean isUuid(String value) {
    return value
        .strip()
        .matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  /**
   * JSON given inline, as {@code @file.json}, or as {@code @-} (standard input). Malformed JSON is
   * an {@code invalid_json} error naming the line and column.
   */
  static JsonNode json(String value, String option, InputStream stdin) {
    String text = value;
    String what = option;
    if (value.startsWith("@")) {
      String file = value.substring(1);
      try {
        if (file.equals("-")) {
          text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
          what = option + " (standard input)";
        } else {
          text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
          what = option + " file " + file;
        }
      } catch (NoSuchFileException e) {
        throw usage(option + ": no such file: " + file);
      } catch (IOException e) {
        throw usage(option + ": cannot read " + file + ": " + e.getMessage());
      }
    }
    if (text.isBlank()) {
      throw new TaskerException("invalid_json", what + " is empty");
    }
    return Json.parse(text, what);
  }

  /** {@code NS/NAME[/VERSION]}. */
  record TemplateRef(String namespace, String name, java.util.Optional<String> version) {
    static TemplateRef parse(String value) {
      String[] parts = value.split("/", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw usage("a template is NAMESPACE/NAME or NAMESPACE/NAME/VERSION (got '" + value + "')");
      }
      for (String p : parts) {
        if (p.isBlank()) {
          throw usage(
              "a template is NAMESPACE/NAME or NAMESPACE/NAME/VERSION (got '" + value + "')");
        }
      }
      return new TemplateRef(
          parts[0],
          parts[1],
          parts.length == 3 ? java.util.Optional.of(parts[2]) : java.util.Optional.empty());
    }
  }
}
