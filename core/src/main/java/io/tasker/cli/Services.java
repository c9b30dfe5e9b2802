package io.tasker.cli;

import io.tasker.TaskerException;
import io.tasker.api.ApiConfig;
import io.tasker.api.ApiServer;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.TemplateStore;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import io.tasker.worker.HandlerRegistry;
import io.tasker.worker.Worker;
import io.tasker.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The long-running processes ({@code worker}, {@code run}, {@code server}, {@code demo}): start an
 * orchestrator and/or a Java worker in this JVM, and stop them gracefully on SIGINT/SIGTERM.
 */
final class Services implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger("io.tasker.cli");

  /** How long handlers in progress get to finish when a worker stops. */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** Orchestrator consumers per queue. */
  static final int ORCHESTRATOR_CONCURRENCY = 4;

  /** The flags {@code worker} and {@code run} share (DESIGN.md §8). */
  static final class WorkerOptions {
    @Option(
        names = "--templates",
        required = true,
        paramLabel = "DIR",
        description =
            "register every *.yaml|*.yml template under DIR (or the file) and serve their"
                + " namespaces; may be repeated")
    List<Path> templates = new ArrayList<>();

    @Option(
        names = "--handlers-classpath",
        paramLabel = "JAR|DIR",
        description =
            "a jar, or a directory of classes and/or jars, whose META-INF/services declare"
                + " io.tasker.worker.StepHandler implementations (added to those on the class"
                + " path)")
    Path handlersClasspath;

    @Option(
        names = "--namespace",
        paramLabel = "NS",
        split = ",",
        arity = "1..*",
        description = "serve only these namespaces (default: the templates' namespaces)")
    List<String> namespaces = new ArrayList<>();

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        defaultValue = "32",
        description = "handlers running at once per namespace (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
        names = "--force",
        description = "replace registered templates whose content changed under the same version")
    boolean force;
  }

  private final Session session;
  private Orchestrator orchestrator;
  private Worker worker;
  private ApiServer api;
  private boolean closed;

  private Services(Session session) {
    this.session = session;
  }

  /** Opens the database and the waker (so this process's consumers wake at commit). */
  static Services open(picocli.CommandLine.Model.CommandSpec spec, int poolAtLeast) {
    Session s = Session.openConfigured(spec, poolAtLeast);
    try {
      s.waker();
      s.engine();
      return new Services(s);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  Session session() {
    return session;
  }

  Services startOrchestrator() {
    orchestrator = new Orchestrator(session.engine(), session.waker(), ORCHESTRATOR_CONCURRENCY);
    orchestrator.start();
    return this;
  }

  /** Starts the REST API (after the orchestrator); it stops first on shutdown. */
  ApiServer startApi(ApiConfig config) {
    api = ApiServer.start(config, session.engine(), session.waker());
    return api;
  }

  /** What a worker was started with. */
  record WorkerStart(List<String> namespaces, List<String> handlers, List<String> missing) {}

  /**
   * Registers the templates, loads the handlers, warns about callables without one, and starts a
   * worker for the namespaces.
   */
  WorkerStart startWorker(WorkerOptions o) {
    if (o.concurrency < 1) {
      throw Args.usage("--concurrency must be at least 1 (got " + o.concurrency + ")");
    }
    List<TaskTemplate> templates = new ArrayList<>();
    for (Path p : o.templates) {
      templates.addAll(register(p, o.force));
    }
    ClassLoader loader =
        o.handlersClasspath == null
            ? TaskerCli.class.getClassLoader()
            : HandlerRegistry.classLoaderFor(o.handlersClasspath);
    return startWorker(templates, loader, o.namespaces, o.concurrency);
  }

  /** Registers the templates under {@code path} and returns them as stored. */
  List<TaskTemplate> register(Path path, boolean force) {
    TemplateStore store = session.engine().templates();
    List<TaskTemplate> templates = new ArrayList<>();
    for (TemplateStore.Registration r : store.registerPath(path, force)) {
      LOG.info("template {} {}", r.key(), r.outcome().name().toLowerCase(java.util.Locale.ROOT));
      String[] k = r.key().split("/", 3);
      templates.add(store.find(k[0], k[1], Optional.of(k[2])).template());
    }
    return templates;
  }

  /**
   * Starts a worker with the handlers {@code loader} declares (ServiceLoader) for {@code
   * namespaces} (empty: the templates' namespaces), warning about callables without a handler.
   */
  WorkerStart startWorker(
      List<TaskTemplate> templates, ClassLoader loader, List<String> namespaces, int concurrency) {
    HandlerRegistry handlers = new HandlerRegistry().loadServices(loader);
    List<String> served =
        namespaces.isEmpty()
            ? List.copyOf(
                new TreeSet<>(templates.stream().map(TaskTemplate::namespaceName).toList()))
            : List.copyOf(new TreeSet<>(namespaces));
    if (served.isEmpty()) {
      throw Args.usage("no namespace to serve: no templates and no --namespace");
    }
    List<String> missing = missingHandlers(templates, served, handlers);
    worker =
        new Worker(
                session.engine(),
                session.waker(),
                handlers,
                WorkerConfig.of(served).withConcurrency(concurrency))
            .start();
    return new WorkerStart(served, handlers.handlerNames(), missing);
  }

  /** Callables that steps of the served namespaces name but no loaded handler answers to. */
  private static List<String> missingHandlers(
      List<TaskTemplate> templates, List<String> namespaces, HandlerRegistry handlers) {
    Map<String, String> missing = new LinkedHashMap<>();
    for (TaskTemplate t : templates) {
      if (!namespaces.contains(t.namespaceName())) {
        continue;
      }
      for (StepTemplate s : t.steps()) {
        String callable = s.handler() == null ? null : s.handler().callable();
        if (callable != null
            && handlers.find(callable).isEmpty()
            && missing.putIfAbsent(callable, s.name()) == null) {
          LOG.warn(
              "no handler loaded for callable '{}' (step {} of {}); this worker fails such steps"
                  + " with handler_not_found",
              callable,
              s.name(),
              t.key());
        }
      }
    }
    return List.copyOf(missing.keySet());
  }

  /**
   * Blocks until SIGINT or SIGTERM (a JVM shutdown hook), then stops everything gracefully before
   * the JVM exits: the worker first (handlers in progress get {@link #GRACE}), then the
   * orchestrator, then the database connections.
   */
  int runUntilSignal(String what) {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                stopped.await(GRACE.toSeconds() + 20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tasker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskerException("interrupted", what + " interrupted");
    }
    LOG.info("{} stopping (handlers in progress get {} s)", what, GRACE.toSeconds());
    try {
      close();
      LOG.info("{} stopped", what);
    } finally {
      stopped.countDown();
    }
    return TaskerCli.OK;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (api != null) {
      // no new requests first; requests in progress finish (Jetty's graceful stop)
      api.close();
      api = null;
    }
    try {
      if (worker != null) {
        worker.close(GRACE);
        worker = null;
      }
    } finally {
      try {
        if (orchestrator != null) {
          orchestrator.close();
          orchestrator = null;
        }
      } finally {
        session.close();
      }
    }
  }
}
