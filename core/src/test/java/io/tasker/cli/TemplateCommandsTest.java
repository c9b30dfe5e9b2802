package io.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tasker template register|list|show} against a real database. */
class TemplateCommandsTest {
  private static final String PIPELINE =
      """
      name: pipeline
      namespace_name: clitpl
      version: 1.0.0
      description: Fetch, then transform and check in parallel, then publish.
      input_schema:
        type: object
        required: [url]
        properties:
          url: {type: string}
          retries: {type: integer}
      steps:
        - name: fetch
          handler: {callable: tpl.fetch}
          retry: {retryable: true, max_attempts: 5, backoff: exponential, backoff_base_ms: 250}
          timeout_seconds: 30
        - name: transform
          dependencies: [fetch]
          handler: {callable: tpl.transform}
        - name: check
          dependencies: [fetch]
          handler: {callable: tpl.check}
          retry: {retryable: false, max_attempts: 1}
        - name: publish
          dependencies: [transform, check]
          handler: {callable: tpl.publish}
      """;

  private static TestDatabase db;
  private static Cli cli;

  @BeforeAll
  static void open() {
    db = TestDatabases.create("cli_templates");
    cli = new Cli(db);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void registerCreatesThenLeavesUnchangedThenRefusesAConflictUnlessForced(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, PIPELINE.replace("name: pipeline", "name: regtest"));

    Cli.Run first = cli.run("template", "register", file.toString());
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.out().strip()).isEqualTo("created    clitpl/regtest/1.0.0");

    Cli.Run again = cli.run("template", "register", dir.toString());
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out().strip()).isEqualTo("unchanged  clitpl/regtest/1.0.0");

    Files.writeString(
        file,
        PIPELINE.replace("name: pipeline", "name: regtest").replace("Fetch, then", "Fetch; then"));
    Cli.Run conflict = cli.run("template", "register", file.toString());
    assertThat(conflict.exit()).as(conflict.toString()).isEqualTo(2);
    assertThat(conflict.out()).isEmpty();
    assertThat(conflict.err().strip())
        .startsWith("tasker: template clitpl/regtest/1.0.0 is already registered with different")
        .contains("--force");

    Cli.Run forced = cli.run("template", "register", file.toString(), "--force");
    assertThat(forced.exit()).as(forced.toString()).isZero();
    assertThat(forced.out().strip()).isEqualTo("replaced   clitpl/regtest/1.0.0");

    Cli.Run json = cli.run("template", "register", file.toString(), "--json");
    assertThat(json.exit()).isZero();
    JsonNode reg = json.json().get("registered").get(0);
    assertThat(reg.get("key").asText()).isEqualTo("clitpl/regtest/1.0.0");
    assertThat(reg.get("outcome").asText()).isEqualTo("unchanged");
  }

  @Test
  void registerNamesEveryProblemOfAnInvalidTemplateAndMissingPaths(@TempDir Path dir)
      throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        name: broken
        namespace_name: clitpl
        version: 1.0.0
        steps:
          - name: a
            handler: {callable: x}
            dependencies: [nope]
        """);
    Cli.Run r = cli.run("template", "register", bad.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("tasker: ").contains("steps[0].dependencies").contains("nope");

    Cli.Run missing = cli.run("template", "register", dir.resolve("absent").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file or directory");
  }

  @Test
  void listAndShowDescribeTheRegisteredTemplates(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, PIPELINE);
    assertThat(cli.run("template", "register", file.toString()).exit()).isZero();

    Cli.Run list = cli.run("template", "list");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("NAMESPACE +NAME +VERSION +STEPS +DESCRIPTION");
    assertThat(list.out())
        .containsPattern("clitpl +pipeline +1\\.0\\.0 +4 +Fetch, then transform and check");

    JsonNode listed = cli.run("template", "list", "--json").json().get("templates");
    assertThat(listed.findValuesAsText("name")).contains("pipeline");

    Cli.Run show = cli.run("template", "show", "clitpl/pipeline");
    assertThat(show.exit()).as(show.toString()).isZero();
    assertThat(show.out())
        .startsWith("clitpl/pipeline/1.0.0\n")
        .contains("input: url (string, required), retries (integer)")
        .containsPattern(
            "fetch +standard +- +tpl\\.fetch +5 attempts, exponential from 250 ms +30 s")
        .containsPattern("check +standard +fetch +tpl\\.check +no retry +default")
        .containsPattern("publish +standard +transform, check +tpl\\.publish");

    Cli.Run json = cli.run("template", "show", "clitpl/pipeline/1.0.0", "--json");
    assertThat(json.exit()).isZero();
    JsonNode doc = json.json();
    assertThat(doc.get("name").asText()).isEqualTo("pipeline");
    assertThat(doc.get("steps").get(3).get("handler").get("callable").asText())
        .isEqualTo("tpl.publish");

    Cli.Run unknown = cli.run("template", "show", "clitpl/pipeline/9.9.9");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("registered versions: [1.0.0]");

    Cli.Run malformed = cli.run("template", "show", "pipeline");
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err()).contains("NAMESPACE/NAME");
  }
}
