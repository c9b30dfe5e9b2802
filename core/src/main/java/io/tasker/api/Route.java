package io.tasker.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One endpoint: method, path template ({@code /v1/tasks/{task_uuid}}), the permission it needs when
 * authentication is on (null: public), and its handler.
 */
record Route(HandlerType method, String path, String permission, Handler handler) {
  static Route get(String path, String permission, Handler h) {
    return new Route(HandlerType.GET, path, permission, h);
  }

  static Route post(String path, String permission, Handler h) {
    return new Route(HandlerType.POST, path, permission, h);
  }

  static Route patch(String path, String permission, Handler h) {
    return new Route(HandlerType.PATCH, path, permission, h);
  }

  static Route delete(String path, String permission, Handler h) {
    return new Route(HandlerType.DELETE, path, permission, h);
  }

  /** {@code GET /v1/tasks}: how the OpenAPI check names a route. */
  String key() {
    return method.name() + " " + path;
  }
}
