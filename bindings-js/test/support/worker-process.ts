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
