package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.orchestration.TemplateStore;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Turns a claim row into a unit of work: the template's handler and deadline, the context. */
final class ClaimFactory {
  private final TemplateStore templates;
  private final WorkerConfig config;

  ClaimFactory(TemplateStore templates, WorkerConfig config) {
    this.templates = templates;
    this.config = config;
  }

  /**
   * The unit of work for a claimed step: its template's handler and timeout, its context; {@code c}
   * reads a template not cached yet.
   */
  Claim toClaim(Connection c, ClaimRow r) throws SQLException {
    TaskTemplate template = templates.stored(c, r.namedTaskUuid(), r.contentHash());
    StepTemplate st =
        template
            .step(r.templateStep())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "step '" + r.templateStep() + "' missing from template " + template.key()));
    Duration timeout =
        st.timeoutSeconds() != null
            ? Duration.ofSeconds(st.timeoutSeconds())
            : config.defaultStepTimeout();
    Map<String, JsonNode> deps = new HashMap<>();
    if (r.dependencyResults() != null) {
      r.dependencyResults().properties().forEach(e -> deps.put(e.getKey(), e.getValue()));
    }
    var ctx =
        new StepContext(
            r.taskUuid(),
            r.stepUuid(),
            r.namespace(),
            r.taskName(),
            r.stepName(),
            r.context(),
            st.handler().initialization() == null ? Json.object() : st.handler().initialization(),
            deps,
            r.inputs() == null ? Json.object() : r.inputs(),
            r.checkpoint(),
            r.attempt(),
            r.maxAttempts());
    return new Claim(
        r.msgId(),
        r.taskUuid(),
        r.stepUuid(),
        r.correlationId(),
        r.attempt(),
        template.version(),
        st.handler().callable(),
        timeout,
        ctx);
  }
}
