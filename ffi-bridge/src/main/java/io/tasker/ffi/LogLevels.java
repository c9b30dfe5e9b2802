package io.tasker.ffi;

import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Applies {@code tasker_init}'s {@code log_level} to the core's logging (logback). */
final class LogLevels {
  private static final Set<String> LEVELS =
      Set.of("trace", "debug", "info", "warn", "error", "off");

  private LogLevels() {}

  static void apply(String level) {
    String l = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw AbiException.invalid(
          "$.log_level",
          "must be one of trace, debug, info, warn, error, off; got \"" + level + "\"");
    }
    ch.qos.logback.classic.Level target = ch.qos.logback.classic.Level.toLevel(l);
    // the core's own loggers and hosts' records (tasker_log) follow log_level; libraries stay quiet
    for (String name : new String[] {"io.tasker", "tasker"}) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(target);
      }
    }
  }
}
