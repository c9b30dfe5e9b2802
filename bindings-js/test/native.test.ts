/**
 * The native layer in this process, against a real database: the ABI check, typed errors for bad
 * input of every kind, and an event loop that keeps running while a poll waits.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { Worker as WorkerThread } from "node:worker_threads";
import { after, before, describe, it } from "node:test";
import {
  HandlerRegistry,
  Libtasker,
  NotFoundError,
  TaskerClient,
  UnknownEventError,
  ValidationError,
  Worker,
} from "../src/index.js";
import { freshDatabase, type TestDatabase } from "./support/database.js";
import { Sleep } from "./handlers/sleep.js";
import { nativeSkipReason } from "./support/native.js";
import { CONFORMANCE_DIR } from "./support/worker-process.js";

const skip = nativeSkipReason();

describe("libtasker from Node", { skip }, () => {
  let db: TestDatabase;
  let lib: Libtasker;
  let client: TaskerClient;
  let worker: Worker;

  before(async () => {
    db = freshDatabase("native");
    process.env["DATABASE_URL"] = db.url;
    lib = Libtasker.open();
    client = new TaskerClient(lib);
    // a worker for a namespace nobody sends to: its polls just wait
    worker = new Worker(lib, new HandlerRegistry().register(Sleep), { namespaces: ["ts_idle"], pollTimeoutMs: 1000, databaseUrl: db.url });
    worker.start();
  });

  after(async () => {
    await worker?.stop(0);
    db?.drop();
  });

  it("boots the JVM and reports ABI version 1", () => {
    assert.equal(lib.init.abi_version, 1);
    assert.match(lib.init.java_version, /^2[5-9]/);
    assert.equal(Libtasker.open(), lib, "one library per process");
  });

  it("keeps the event loop running while a poll waits", async () => {
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 10);
    const started = performance.now();
    const events = await lib.pollText(1, 800); // a second poll beside the worker's own
    const waited = performance.now() - started;
    clearInterval(timer);
    assert.equal(events, "[]");
    assert.ok(waited >= 700, `the poll waited ${waited} ms`);
    // a poll on the event loop would have stalled the timer for the whole wait
    assert.ok(gaps.length >= 20, `the timer fired ${gaps.length} times during an 800 ms poll`);
    assert.ok(Math.max(...gaps) < 400, `longest timer gap ${Math.max(...gaps)} ms`);
  });

  it("answers a poll while more client calls wait than libuv's pool has threads", async () => {
    await client.registerTemplate(readFileSync(join(CONFORMANCE_DIR, "templates", "linear_workflow.yaml"), "utf8"));
    // no worker serves `conformance` here: the task stays pending and every wait runs to its timeout
    const task = await client.createTask({ namespace: "conformance", name: "linear_workflow", context: { even_number: 8 } });
    const settled: string[] = [];
    const waits = [0, 1, 2, 3, 4, 5].map((i) =>
      client.waitForTask(task.task_uuid, 3000).then(
        () => settled.push(`wait ${i} ended`),
        () => settled.push(`wait ${i} timed out`),
      ),
    );
    await lib.pollText(1, 100).then(() => settled.push("poll"));
    assert.deepEqual(settled, ["poll"], "the poll settled while all six waits were still waiting");
    await Promise.all(waits);
    assert.equal(settled.length, 7);
  });

  it("drops the result of a call whose worker_thread was terminated while it waited", async () => {
    const index = pathToFileURL(join(import.meta.dirname, "..", "src", "index.js")).href;
    const code = `import(${JSON.stringify(index)}).then(({ Libtasker }) => {
      const lib = Libtasker.open();
      const polled = lib.pollText(1, 1500);
      require("node:worker_threads").parentPort.postMessage("polling");
      return polled;
    });`;
    const thread = new WorkerThread(code, { eval: true });
    await once(thread, "message");
    await thread.terminate(); // its environment goes away while its poll still waits
    await sleep(2000); // the poll returns into a torn-down environment
    assert.equal(typeof lib.workerStatus(), "object", "this thread's calls still work");
    assert.equal(await lib.pollText(1, 10), "[]");
  });

  it("rejects malformed completions with the JSON path, touching nothing", () => {
    assert.throws(() => lib.completeText("{not json"), ValidationError);
    assert.throws(() => lib.complete({ event_id: "x", result: { success: "yes", status: "completed" } }), (e: ValidationError) => {
      assert.ok(e instanceof ValidationError);
      assert.match(`${e.path ?? ""} ${e.message}`, /success/);
      return true;
    });
    assert.throws(() => lib.complete({ event_id: "x", result: { success: true, status: "completed", result: 1 }, extra: 1 }), ValidationError);
  });

  it("reports completions for events it never dispatched", () => {
    const completion = { event_id: "never-dispatched", result: { success: true, status: "completed", result: {} } };
    assert.throws(() => lib.complete(completion), UnknownEventError);
    const batch = lib.complete([completion]) as { completed: number; rejected: { event_id: string; code: number }[] };
    assert.equal(batch.completed, 0);
    assert.equal(batch.rejected[0]?.event_id, "never-dispatched");
    assert.equal(batch.rejected[0]?.code, -4);
  });

  it("rejects bad arguments at the addon with a clear message", () => {
    assert.throws(() => lib.addon.complete(42 as never), /expected a string argument/);
    assert.throws(() => lib.addon.pollNow(-1), /max must be an integer/);
    assert.throws(() => lib.addon.poll(1, 2 ** 40) as never, /timeoutMs must be an integer/);
  });

  it("client: unknown op, unknown task, invalid context", async () => {
    await assert.rejects(client.request("task.frobnicate"), ValidationError);
    await assert.rejects(client.getTask("00000000-0000-7000-8000-000000000000"), NotFoundError);
    await client.registerTemplate(readFileSync(join(CONFORMANCE_DIR, "templates", "linear_workflow.yaml"), "utf8"));
    await assert.rejects(
      client.createTask({ namespace: "conformance", name: "linear_workflow", context: { even_number: "six" } }),
      (e: ValidationError) => e instanceof ValidationError && /even_number/.test(e.message + (e.path ?? "") + JSON.stringify(e.errors)),
    );
  });

  it("health answers", async () => {
    const health = await client.health();
    assert.equal(typeof health, "object");
  });
});
