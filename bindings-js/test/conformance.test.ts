/**
 * Every case of shared/conformance/expected.yaml with the TypeScript handlers of test/handlers,
 * through the real worker entry point (a `tasker-ts worker` child process) and a real database:
 * tasks are created with TaskerClient, run concurrently, and each final task document is compared
 * with its case.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TaskerClient, ValidationError, type TaskDocument } from "../src/index.js";
import { checkTask, parseCases, templateKey } from "./support/conformance.js";
import { freshDatabase, type TestDatabase } from "./support/database.js";
import { nativeSkipReason } from "./support/native.js";
import { CONFORMANCE_DIR, startWorker, stopWorker, TEST_HANDLERS, type WorkerProcess } from "./support/worker-process.js";

const skip = nativeSkipReason();
const cases = parseCases(readFileSync(join(CONFORMANCE_DIR, "expected.yaml"), "utf8"));

describe("conformance (tasker-ts worker process)", { skip }, () => {
  let db: TestDatabase;
  let worker: WorkerProcess;
  let client: TaskerClient;
  const outcomes = new Map<string, Promise<TaskDocument>>();
  const rejections = new Map<string, unknown>();

  before(async () => {
    db = freshDatabase("conformance");
    process.env["DATABASE_URL"] = db.url;
    worker = startWorker(["--templates", join(CONFORMANCE_DIR, "templates"), "--handlers", TEST_HANDLERS, "--concurrency", "16", "--with-orchestrator"], {
      DATABASE_URL: db.url,
    });
    await worker.ready;
    client = TaskerClient.open();
    for (const c of cases) {
      const key = templateKey(c);
      try {
        const task = await client.createTask({ ...key, context: c.context, idempotencyKey: `ts-${c.id}-${process.pid}` });
        const final = client.waitForTask(task.task_uuid, 90_000);
        final.catch(() => undefined); // awaited (and reported) by the case's test
        outcomes.set(c.id, final);
      } catch (error) {
        rejections.set(c.id, error);
      }
    }
  });

  after(async () => {
    const code = worker === undefined ? 0 : await stopWorker(worker);
    db?.drop();
    assert.equal(code, 0, `worker exit code; output:\n${worker?.output()}`);
  });

  for (const c of cases) {
    it(c.id, async () => {
      if (c.rejected === true) {
        const error = rejections.get(c.id);
        assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
        assert.match(error.message + JSON.stringify(error.errors) + (error.path ?? ""), /even_number/);
        return;
      }
      assert.equal(rejections.get(c.id), undefined, `task creation failed: ${String(rejections.get(c.id))}`);
      const doc = await outcomes.get(c.id);
      assert.ok(doc !== undefined);
      assert.deepEqual(checkTask(c, doc), [], `${c.id}\nworker output:\n${worker.output().slice(-3000)}`);
    });
  }
});
