package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.TemplateStore;
import io.tasker.sql.Uuids;
import io.tasker.worker.HandlerRegistry;
import io.tasker.worker.Worker;
import io.tasker.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running FFI worker: the core's {@link Worker} with one {@link FfiStepHandler} per host
 * callable, all feeding one {@link FfiDispatchChannel} (and an orchestrator when asked for).
 */
final class FfiWorker implements HostWorker {
  private static final Logger LOG = LoggerFactory.getLogger(FfiWorker.class);

  private final String id = Uuids.v7().toString();
  private final List<String> namespaces;
  private final List<String> handlers;
  private final FfiDispatchChannel channel;
  private final Worker worker;
  private final Orchestrator orchestrator;

  private FfiWorker(
      List<String> namespaces,
      List<String> handlers,
      FfiDispatchChannel channel,
      Worker worker,
      Orchestrator orchestrator) {
    this.namespaces = namespaces;
    this.handlers = handlers;
    this.channel = channel;
    this.worker = worker;
    this.orchestrator = orchestrator;
  }

  static FfiWorker start(Services services, WorkerSettings s) {
    TreeSet<String> served = new TreeSet<>(s.namespaces());
    if (s.templatesDir().isPresent()) {
      TemplateStore store = services.engine().templates();
      for (TemplateStore.Registration r : store.registerPath(s.templatesDir().get(), false)) {
        LOG.info("template {} {}", r.key(), r.outcome());
        if (s.namespaces().isEmpty()) {
          served.add(r.key().substring(0, r.key().indexOf('/')));
        }
      }
    }
    if (served.isEmpty()) {
      throw AbiException.invalid("$.templates_dir", "contains no templates, so no namespaces");
    }
    List<String> ns = List.copyOf(served);
    // capacity = what the worker may hold at once: a full channel means no more claims
    FfiDispatchChannel channel = new FfiDispatchChannel(s.concurrency() * ns.size());
    HandlerRegistry registry = new HandlerRegistry();
    for (String callable : s.handlers()) {
      registry.register(callable, new FfiStepHandler(callable, channel));
    }
    Orchestrator orchestrator = null;
    if (s.withOrchestrator()) {
      orchestrator = new Orchestrator(services.engine(), services.waker(), 4).start();
    }
    WorkerConfig config =
        new WorkerConfig(ns, s.concurrency(), s.defaultTimeout(), Duration.ofSeconds(5), true);
    Worker worker = new Worker(services.engine(), services.waker(), registry, config).start();
    return new FfiWorker(
        ns, List.copyOf(new TreeSet<>(s.handlers())), channel, worker, orchestrator);
  }

  @Override
  public FfiDispatchChannel channel() {
    return channel;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode d = Json.object().put("worker_id", id);
    ArrayNode ns = d.putArray("namespaces");
    namespaces.forEach(ns::add);
    ArrayNode hs = d.putArray("handlers");
    handlers.forEach(hs::add);
    return d;
  }

  @Override
  public void stop(Duration grace) {
    try {
      worker.close(grace);
    } finally {
      channel.close();
      if (orchestrator != null) {
        orchestrator.close();
      }
    }
  }
}
