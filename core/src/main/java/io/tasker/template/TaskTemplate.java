package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A validated task template: a named, versioned DAG of steps. Built only by {@link TemplateParser},
 * so every instance has passed {@link TemplateValidator}.
 *
 * <p>Optional JSON parts ({@code metadata}, {@code taskHandler}, {@code systemDependencies}, {@code
 * inputSchema}, {@code lifecycle}) are null when absent. {@code document} is the whole template as
 * JSON, including keys tasker does not act on; after {@link TemplateParser#resolve} it is the
 * resolved document. JSON nodes are shared, so treat them as read-only.
 */
public record TaskTemplate(
    String name,
    String namespaceName,
    String version,
    String description,
    JsonNode metadata,
    JsonNode taskHandler,
    JsonNode systemDependencies,
    List<JsonNode> domainEvents,
    JsonNode inputSchema,
    List<StepTemplate> steps,
    JsonNode lifecycle,
    IdentityStrategy identityStrategy,
    JsonNode environments,
    JsonNode document) {

  public TaskTemplate {
    domainEvents = List.copyOf(domainEvents);
    steps = List.copyOf(steps);
  }

  /** {@code namespace/name/version}, the key a template is registered and looked up under. */
  public String key() {
    return namespaceName + "/" + name + "/" + version;
  }

  public Optional<StepTemplate> step(String stepName) {
    return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
  }

  /** The step DAG; build it once per template and keep it, it is immutable. */
  public DependencyGraph graph() {
    return DependencyGraph.of(this);
  }
}
