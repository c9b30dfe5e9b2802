/** The real worker entry point (`tasker-ts worker …`) as a child process. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const BIN = join(import.meta.dirname, "..", "..", "src", "bin.js");
export const TEST_HANDLERS = join(import.meta.dirname, "..", "handlers");
export const CONFORMANCE_DIR = process.env["TASKER_CONFORMANCE_DIR"] ?? join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "conformance");

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once the worker printed that it is ready; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  output(): string;
}

export function startWorker(args: string[], env: Record<string, string>, bin = BIN, node = process.execPath): WorkerProcess {
  const child = spawn(node, [bin, "worker", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("worker ready")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

/**
 * Resolves when the process is gone or a zombie. In a Node process that hosts the JVM (as these
 * tests do, for the client) the child's exit event can go missing (see docs/typescript.md), so the
 * process table is read as well; a zombie's exit code is unknown and reported as "exited".
 */
export async function waitForExit(worker: WorkerProcess, ms: number): Promise<number | string | undefined> {
  const deadline = Date.now() + ms;
  const pid = worker.child.pid;
  while (Date.now() < deadline) {
    const code = await Promise.race([worker.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    if (code !== undefined) return code;
    if (pid !== undefined && processEnded(pid)) return "exited";
  }
  return undefined;
}

function processEnded(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? true;
  } catch {
    return true;
  }
}

/** SIGTERM; the worker must finish its shutdown sequence ("worker stopped") and end within `ms`. */
export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = "SIGTERM", ms = 30_000): Promise<number | string> {
  worker.child.kill(signal);
  const code = await waitForExit(worker, ms);
  if (code === undefined) {
    worker.child.kill("SIGKILL");
    throw new Error(`the worker did not exit within ${ms} ms of ${signal}; output:\n${worker.output()}`);
  }
  return code === "exited" && worker.output().includes("worker stopped") ? 0 : code;
}
