/**
 * SIGINT/SIGTERM while a handler runs: the worker stops polling, lets the handler finish within
 * the grace period (its result is recorded), or fails it as retryable `worker_shutdown` when the
 * grace period is over; either way it exits 0.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { TaskerClient, type StepDocument } from "../src/index.js";
import { freshDatabase, type TestDatabase } from "./support/database.js";
import { exitWithoutTeardown, nativeSkipReason } from "./support/native.js";
import { startWorker, stopWorker, TEST_HANDLERS } from "./support/worker-process.js";

const skip = nativeSkipReason();
if (skip === false) exitWithoutTeardown();
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
      const first = await client.createTask({ namespace: "ts_signals", name: "stray_rejection", context: {} });
      assert.equal((await client.waitForTask(first.task_uuid, 30_000)).state, "complete");
      const second = await client.createTask({ namespace: "ts_signals", name: "stray_rejection", context: {} });
      assert.equal((await client.waitForTask(second.task_uuid, 30_000)).state, "complete", "the worker still serves");
    } finally {
      assert.equal(await stopWorker(worker), 0, worker.output());
    }
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
