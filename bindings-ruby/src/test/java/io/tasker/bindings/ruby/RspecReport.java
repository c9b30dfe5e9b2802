package io.tasker.bindings.ruby;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The examples of one RSpec run, read from its JSON formatter output, as one JUnit test each (so a
 * failing Ruby example shows up by name, with its message, in the Maven report).
 */
record RspecReport(List<Example> examples, String summary) {
  record Example(String description, String file, String status, String message) {}

  static RspecReport read(Path json) throws IOException {
    assertThat(json).as("RSpec wrote no JSON report").exists();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    List<Example> examples = new ArrayList<>();
    for (JsonNode e : root.path("examples")) {
      JsonNode exception = e.path("exception");
      String message =
          exception.isMissingNode()
              ? ""
              : exception.path("class").asText() + ": " + exception.path("message").asText();
      examples.add(
          new Example(
              e.path("full_description").asText(),
              e.path("file_path").asText() + ":" + e.path("line_number").asText(),
              e.path("status").asText(),
              message));
    }
    return new RspecReport(examples, root.path("summary_line").asText());
  }

  /** One dynamic test per example, plus one that fails when the run had errors outside them. */
  Stream<DynamicTest> tests(String runtime, int exitCode) {
    Stream<DynamicTest> perExample =
        examples.stream()
            .map(
                e ->
                    DynamicTest.dynamicTest(
                        runtime + ": " + e.description(),
                        () ->
                            assertThat(e.status())
                                .as("%s (%s)%n%s", e.description(), e.file(), e.message())
                                .isIn("passed", "pending")));
    DynamicTest whole =
        DynamicTest.dynamicTest(
            runtime + ": rspec exit code (" + summary + ")",
            () -> {
              assertThat(examples).as("rspec ran no example").isNotEmpty();
              assertThat(exitCode).as("rspec exit code; summary: %s", summary).isZero();
            });
    return Stream.concat(perExample, Stream.of(whole));
  }
}
