package io.tasker.examples;

import io.tasker.worker.StepHandler;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The handlers this jar registers, found the way the worker finds them. */
public final class Handlers {
  private Handlers() {}

  /** handlerName → handler, from {@code META-INF/services}. */
  public static Map<String, StepHandler> registered() {
    Map<String, StepHandler> byName = new TreeMap<>();
    for (StepHandler handler : ServiceLoader.load(StepHandler.class)) {
      StepHandler previous = byName.put(handler.handlerName(), handler);
      if (previous != null) {
        throw new AssertionError("two handlers named " + handler.handlerName());
      }
    }
    return byName;
  }
}
