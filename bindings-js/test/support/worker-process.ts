/** The real worker entry point (`tasker-ts worker …`) as a child process. */
import { spawn, type ChildProcess } from "node:child_process";
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

/** Resolves with the exit code (or the signal name), or undefined when still running after `ms`. */
export async function waitForExit(worker: WorkerProcess, ms: number): Promise<number | string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  try {
    return await Promise.race([worker.exited, late]);
  } finally {
    clearTimeout(timer);
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
  return code;
}
