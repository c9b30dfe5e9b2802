/**
 * SIGINT/SIGTERM while a handler runs: the worker stops polling, lets the handler finish within
 * the grace period (its result is recorded), or fails it as retryable `worker_shutdown` when the
 * grace period is over; either way it exits 0. And a process hosting the JVM ends on
 * `process.exit` even while a call waits off the event loop.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { TaskerClient, type StepDocument } from "../src/index.js";
import { freshDatabase, type TestDatabase } from "./support/database.js";
import { nativeSkipReason } from "./support/native.js";
import { startWorker, stopWorker, TEST_HANDLERS, waitForExit, type WorkerProcess } from "./support/worker-process.js";

const skip = nativeSkipReason();
const TEMPLATES = join(import.meta.dirname, "..", "..", "test", "fixtures", "templates");

describe("shutdown on a signal during a long handler", { skip }, () => {
  let db: TestDatabase;
  let client: TaskerClient;

  before(() => {
    db = freshDatabase("shutdown");
    process.env["DATABASE_URL"] = db.url;
  });
  after(() => db?.drop());

  async function runningStep(taskUuid: string): Promise<StepDocument> {
    for (let i = 0; i < 300; i++) {
      const steps = await client.listSteps(taskUuid);
      const step = steps.find((s) => s.name === "sleepy");
      if (step !== undefined && step.state === "in_progress") return step;
      await sleep(50);
    }
    throw new Error("the step never started");
  }

  it("survives a handler's unhandled promise rejection", async () => {
    const worker = startWorker(["--templates", TEMPLATES, "--handlers", TEST_HANDLERS], { DATABASE_URL: db.url });
    try {
      await worker.ready;
      client ??= TaskerClient.open();
      const first = await client.createTask({ namespace: "ts_signals", name: "stray_rejection", context: {}, idempotencyKey: `stray-1-${process.pid}` });
      assert.equal((await client.waitForTask(first.task_uuid, 30_000)).state, "complete");
      const second = await client.createTask({ namespace: "ts_signals", name: "stray_rejection", context: {}, idempotencyKey: `stray-2-${process.pid}` });
      assert.equal((await client.waitForTask(second.task_uuid, 30_000)).state, "complete", "the worker still serves");
    } finally {
      assert.equal(await stopWorker(worker), 0, worker.output());
    }
  });

  it("process.exit ends a process whose poll is still waiting (10 minutes)", async () => {
    const index = pathToFileURL(join(import.meta.dirname, "..", "src", "index.js")).href;
    const script = `import { Libtasker } from ${JSON.stringify(index)};
const lib = Libtasker.open();
lib.workerStart({ namespaces: ["ts_nobody"], handlers: ["test.none"] });
void lib.pollText(1, 600000);
setTimeout(() => { console.log("exiting"); process.exit(0); }, 200);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | string>((r) => child.on("exit", (code, signal) => r(code ?? signal ?? -1)));
    const proc: WorkerProcess = { child, ready: Promise.resolve(), exited, output: () => output };
    const code = await waitForExit(proc, 60_000);
    if (code === undefined) child.kill("SIGKILL");
    assert.equal(code, 0, output);
    assert.match(output, /exiting/);
  });

  for (const [signal, graceMs, sleepMs, expectFinished] of [
    ["SIGINT", 20_000, 1500, true],
    ["SIGTERM", 300, 30_000, false],
  ] as const) {
    it(`${signal} with ${graceMs} ms grace and a ${sleepMs} ms handler ${expectFinished ? "finishes it" : "fails it as worker_shutdown"}`, async () => {
      const worker = startWorker(["--templates", TEMPLATES, "--handlers", TEST_HANDLERS, "--grace-ms", String(graceMs)], {
        DATABASE_URL: db.url,
      });
      await worker.ready;
      client ??= TaskerClient.open();
      const task = await client.createTask({ namespace: "ts_signals", name: "slow_step", context: { sleep_ms: sleepMs } });
      await runningStep(task.task_uuid);
      const signalledAt = Date.now();
      assert.equal(await stopWorker(worker, signal, graceMs + 20_000), 0, worker.output());
      const exitMs = Date.now() - signalledAt;
      const step = (await client.listSteps(task.task_uuid)).find((s) => s.name === "sleepy");
      assert.ok(step !== undefined);
      if (expectFinished) {
        assert.equal(step.state, "complete", JSON.stringify(step));
        assert.deepEqual(step.result, { slept_ms: sleepMs });
        assert.equal((await client.getTask(task.task_uuid)).state, "complete");
      } else {
        assert.ok(exitMs < sleepMs, `exited after ${exitMs} ms, before the handler would have finished`);
        assert.equal(step.error?.error_type, "worker_shutdown", JSON.stringify(step));
        assert.equal(step.error?.retryable, true);
        assert.equal(step.attempts, 1);
        assert.notEqual(step.state, "complete");
      }
    });
  }
});
