package io.tasker.template;

import static io.tasker.template.Templates.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateHashTest {
  private static final String ORIGINAL =
      """
      name: hashed
      namespace_name: tests
      version: 1.0.0
      description: ~
      input_schema: {type: object, properties: {n: {type: integer, minimum: 2}}}
      steps:
        - name: a
          handler: {callable: h.a, initialization: {x: 1, y: [1, 2], ratio: 1.50}}
          retry: {max_attempts: 2, backoff: linear}
        - name: b
          dependencies: [a]
          handler: {callable: h.b}
      """;

  /** The same content: keys reordered at every level, block style, comments, aliases, nulls. */
  private static final String REORDERED =
      """
      # same template, written differently
      steps:
        - handler:
            initialization:
              ratio: 1.5
              y: [1, 2]
              x: 1.0
            callable: h.a
          retry:
            backoff: linear
            limit: 2
          name: a
        - depends_on:
            - a
          handler: {callable: h.b}
          name: b
          timeout_seconds:
      input_schema:
        properties:
          n: {minimum: 2, type: integer}
        type: object
      version: 1.0.0
      namespace_name: tests
      name: hashed
      """;

  @Test
  void keyOrderLayoutAliasesAndNullsDoNotChangeTheHash() {
    assertThat(TemplateHash.of(parse(REORDERED))).isEqualTo(TemplateHash.of(parse(ORIGINAL)));
  }

  @Test
  void isAStableLowercaseSha256() {
    assertThat(TemplateHash.of(parse(ORIGINAL)))
        .matches("[0-9a-f]{64}")
        .isEqualTo(TemplateHash.of(parse(ORIGINAL)))
        .isEqualTo("95c41c2198c4b80f0d6a10afaaedd93083c12910a3b676100c785ce73bb7b000");
  }

  @Test
  void anyChangeOfContentChangesTheHash() {
    String hash = TemplateHash.of(parse(ORIGINAL));

    assertThat(TemplateHash.of(parse(ORIGINAL.replace("callable: h.b", "callable: h.c"))))
        .isNotEqualTo(hash);
    assertThat(TemplateHash.of(parse(ORIGINAL.replace("minimum: 2", "minimum: 3"))))
        .isNotEqualTo(hash);
    assertThat(TemplateHash.of(parse(ORIGINAL.replace("y: [1, 2]", "y: [2, 1]"))))
        .isNotEqualTo(hash);
    assertThat(TemplateHash.of(parse(ORIGINAL.replace("x: 1,", "x: '1',")))).isNotEqualTo(hash);
  }

  @Test
  void hashesTheStoredJsonLikeTheYaml() {
    TaskTemplate t = parse(ORIGINAL);

    assertThat(TemplateHash.of(Templates.PARSER.fromJson(t.document(), "stored")))
        .isEqualTo(TemplateHash.of(t));
  }

  @Test
  void keepsAliasesApartFromUnrelatedKeys() {
    // "limit" means max_attempts only inside retry; elsewhere it is ordinary data
    String withLimit = ORIGINAL.replace("ratio: 1.50", "ratio: 1.50, limit: 2");
    String withMaxAttempts = ORIGINAL.replace("ratio: 1.50", "ratio: 1.50, max_attempts: 2");

    assertThat(TemplateHash.of(parse(withLimit)))
        .isNotEqualTo(TemplateHash.of(parse(withMaxAttempts)));
  }
}
