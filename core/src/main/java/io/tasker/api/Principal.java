package io.tasker.api;

import java.util.Set;

/**
 * Who made a request and what they may do: permissions are {@code resource:action} strings; {@code
 * resource:*} grants every action on a resource and {@code *} everything.
 */
public record Principal(String name, Set<String> permissions) {
  /** Everyone, when authentication is off. */
  public static final Principal ANONYMOUS = new Principal("anonymous", Set.of("*"));

  public boolean may(String permission) {
    if (permissions.contains("*") || permissions.contains(permission)) {
      return true;
    }
    int colon = permission.indexOf(':');
    return colon > 0 && permissions.contains(permission.substring(0, colon) + ":*");
  }
}
