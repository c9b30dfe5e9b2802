package io.tasker.orchestration;

import java.util.List;

/** Template YAML shared by the lifecycle tests. */
final class LifecycleTemplates {
  /** Three attempts a few milliseconds apart, so retrying costs a test next to nothing. */
  static final String FAST_RETRY =
      "{retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}";

  private LifecycleTemplates() {}

  /**
   * {@code chain}: a → b → c, each a {@code t.add} step adding its {@code n} (1, 2, 3) to its
   * parent's {@code sum}, so c's sum is 6; every step retries fast.
   */
  static String addingChain(String namespace) {
    return """
        name: chain
        namespace_name: %1$s
        version: 1.0.0
        steps:
          - name: a
            handler: {callable: t.add, initialization: {n: 1}}
            retry: %2$s
          - name: b
            dependencies: [a]
            handler: {callable: t.add, initialization: {n: 2}}
            retry: %2$s
          - name: c
            dependencies: [b]
            handler: {callable: t.add, initialization: {n: 3}}
            retry: %2$s
        """
        .formatted(namespace, FAST_RETRY);
  }

  /** a → b → c → d, every step calling {@code t.step}; the steps named in fastRetry retry fast. */
  static String chain(String name, String namespace, String... fastRetry) {
    return header(name, namespace)
        + step("a", List.of(), fastRetry)
        + step("b", List.of("a"), fastRetry)
        + step("c", List.of("b"), fastRetry)
        + step("d", List.of("c"), fastRetry);
  }

  /** a → (b, c) → d, every step calling {@code t.step}; the steps named in fastRetry retry fast. */
  static String diamond(String name, String namespace, String... fastRetry) {
    return header(name, namespace)
        + step("a", List.of(), fastRetry)
        + step("b", List.of("a"), fastRetry)
        + step("c", List.of("a"), fastRetry)
        + step("d", List.of("b", "c"), fastRetry);
  }

  private static String header(String name, String namespace) {
    return "name: " + name + "\nnamespace_name: " + namespace + "\nversion: 1.0.0\nsteps:\n";
  }

  private static String step(String name, List<String> dependencies, String... fastRetry) {
    StringBuilder yaml = new StringBuilder("  - name: ").append(name).append('\n');
    if (!dependencies.isEmpty()) {
      yaml.append("    dependencies: [").append(String.join(", ", dependencies)).append("]\n");
    }
    yaml.append("    handler: {callable: t.step}\n");
    if (List.of(fastRetry).contains(name)) {
      yaml.append("    retry: ").append(FAST_RETRY).append('\n');
    }
    return yaml.toString();
  }
}
