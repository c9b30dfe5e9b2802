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
import java.util.Optional;
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
    try (ClientSession cs = ClientSession.open(spec, false)) {
      ArrayNode regs = Json.MAPPER.createArrayNode();
      if (cs.local() != null) {
        // locally the store reads the files itself (errors name the file)
        for (var r : cs.local().engine().templates().registerPath(path, force)) {
          regs.addObject()
              .put("key", r.key())
              .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
              .put("named_task_uuid", r.namedTaskUuid().toString());
        }
      } else {
        for (Path file : TemplateStore.templateFiles(path)) {
          JsonNode r = cs.client().registerTemplate(readTemplate(file), force);
          regs.addObject()
              .put(
                  "key",
                  r.path("namespace").asText()
                      + "/"
                      + r.path("name").asText()
                      + "/"
                      + r.path("version").asText())
              .put("outcome", r.path("outcome").asText())
              .put("named_task_uuid", r.path("named_task_uuid").asText());
        }
      }
      if (json) {
        ObjectNode doc = Json.object();
        doc.set("registered", regs);
        Format.json(out(), doc);
      } else {
        for (JsonNode r : regs) {
          out().printf("%-9s  %s%n", r.path("outcome").asText(), r.path("key").asText());
        }
      }
    }
    return TaskerCli.OK;
  }

  private static String readTemplate(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new io.tasker.template.TemplateException(
          io.tasker.template.TemplateException.UNREADABLE_TEMPLATE,
          "cannot read template " + file + ": " + e,
          e);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the registered templates.")
  int list(@Option(names = "--json", description = "print one JSON document") boolean json) {
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode all = cs.client().listTemplates(Optional.empty());
      if (json) {
        ObjectNode doc = Json.object();
        doc.set("templates", all);
        Format.json(out(), doc);
        return TaskerCli.OK;
      }
      if (all.isEmpty()) {
        out().println("no templates registered (tasker template register FILE|DIR)");
        return TaskerCli.OK;
      }
      Table table = new Table("NAMESPACE", "NAME", "VERSION", "STEPS", "DESCRIPTION");
      for (JsonNode t : all) {
        table.row(
            t.path("namespace").asText(),
            t.path("name").asText(),
            t.path("version").asText(),
            t.path("steps").asInt(),
            Format.shorten(t.path("description").asText(null), 70));
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
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode stored = cs.client().getTemplate(r.namespace(), r.name(), r.version());
      TaskTemplate t =
          new io.tasker.template.TemplateParser()
              .fromJson(stored.get("template"), "template " + r.namespace() + "/" + r.name());
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
      out.println("  content hash: " + stored.path("content_hash").asText());
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
