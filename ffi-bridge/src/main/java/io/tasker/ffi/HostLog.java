package io.tasker.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code tasker_log}: a host's log record, written through the core's logging. */
final class HostLog {
  private static final Set<String> KEYS = Set.of("message", "logger", "fields");

  private HostLog() {}

  static void write(int level, byte[] json) {
    if (level < 0 || level > 4) {
      throw new AbiException(
          Status.INVALID, "level must be 0 (trace) … 4 (error), got " + level, "level");
    }
    JsonNode doc = Documents.parseObject(json, "log record");
    Documents.onlyKeys(doc, "$", KEYS);
    String message = Documents.requiredText(doc, "$", "message");
    String loggerName = Documents.optionalText(doc, "$", "logger");
    JsonNode fields = doc.path("fields");
    if (!fields.isMissingNode() && !fields.isNull() && !fields.isObject()) {
      throw AbiException.invalid("$.fields", "expected an object");
    }
    Logger logger = LoggerFactory.getLogger(loggerName == null ? "tasker.host" : loggerName);
    Map<String, String> previous = new HashMap<>();
    if (fields.isObject()) {
      fields
          .properties()
          .forEach(
              e -> {
                previous.put(e.getKey(), MDC.get(e.getKey()));
                JsonNode v = e.getValue();
                MDC.put(e.getKey(), v.isTextual() ? v.asText() : Json.write(v));
              });
    }
    try {
      switch (level) {
        case 0 -> logger.trace("{}", message);
        case 1 -> logger.debug("{}", message);
        case 2 -> logger.info("{}", message);
        case 3 -> logger.warn("{}", message);
        default -> logger.error("{}", message);
      }
    } finally {
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              MDC.remove(k);
            } else {
              MDC.put(k, v);
            }
          });
    }
  }
}
