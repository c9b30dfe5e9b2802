package io.tasker.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The numbers a reliability test observed (inputs tried, tasks completed, processes killed), for
 * docs/reliability.md: with {@code -Dtasker.figures.dir=DIR} each call appends one JSON line to
 * {@code DIR/<suite>.jsonl}; without it nothing is written. {@code ./scripts/tasker reliability}
 * runs the tests with it set and renders the page from the lines.
 */
public final class Figures {
  private Figures() {}

  /** One observation: {@code {"test": name, ...values}} appended to the suite's file. */
  public static synchronized void record(String suite, String name, ObjectNode values) {
    String dir = System.getProperty("tasker.figures.dir");
    if (dir == null || dir.isBlank()) {
      return;
    }
    ObjectNode line = Json.object().put("test", name);
    line.setAll(values);
    try {
      Path file = Path.of(dir).resolve(suite + ".jsonl");
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record figures in " + dir, e);
    }
  }
}
