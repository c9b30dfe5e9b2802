/**
 * The native layer: finds and loads the Node-API addon and libtasker.so, checks the ABI version,
 * boots (or attaches to) the JVM, and turns ABI status codes into typed {@link TaskerError}s.
 */
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { errorFromStatus, TaskerError } from "./errors.js";
import { parseJson, stringifyJson, type JsonValue } from "./json.js";
import { packageRoot } from "./package-root.js";

export const ABI_VERSION = 1;

/** The functions the addon (native/tasker_node.c) exports; strings are JSON documents. */
export interface Addon {
  load(libraryPath: string): number;
  init(config: string): string;
  workerStart(config: string): string;
  workerStop(graceMs: number): Promise<string>;
  workerStatus(): string;
  poll(max: number, timeoutMs: number): Promise<string>;
  pollNow(max: number): string;
  complete(completions: string): string;
  checkpoint(checkpoint: string): string;
  client(request: string): Promise<string>;
  log(level: number, entry: string): number;
  shutdown(): number;
}

/** Where the native pieces are; every field is optional (the package's own copies, then env). */
export interface NativeOptions {
  /** libtasker.so; else `TASKER_LIBRARY`, else the package's `lib/libtasker.so`. */
  readonly library?: string;
  /** tasker_node.node; else `TASKER_NODE_ADDON`, else the package's `lib/tasker_node.node`. */
  readonly addon?: string;
  /** The core jar(s); else `TASKER_CLASSPATH` (':'-separated), else the package's `lib/*.jar`. */
  readonly classpath?: readonly string[];
  /** The AOT cache; else `TASKER_AOT_CACHE`, else the package's `lib/*.aot` if there is one. */
  readonly aotCache?: string;
  /** The database of this process (client calls, and the worker unless it names one). */
  readonly databaseUrl?: string;
  readonly javaHome?: string;
  readonly jvmOptions?: readonly string[];
  readonly logLevel?: "trace" | "debug" | "info" | "warn" | "error";
}

export interface InitResult {
  readonly attached: boolean;
  readonly java_version: string;
  readonly abi_version: number;
}

/** The package's `lib/` directory (beside `dist/` in an installed copy). */
export function packageLibDir(): string {
  return join(packageRoot()?.dir ?? process.cwd(), "lib");
}

/** The resolved locations for `options`; throws a TaskerError naming what was looked for. */
export function locateNative(options: NativeOptions = {}, env: NodeJS.ProcessEnv = process.env): {
  library: string;
  addon: string;
  classpath: string[];
  aotCache: string | undefined;
} {
  const lib = packageLibDir();
  const fromEnv = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  const library = options.library ?? fromEnv("TASKER_LIBRARY") ?? join(lib, "libtasker.so");
  const addon = options.addon ?? fromEnv("TASKER_NODE_ADDON") ?? join(lib, "tasker_node.node");
  for (const [what, path, variable] of [
    ["libtasker.so", library, "TASKER_LIBRARY"],
    ["the Node-API addon", addon, "TASKER_NODE_ADDON"],
  ] as const) {
    if (!existsSync(path)) {
      throw new TaskerError(-7, `${what} not found at ${path} (set ${variable} or options to its path)`, "not_found");
    }
  }
  const jars = existsSync(lib) ? readdirSync(lib).filter((f) => f.endsWith(".jar")) : [];
  const classpath =
    options.classpath ??
    fromEnv("TASKER_CLASSPATH")?.split(":") ??
    jars.map((f) => join(lib, f));
  const aots = existsSync(lib) ? readdirSync(lib).filter((f) => f.endsWith(".aot")) : [];
  const aotCache = options.aotCache ?? fromEnv("TASKER_AOT_CACHE") ?? (aots[0] === undefined ? undefined : join(lib, aots[0]));
  return { library, addon, classpath: [...classpath], aotCache };
}

/** A status error from the addon (`status` + `payload`) as a typed TaskerError; others unchanged. */
export function translateError(error: unknown): unknown {
  if (error instanceof Error && typeof (error as { status?: unknown }).status === "number") {
    const { status, payload } = error as Error & { status: number; payload?: string };
    return errorFromStatus(status, payload);
  }
  return error;
}

function sync<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw translateError(error);
  }
}

async function later(call: () => Promise<string>): Promise<string> {
  try {
    return await call();
  } catch (error) {
    throw translateError(error);
  }
}

