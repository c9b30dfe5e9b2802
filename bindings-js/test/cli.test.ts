import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseWorkerArgs, UsageError } from "../src/cli.js";

const bin = join(import.meta.dirname, "..", "src", "bin.js");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 20_000 });
}

describe("parseWorkerArgs", () => {
  it("reads every flag", () => {
    const cmd = parseWorkerArgs([
      "--templates", "/t", "--handlers", "/h", "--namespace", "a", "--namespace", "b,c", "--concurrency", "8",
      "--database-url", "postgresql://x/y", "--grace-ms", "0", "--with-orchestrator",
    ]);
    assert.deepEqual(cmd, {
      templates: "/t",
      handlers: "/h",
      namespaces: ["a", "b", "c"],
      concurrency: 8,
      databaseUrl: "postgresql://x/y",
      graceMs: 0,
      withOrchestrator: true,
    });
  });

  it("rejects bad input with a precise message", () => {
    const bad: [string[], RegExp][] = [
      [["--templates", "/t"], /--handlers DIR is required/],
      [["--handlers", "/h"], /--templates DIR or at least one --namespace/],
      [["--handlers", "/h", "--namespace", "a", "--concurrency", "0"], /--concurrency must be an integer >= 1, got '0'/],
      [["--handlers", "/h", "--namespace", "a", "--concurrency", "two"], /got 'two'/],
      [["--handlers", "/h", "--namespace", "a", "--bogus"], /bogus/],
      [["--handlers", "/h", "--namespace", "a", "stray"], /stray/],
    ];
    for (const [args, message] of bad) {
      assert.throws(() => parseWorkerArgs(args), (e: Error) => e instanceof UsageError && message.test(e.message), args.join(" "));
    }
  });
});

describe("tasker-ts executable", () => {
  it("--help documents every flag and exits 0", () => {
    const r = cli("worker", "--help");
    assert.equal(r.status, 0);
    for (const flag of ["--templates", "--handlers", "--namespace", "--concurrency", "--database-url", "--grace-ms", "--with-orchestrator"]) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  it("exits 2 with the usage on a usage error", () => {
    const r = cli("worker", "--templates", "/t");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--handlers DIR is required/);
    assert.equal(cli("frobnicate").status, 2);
  });

  it("exits 1 naming the directory when the handlers cannot be loaded", () => {
    const r = cli("worker", "--namespace", "x", "--handlers", "/no/such/dir");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ValidationError \(-1\): --handlers directory \/no\/such\/dir does not exist/);
  });

  it("--version prints the package version", () => {
    const r = cli("--version");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
