/**
 * The npm tarball (build-package.sh) installs offline into an empty project, and a worker run
 * from the installed copy (its own addon, libtasker.so and jar; no development overrides) takes a
 * linear workflow to the expected result.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TaskerClient } from "../src/index.js";
import { freshDatabase, type TestDatabase } from "./support/database.js";
import { CONFORMANCE_DIR, startWorker, stopWorker } from "./support/worker-process.js";

const tgz = process.env["TASKER_PACKAGE_TGZ"];
const skip =
  tgz !== undefined && existsSync(tgz)
    ? false
    : process.env["TASKER_REQUIRE_NATIVE"] === "1"
      ? (() => {
          throw new Error(`TASKER_PACKAGE_TGZ=${tgz} does not exist`);
        })()
      : "set TASKER_PACKAGE_TGZ to the tarball of build-package.sh";

const HANDLER = `import { StepHandler } from "tasker-core-ts";
const big = (v) => BigInt(v);
const out = (n) => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
export class SquareInput extends StepHandler {
  static handlerName = "conformance.square_input";
  call(ctx) { const n = big(ctx.getInput(ctx.getConfig("input_key"))); return this.success({ value: out(n * n) }); }
}
export class SquareParents extends StepHandler {
  static handlerName = "conformance.square_parents";
  call(ctx) {
    let p = 1n;
    for (const r of Object.values(ctx.dependencyResults)) p *= big(r.value);
    return this.success({ value: out(p * p) });
  }
}
`;


describe("installed package", { skip }, () => {
  let project: string;
  let db: TestDatabase;

  before(() => {
    project = mkdtempSync(join(tmpdir(), "tasker-ts-install-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tgz as string], { cwd: project, stdio: "pipe" });
    db = freshDatabase("package");
    process.env["DATABASE_URL"] = db.url;
  });

  after(() => {
    db?.drop();
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
  });

  it("ships the addon, libtasker.so, the core jar and types", () => {
    const installed = join(project, "node_modules", "tasker-core-ts");
    const lib = readdirSync(join(installed, "lib"));
    for (const file of ["tasker_node.node", "libtasker.so"]) assert.ok(lib.includes(file), `${file} in ${lib.join(", ")}`);
    assert.ok(lib.some((f) => f.endsWith(".jar")), "a core jar");
    assert.ok(existsSync(join(installed, "dist", "index.d.ts")));
    const version = execFileSync(join(project, "node_modules", ".bin", "tasker-ts"), ["--version"], { encoding: "utf8" });
    assert.equal(version.trim(), "0.1.0");
  });

  it("runs a worker from the installed copy", async () => {
    const handlers = join(project, "handlers");
    execFileSync("mkdir", ["-p", handlers]);
    writeFileSync(join(handlers, "square.js"), HANDLER);
    const env: Record<string, string> = { DATABASE_URL: db.url, TASKER_LIBRARY: "", TASKER_CLASSPATH: "", TASKER_NODE_ADDON: "" };
    const bin = join(project, "node_modules", "tasker-core-ts", "dist", "bin.js");
    const worker = startWorker(["--templates", join(CONFORMANCE_DIR, "templates"), "--handlers", handlers], env, bin);
    try {
      await worker.ready;
      const client = TaskerClient.open();
      const task = await client.createTask({ namespace: "conformance", name: "linear_workflow", context: { even_number: 6 } });
      const done = await client.waitForTask(task.task_uuid, 60_000);
      assert.equal(done.state, "complete", worker.output());
      assert.deepEqual(done.steps.find((s) => s.name === "linear_step_4")?.result, { value: 2821109907456 });
    } finally {
      assert.equal(await stopWorker(worker), 0, worker.output());
    }
  });
});