let loaded: Libtasker | undefined;

/**
 * libtasker in this process (one per process: the library and its JVM are process-wide). All
 * methods take and return parsed JSON; failures throw the TaskerError subclass of the status.
 */
export class Libtasker {
  private constructor(
    readonly addon: Addon,
    readonly init: InitResult,
  ) {}

  /** The library if this process opened it, else undefined (never loads anything). */
  static current(): Libtasker | undefined {
    return loaded;
  }

  /** Loads the addon and the library, checks the ABI version and boots or attaches the JVM. */
  static open(options: NativeOptions = {}): Libtasker {
    if (loaded !== undefined) return loaded;
    const where = locateNative(options);
    const addon = createRequire(import.meta.url)(where.addon) as Addon;
    let version: number;
    try {
      version = addon.load(where.library);
    } catch (error) {
      throw new TaskerError(-7, error instanceof Error ? error.message : String(error), "load_failed");
    }
    if (version !== ABI_VERSION) {
      throw new TaskerError(-7, `${where.library} has ABI version ${version}; this package needs ${ABI_VERSION}`, "abi_mismatch");
    }
    const config: Record<string, JsonValue> = { classpath: where.classpath };
    if (where.aotCache !== undefined) config["aot_cache"] = where.aotCache;
    if (options.databaseUrl !== undefined) config["database_url"] = options.databaseUrl;
    if (options.javaHome !== undefined) config["java_home"] = options.javaHome;
    if (options.jvmOptions !== undefined) config["jvm_options"] = [...options.jvmOptions];
    if (options.logLevel !== undefined) config["log_level"] = options.logLevel;
    const init = parseJson(sync(() => addon.init(stringifyJson(config)))) as unknown as InitResult;
    loaded = new Libtasker(addon, init);
    return loaded;
  }

  workerStart(config: Record<string, JsonValue>): JsonValue {
    return parseJson(sync(() => this.addon.workerStart(stringifyJson(config))));
  }

  workerStatus(): JsonValue {
    return parseJson(sync(() => this.addon.workerStatus()));
  }

  /** Waits up to `timeoutMs` on an addon thread for up to `max` events (raw JSON array text). */
  pollText(max: number, timeoutMs: number): Promise<string> {
    return later(() => this.addon.poll(max, timeoutMs));
  }

  /** Takes up to `max` events that are already waiting, without waiting (raw JSON array text). */
  pollNowText(max: number): string {
    return sync(() => this.addon.pollNow(max));
  }

  /** Completes one event or a batch; a batch answers `{completed, rejected}`. */
  complete(completions: JsonValue): JsonValue {
    return parseJson(sync(() => this.addon.complete(stringifyJson(completions))));
  }

  completeText(completions: string): string {
    return sync(() => this.addon.complete(completions));
  }

  checkpointText(checkpoint: string): void {
    sync(() => this.addon.checkpoint(checkpoint));
  }

  checkpoint(checkpoint: JsonValue): JsonValue {
    const out = sync(() => this.addon.checkpoint(stringifyJson(checkpoint)));
    return out === undefined || out === "" ? null : parseJson(out);
  }

  /** A client op (docs/abi.md) on one of the addon's threads, never on the event loop. */
  async client(op: string, args: Record<string, JsonValue> = {}): Promise<JsonValue> {
    return parseJson(await later(() => this.addon.client(stringifyJson({ op, args }))));
  }

  /** Writes a log line through the core's logging; never throws (logging must not fail a worker). */
  log(level: LogLevel, message: string, logger = "tasker.ts", fields?: Record<string, JsonValue>): void {
    const entry: Record<string, JsonValue> = { message, logger };
    if (fields !== undefined) entry["fields"] = fields;
    try {
      this.addon.log(LOG_LEVELS[level], stringifyJson(entry));
    } catch {
      // a log line that cannot be written is not worth failing a step for
    }
  }

  async workerStop(graceMs: number): Promise<JsonValue> {
    const out = await later(() => this.addon.workerStop(graceMs));
    return out === undefined || out === "" ? null : parseJson(out);
  }

  /** Destroys the JVM if this library created it; afterwards every call fails with NotInitializedError. */
  shutdown(): void {
    const status = this.addon.shutdown();
    if (status !== 0 && status !== -2) throw errorFromStatus(status, undefined);
  }
}

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
const LOG_LEVELS: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
