/**
 * `tasker-ts worker --templates DIR --handlers DIR [--namespace NS…] [--concurrency N]`: loads the
 * handlers, starts a worker and runs until SIGINT/SIGTERM, then shuts down gracefully (a second
 * signal skips the grace period).
 */
import { parseArgs } from "node:util";
import { TaskerError } from "./errors.js";
import { Libtasker } from "./native.js";
import { packageRoot } from "./package-root.js";
import { loadHandlers } from "./registry.js";
import { Worker } from "./worker.js";

export const USAGE = `Usage: tasker-ts worker --templates DIR --handlers DIR [options]

Runs TypeScript/JavaScript step handlers for tasker until SIGINT or SIGTERM.

Options:
  --templates DIR        register every *.yaml|*.yml under DIR and serve their namespaces
  --handlers DIR         import every .js/.mjs file under DIR (and .ts when Node can import it)
                         and register every exported StepHandler class by its handlerName
  --namespace NS         serve namespace NS (repeatable; default: the templates' namespaces)
  --concurrency N        handlers running at once (default 16)
  --database-url URL     PostgreSQL URL (default: $DATABASE_URL, else the embedded database)
  --grace-ms MS          how long shutdown waits for running handlers (default 10000)
  --with-orchestrator    also run an orchestrator in this process (retries after backoff and
                         the stale-task sweep need one somewhere)
  -h, --help             show this help
  -v, --version          print the package version

Environment: DATABASE_URL; TASKER_LIBRARY, TASKER_NODE_ADDON, TASKER_CLASSPATH,
TASKER_AOT_CACHE (development overrides of the native files shipped in the package).`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface WorkerCommand {
  templates: string | undefined;
  handlers: string;
  namespaces: string[];
  concurrency: number;
  databaseUrl: string | undefined;
  graceMs: number;
  withOrchestrator: boolean;
}

/** Parses the worker command's arguments (after `worker`). */
export function parseWorkerArgs(args: string[]): WorkerCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        templates: { type: "string" },
        handlers: { type: "string" },
        namespace: { type: "string", multiple: true },
        concurrency: { type: "string" },
        "database-url": { type: "string" },
        "grace-ms": { type: "string" },
        "with-orchestrator": { type: "boolean" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.handlers === undefined) throw new UsageError("--handlers DIR is required");
  const namespaces = (v.namespace ?? []).flatMap((n) => n.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  if (v.templates === undefined && namespaces.length === 0) {
    throw new UsageError("give --templates DIR or at least one --namespace NS");
  }
  return {
    templates: v.templates,
    handlers: v.handlers,
    namespaces,
    concurrency: intOption(v.concurrency, "--concurrency", 16, 1),
    databaseUrl: v["database-url"],
    graceMs: intOption(v["grace-ms"], "--grace-ms", 10_000, 0),
    withOrchestrator: v["with-orchestrator"] === true,
  };
}

function intOption(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got '${text}'`);
  }
  return n;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return command === undefined ? 2 : 0;
  }
  if (command === "-v" || command === "--version") {
    process.stdout.write((packageRoot()?.version ?? "unknown") + "\n");
    return 0;
  }
  try {
    if (command !== "worker") throw new UsageError(`unknown command '${command}'`);
    return await runWorker(parseWorkerArgs(rest));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tasker-ts: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const kind = error instanceof TaskerError ? `${error.name} (${error.code})` : error instanceof Error ? error.name : "error";
    process.stderr.write(`tasker-ts: ${kind}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function runWorker(cmd: WorkerCommand): Promise<number> {
  const handlers = await loadHandlers(cmd.handlers);
  if (handlers.size === 0) throw new UsageError(`no StepHandler classes found under ${cmd.handlers}`);
  const lib = Libtasker.open(cmd.databaseUrl === undefined ? {} : { databaseUrl: cmd.databaseUrl });
  const worker = new Worker(lib, handlers, {
    namespaces: cmd.namespaces,
    concurrency: cmd.concurrency,
    graceMs: cmd.graceMs,
    withOrchestrator: cmd.withOrchestrator,
    ...(cmd.templates === undefined ? {} : { templatesDir: cmd.templates }),
    ...(cmd.databaseUrl === undefined ? {} : { databaseUrl: cmd.databaseUrl }),
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    const what = `${signal}: shutting down${signals > 1 ? " now" : ""} (${worker.stats.inFlight} handlers running)`;
    lib.log("info", what, "tasker.ts.cli");
    process.stdout.write(`tasker-ts: ${what}\n`);
    void worker.stop(signals > 1 ? 0 : cmd.graceMs);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // a handler's stray promise must not take the other in-flight events down with the process
  process.on("unhandledRejection", (reason) => {
    lib.log("warn", `unhandled promise rejection in a handler: ${describe(reason)}`, "tasker.ts.cli");
  });
  // a throw from a handler's timer or event callback: the process state is unknown, so drain and exit 1
  let crashed = false;
  process.on("uncaughtException", (error) => {
    lib.log("error", `uncaught exception, shutting down: ${describe(error)}`, "tasker.ts.cli");
    process.stderr.write(`tasker-ts: uncaught exception, shutting down: ${describe(error)}\n`);
    crashed = true;
    void worker.stop(cmd.graceMs);
  });
  worker.start();
  process.stdout.write(`tasker-ts: worker ready (${handlers.names().join(", ")})\n`);
  try {
    await worker.done;
  } catch (error) {
    lib.log("error", `poll loop failed: ${error instanceof Error ? error.message : String(error)}`, "tasker.ts.cli");
    await worker.stop(0);
    throw error;
  }
  await worker.stop();
  process.stdout.write(`tasker-ts: worker stopped ${JSON.stringify(worker.stats)}\n`);
  return crashed ? 1 : 0;
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
