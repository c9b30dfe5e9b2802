package io.tasker;

import java.nio.file.Path;

/**
 * The per-user directory holding the embedded database and local state: $TASKER_HOME or ~/.tasker.
 */
public final class TaskerHome {
  private TaskerHome() {}

  public static Path resolve() {
    String env = System.getenv("TASKER_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".tasker");
  }
}
