/**
 * The worker loop: poll events in batches (as many as there are free slots) off the event loop,
 * run their handlers concurrently, send completions in batches, and shut down in the order of
 * DESIGN.md §7: stop polling → finish in-flight work (bounded grace) → fail what remains →
 * worker_stop.
 */
import { isRecord, UnavailableError, ValidationError } from "./errors.js";
import type { StepEvent } from "./handler.js";
import { parseJson, type JsonValue } from "./json.js";
import type { Libtasker } from "./native.js";
import { failed, runHandler, type Outcome } from "./outcomes.js";
import type { HandlerRegistry } from "./registry.js";

export interface WorkerOptions {
  /** Namespaces to serve; may be empty when `templatesDir` gives them. */
  readonly namespaces?: readonly string[];
  /** Registers every template under it and serves their namespaces. */
  readonly templatesDir?: string;
  /** Handlers running at once (and events in flight per namespace). Default 16. */
  readonly concurrency?: number;
  readonly databaseUrl?: string;
  readonly defaultTimeoutSeconds?: number;
  /** How long one poll waits for events (it waits on an addon thread, never on the event loop). */
  readonly pollTimeoutMs?: number;
  /** How long `stop()` lets in-flight handlers finish before failing them. Default 10 s. */
  readonly graceMs?: number;
  /**
   * Also run an orchestrator in this process (retries after backoff and the stale-task sweep need
   * one somewhere: here, or a `tasker server`/`tasker worker --with-orchestrator`).
   */
  readonly withOrchestrator?: boolean;
}

export interface WorkerStats {
  readonly polled: number;
  readonly completed: number;
  readonly checkpoints: number;
  readonly rejected: number;
  readonly inFlight: number;
}

const LOGGER = "tasker.ts.worker";

export class Worker {
  private readonly concurrency: number;
  private readonly pollTimeoutMs: number;
  private readonly graceMs: number;
  private readonly inFlight = new Map<string, StepEvent>();
  private pending: Outcome[] = [];
  private flushScheduled = false;
  private slotFreed: (() => void) | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private counters = { polled: 0, completed: 0, checkpoints: 0, rejected: 0 };
  /** What worker_start answered: `worker_id`, `namespaces`, `handlers`. */
  info: JsonValue = null;

  constructor(
    private readonly lib: Libtasker,
    private readonly handlers: HandlerRegistry,
    private readonly options: WorkerOptions = {},
  ) {
    this.concurrency = positiveInt(options.concurrency ?? 16, "concurrency");
    this.pollTimeoutMs = positiveInt(options.pollTimeoutMs ?? 200, "pollTimeoutMs");
    this.graceMs = nonNegativeInt(options.graceMs ?? 10_000, "graceMs");
  }

  /** Starts the core's worker for the handlers' callables and begins polling. */
  start(): void {
    if (this.loop !== undefined) return;
    const config: Record<string, JsonValue> = {
      namespaces: [...(this.options.namespaces ?? [])],
      handlers: this.handlers.names(),
      concurrency: this.concurrency,
    };
    if (this.options.templatesDir !== undefined) config["templates_dir"] = this.options.templatesDir;
    if (this.options.databaseUrl !== undefined) config["database_url"] = this.options.databaseUrl;
    if (this.options.defaultTimeoutSeconds !== undefined) config["default_timeout_seconds"] = this.options.defaultTimeoutSeconds;
    if (this.options.withOrchestrator === true) config["with_orchestrator"] = true;
    this.info = this.lib.workerStart(config);
    this.lib.log("info", `worker started with ${this.handlers.size} handlers, concurrency ${this.concurrency}`, LOGGER, {
      worker: this.info,
    });
    this.loop = this.pollLoop();
  }

  get stats(): WorkerStats {
    return { ...this.counters, inFlight: this.inFlight.size };
  }

