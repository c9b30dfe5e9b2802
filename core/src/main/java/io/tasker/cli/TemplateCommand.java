package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.orchestration.TemplateStore;
import io.tasker.template.RetryPolicy;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasker template register|list|show}. */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    description = {
      "Register, list and show task templates.",
      "A template (YAML) is registered under NAMESPACE/NAME/VERSION; registering the same content"
          + " again changes nothing, different content under a registered version is refused"
          + " unless --force."
    })
final class TemplateCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Register a template file, or every *.yaml|*.yml under a directory; prints one line per"
              + " template: created, unchanged or replaced.")
  int register(
      @Parameters(paramLabel = "FILE|DIR", description = "a template file or a directory")
          Path path,
      @Option(
              names = "--force",
              description = "replace a registered template whose content changed (same version)")
          boolean force,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    try (Session s = Session.open(spec, Session.SHORT_COMMAND_POOL)) {
      List<TemplateStore.Registration> regs = s.engine().templates().registerPath(path, force);
      if (json) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (var r : regs) {
          arr.addObject()
              .put("key", r.key())
              .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
              .put("named_task_uuid", r.namedTaskUuid().toString());
        }
        ObjectNode doc = Json.object();
        doc.set("registered", arr);
        Format.json(out(), doc);
      } else {
        for (var r : regs) {
          out().printf("%-9s  %s%n", r.outcome().name().toLowerCase(Locale.ROOT), r.key());
        }
      }
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the registered templates.")
  int list(@Option(names = "--json", description = "print one JSON document") boolean json) {
    try (Session s = Session.open(spec, Session.SHORT_COMMAND_POOL)) {
      List<TemplateStore.Listed> all = s.engine().templates().list();
      if (json) {
        ObjectNode doc = Json.object();
        ArrayNode arr = doc.putArray("templates");
        for (var t : all) {
          arr.addObject()
              .put("namespace", t.namespace())
              .put("name", t.name())
              .put("version", t.version())
              .put("description", t.description())
              .put("steps", t.steps())
              .put("content_hash", t.hash());
        }
        Format.json(out(), doc);
        return TaskerCli.OK;
      }
      if (all.isEmpty()) {
        out().println("no templates registered (tasker template register FILE|DIR)");
        return TaskerCli.OK;
      }
      Table table = new Table("NAMESPACE", "NAME", "VERSION", "STEPS", "DESCRIPTION");
      for (var t : all) {
        table.row(
            t.namespace(), t.name(), t.version(), t.steps(), Format.shorten(t.description(), 70));
      }
      table.print(out());
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show a template: its input and its steps with type, dependencies, handler, retry and"
            + " timeout.",
        "Without VERSION, the highest registered version."
      })
  int show(
      @Parameters(paramLabel = "NS/NAME[/VERSION]", description = "the template") String ref,
      @Option(names = "--json", description = "print the stored template document") boolean json) {
    Args.TemplateRef r = Args.TemplateRef.parse(ref);
    try (Session s = Session.open(spec, Session.SHORT_COMMAND_POOL)) {
      TemplateStore.Stored stored =
          s.engine().templates().find(r.namespace(), r.name(), r.version());
      TaskTemplate t = stored.template();
      if (json) {
        Format.json(out(), t.document());
        return TaskerCli.OK;
      }
      PrintWriter out = out();
      out.println(t.key());
      if (t.description() != null && !t.description().isBlank()) {
        out.println("  " + t.description());
      }
      out.println("  input: " + describeInput(t.inputSchema()));
      out.println("  identity: " + t.identityStrategy().yamlName());
      out.println("  content hash: " + stored.contentHash());
      out.println();
      Table table = new Table("STEP", "TYPE", "DEPENDS ON", "HANDLER", "RETRY", "TIMEOUT");
      for (StepTemplate st : t.steps()) {
        table.row(
            st.name(),
            st.type().yamlName(),
            st.dependencies().isEmpty() ? "-" : String.join(", ", st.dependencies()),
            st.handler() == null ? "-" : st.handler().callable(),
            describeRetry(st.retry()),
            st.timeoutSeconds() == null ? "default" : st.timeoutSeconds() + " s");
      }
      table.print(out);
    }
    return TaskerCli.OK;
  }

  /** {@code amount (integer, required), purpose (string)}, from the input schema's properties. */
  static String describeInput(JsonNode schema) {
    if (schema == null || schema.isNull()) {
      return "any JSON object (no input_schema)";
    }
    JsonNode props = schema.path("properties");
    if (!props.isObject() || props.isEmpty()) {
      return Format.shortJson(schema, 100);
    }
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    List<String> parts = new ArrayList<>();
    for (var e : props.properties()) {
      String type = e.getValue().path("type").asText("any");
      parts.add(
          e.getKey() + " (" + type + (required.contains(e.getKey()) ? ", required" : "") + ")");
    }
    return String.join(", ", parts);
  }

  /** {@code 3 attempts, exponential from 1000 ms} or {@code no retry}. */
  static String describeRetry(RetryPolicy p) {
    if (p == null) {
      return "default";
    }
    if (!p.retryable() || p.maxAttempts() <= 1) {
      return "no retry";
    }
    return p.maxAttempts() + " attempts, " + p.backoff() + " from " + p.backoffBaseMs() + " ms";
  }
}
