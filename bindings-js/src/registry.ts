/**
 * Handlers by callable. `loadHandlers(dir)` imports every `.js`/`.mjs` file under a directory (and
 * `.ts` files when Node can import them) and registers every exported StepHandler class by its
 * `handlerName`.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ValidationError } from "./errors.js";
import { type StepHandler, type StepHandlerClass } from "./handler.js";

export class HandlerRegistry {
  private readonly classes = new Map<string, { cls: StepHandlerClass; source: string }>();
  private readonly instances = new Map<string, StepHandler>();

  /** Registers `cls` under its `handlerName`; a second class for the same name is an error. */
  register(cls: StepHandlerClass, source = "(registered in code)"): this {
    if (!isHandlerClass(cls)) {
      throw new ValidationError(-1, `${source}: not a StepHandler class with a non-empty static handlerName`);
    }
    const existing = this.classes.get(cls.handlerName);
    if (existing !== undefined && existing.cls !== cls) {
      throw new ValidationError(
        -1,
        `handler '${cls.handlerName}' is defined twice: ${existing.cls.name} in ${existing.source} and ${cls.name} in ${source}`,
      );
    }
    this.classes.set(cls.handlerName, { cls, source });
    return this;
  }

  /** The handler for `callable` (one instance per class, created on first use), or undefined. */
  get(callable: string): StepHandler | undefined {
    let handler = this.instances.get(callable);
    if (handler === undefined) {
      const entry = this.classes.get(callable);
      if (entry === undefined) return undefined;
      handler = new entry.cls();
      this.instances.set(callable, handler);
    }
    return handler;
  }

  names(): string[] {
    return [...this.classes.keys()].sort();
  }

  get size(): number {
    return this.classes.size;
  }
}

/**
 * A StepHandler class: a constructor whose prototype has `call` and which has a `handlerName`.
 * Checked structurally so handlers compiled against another copy of this package still count.
 */
export function isHandlerClass(value: unknown): value is StepHandlerClass {
  if (typeof value !== "function") return false;
  const proto = (value as { prototype?: { call?: unknown } }).prototype;
  const name = (value as { handlerName?: unknown }).handlerName;
  return typeof proto?.call === "function" && typeof name === "string" && name !== "";
}

/** Whether this Node can import `.ts` files (type stripping, or a loader given on the command line). */
export function canImportTypeScript(): boolean {
  const features = process.features as { typescript?: unknown };
  if (features.typescript !== undefined && features.typescript !== false) return true;
  const flags = [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  return flags.some((f) => /^--(import|loader|experimental-loader|experimental-strip-types|experimental-transform-types)\b/.test(f));
}

/** The handler source files under `dir`, sorted, recursively (no `node_modules`, no `.d.ts`). */
export function handlerFiles(dir: string, withTypeScript = canImportTypeScript()): string[] {
  const root = resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new ValidationError(-1, `--handlers directory ${root} does not exist`);
  }
  if (!stat.isDirectory()) throw new ValidationError(-1, `--handlers ${root} is not a directory`);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(path);
      } else if (/\.(js|mjs)$/.test(entry.name) || (withTypeScript && /\.(ts|mts)$/.test(entry.name) && !/\.d\.m?ts$/.test(entry.name))) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files;
}

/** Imports every handler file under `dir` into a registry (or `registry`). */
export async function loadHandlers(dir: string, registry = new HandlerRegistry()): Promise<HandlerRegistry> {
  for (const file of handlerFiles(dir)) {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ValidationError(-1, `cannot import handler file ${file}: ${why}`);
    }
    for (const value of Object.values(module)) {
      if (isHandlerClass(value)) registry.register(value, file);
    }
  }
  return registry;
}
