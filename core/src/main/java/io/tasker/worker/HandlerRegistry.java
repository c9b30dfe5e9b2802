package io.tasker.worker;

import io.tasker.TaskerException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Java handlers by callable: each handler answers to its {@link StepHandler#handlerName()} and to
 * its fully qualified class name.
 */
public final class HandlerRegistry {
  private final Map<String, StepHandler> byCallable = new ConcurrentHashMap<>();

  public HandlerRegistry register(StepHandler handler) {
    byCallable.put(handler.handlerName(), handler);
    byCallable.put(handler.getClass().getName(), handler);
    return this;
  }

  /**
   * Registers {@code handler} under {@code callable} only (not under its class name): for handlers
   * that stand in for another runtime's callables, such as the FFI bridge's.
   */
  public HandlerRegistry register(String callable, StepHandler handler) {
    byCallable.put(callable, handler);
    return this;
  }

  public Optional<StepHandler> find(String callable) {
    return Optional.ofNullable(byCallable.get(callable));
  }

  /** Every callable a template may use (handler names and class names), sorted. */
  public List<String> callables() {
    return List.copyOf(new TreeMap<>(byCallable).keySet());
  }

  /** The handlers' own names ({@link StepHandler#handlerName()}), sorted: for logs. */
  public List<String> handlerNames() {
    return byCallable.values().stream().map(StepHandler::handlerName).distinct().sorted().toList();
  }

  /** Registers every handler the class loader's {@code META-INF/services} declare. */
  public HandlerRegistry loadServices(ClassLoader loader) {
    for (StepHandler h : ServiceLoader.load(StepHandler.class, loader)) {
      register(h);
    }
    return this;
  }

  /**
   * A class loader over a handlers jar, or a directory of jars and/or classes (DESIGN.md: {@code
   * --handlers-classpath JAR|DIR}).
   */
  public static ClassLoader classLoaderFor(Path path) {
    if (!Files.exists(path)) {
      throw new TaskerException("handlers_not_found", "no such file or directory: " + path);
    }
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(path.toUri().toURL());
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.list(path)) {
          for (Path p : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            urls.add(p.toUri().toURL());
          }
        }
      }
    } catch (MalformedURLException e) {
      throw new TaskerException("handlers_not_found", "bad path " + path, e);
    } catch (java.io.IOException e) {
      throw new TaskerException(
          "handlers_not_found", "cannot list " + path + ": " + e.getMessage(), e);
    }
    return new URLClassLoader(urls.toArray(URL[]::new), HandlerRegistry.class.getClassLoader());
  }
}