  /** Resolves when the poll loop has ended (after `stop()`); rejects if polling failed for good. */
  get done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  /**
   * Graceful shutdown; idempotent. `graceMs` (default: the option) bounds the wait for in-flight
   * handlers; those still running then are failed as retryable `worker_shutdown`.
   */
  stop(graceMs = this.graceMs): Promise<void> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    this.slotFreed?.();
    await this.loop?.catch(() => undefined);
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.slotFreed = r;
        setTimeout(r, Math.max(1, Math.min(50, deadline - Date.now())));
      });
    }
    const abandoned = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const event of abandoned) {
      this.pending.push(
        failed(event, performance.now(), {
          kind: "failure",
          message: `worker shutting down: handler '${event.callable}' did not finish within ${graceMs} ms`,
          errorType: "worker_shutdown",
          retryable: true,
        }),
      );
    }
    this.flush();
    if (abandoned.length > 0) this.lib.log("warn", `failed ${abandoned.length} unfinished events at shutdown`, LOGGER);
    await this.lib.workerStop(graceMs);
    this.lib.log("info", `worker stopped (${JSON.stringify(this.stats)})`, LOGGER);
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0) {
        await new Promise<void>((r) => (this.slotFreed = r));
        continue;
      }
      this.flush();
      let events: StepEvent[];
      try {
        // events already waiting are taken without a thread hop; only an empty channel waits off-loop
        events = parseEvents(this.lib.pollNowText(free));
        if (events.length === 0) events = parseEvents(await this.lib.pollText(free, this.pollTimeoutMs));
      } catch (error) {
        if (this.stopping) break;
        if (!(error instanceof UnavailableError)) throw error;
        this.lib.log("warn", `poll failed, retrying in 1 s: ${errorText(error)}`, LOGGER);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      this.counters.polled += events.length;
      for (const event of events) this.dispatch(event);
    }
  }

  private dispatch(event: StepEvent): void {
    this.inFlight.set(event.event_id, event);
    void runHandler(this.handlers.get(event.callable), event).then((outcome) => {
      // an event failed at shutdown is no longer ours: its handler's late outcome is dropped
      if (!this.inFlight.delete(event.event_id)) return;
      this.pending.push(outcome);
      this.scheduleFlush();
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
    });
  }

  /** Completions that finish in the same turn of the event loop go out as one batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const completions = batch.filter((o) => o.kind === "complete");
    for (const o of batch) if (o.kind === "checkpoint") this.sendCheckpoint(o);
    if (completions.length === 0) return;
    try {
      const answer = this.lib.completeText(`[${completions.map((o) => o.json).join(",")}]`);
      this.countBatch(answer, completions.length);
    } catch (error) {
      // one invalid element rejects the whole batch: send them one by one so the others land
      this.lib.log("warn", `batch completion rejected (${errorText(error)}); completing one by one`, LOGGER);
      for (const o of completions) this.completeOne(o);
    }
  }

  private completeOne(o: Outcome): void {
    try {
      this.lib.completeText(o.json);
      this.counters.completed++;
    } catch (error) {
      this.counters.rejected++;
      this.lib.log("warn", `completion of event ${o.eventId} rejected: ${errorText(error)}`, LOGGER);
    }
  }

  private sendCheckpoint(o: Outcome): void {
    try {
      this.lib.checkpointText(o.json);
      this.counters.checkpoints++;
    } catch (error) {
      this.counters.rejected++;
      this.lib.log("warn", `checkpoint of event ${o.eventId} rejected: ${errorText(error)}`, LOGGER);
    }
  }

  private countBatch(answer: string, sent: number): void {
    const doc = parseJson(answer);
    const rejected = isRecord(doc) && Array.isArray(doc["rejected"]) ? doc["rejected"] : [];
    this.counters.completed += sent - rejected.length;
    this.counters.rejected += rejected.length;
    for (const r of rejected) {
      // an expired event was already failed as `timeout` by the core: expected for slow handlers
      const expired = isRecord(r) && r["code"] === -5;
      this.lib.log(expired ? "info" : "warn", `completion rejected: ${JSON.stringify(r)}`, LOGGER);
    }
  }
}

function parseEvents(text: string): StepEvent[] {
  const events = parseJson(text);
  if (!Array.isArray(events)) throw new ValidationError(-1, `tasker_poll returned ${text.slice(0, 80)}, not an array`);
  return events as unknown as StepEvent[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function positiveInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ValidationError(-1, `${what} must be an integer >= 1, got ${value}`);
  return value;
}

function nonNegativeInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(-1, `${what} must be an integer >= 0, got ${value}`);
  return value;
}
