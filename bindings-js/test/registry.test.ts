import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { handlerFiles, HandlerRegistry, loadHandlers, StepHandler, ValidationError } from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "tasker-ts-registry-"));
after(() => rmSync(root, { recursive: true, force: true }));
const indexUrl = pathToFileURL(join(import.meta.dirname, "..", "src", "index.js")).href;

function handlerSource(className: string, name: string): string {
  return `import { StepHandler } from ${JSON.stringify(indexUrl)};
export class ${className} extends StepHandler {
  static handlerName = ${JSON.stringify(name)};
  call() { return this.success({ from: ${JSON.stringify(className)} }); }
}
export const notAHandler = 42;\n`;
}

function dir(name: string, files: Record<string, string>): string {
  const d = join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(d, file, ".."), { recursive: true });
    writeFileSync(join(d, file), text);
  }
  return d;
}

describe("loadHandlers", () => {
  it("imports .js and .mjs files recursively and registers exported handler classes", async () => {
    const d = dir("ok", {
      "a.js": handlerSource("A", "ns.a"),
      "nested/deeper/b.mjs": handlerSource("B", "ns.b"),
      "types.d.ts": "export {};",
      "readme.txt": "not code",
      "node_modules/x/c.js": handlerSource("C", "ns.c"),
    });
    const registry = await loadHandlers(d);
    assert.deepEqual(registry.names(), ["ns.a", "ns.b"]);
    assert.equal(registry.get("ns.a"), registry.get("ns.a"), "one instance per handler");
    assert.equal(registry.get("ns.none"), undefined);
  });

  it("lists .ts files only when Node can import them", () => {
    const d = dir("ts", { "h.ts": "export {};", "h.d.ts": "export {};", "g.js": "" });
    assert.deepEqual(handlerFiles(d, false).map((f) => f.slice(d.length)), ["/g.js"]);
    assert.deepEqual(handlerFiles(d, true).map((f) => f.slice(d.length)), ["/g.js", "/h.ts"]);
  });

  it("names both files when two classes claim one handlerName", async () => {
    const d = dir("dup", { "a.js": handlerSource("A", "ns.same"), "b.js": handlerSource("B", "ns.same") });
    await assert.rejects(loadHandlers(d), (e: Error) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.message, /'ns\.same' is defined twice: A in .*a\.js and B in .*b\.js/);
      return true;
    });
  });

  it("names the file that fails to import", async () => {
    const d = dir("broken", { "bad.js": "export const = ;" });
    await assert.rejects(loadHandlers(d), /cannot import handler file .*bad\.js/);
  });

  it("rejects a missing directory or a file given as directory", async () => {
    await assert.rejects(loadHandlers(join(root, "nope")), /does not exist/);
    const d = dir("file", { "f.js": "" });
    await assert.rejects(loadHandlers(join(d, "f.js")), /is not a directory/);
  });
});

describe("HandlerRegistry.register", () => {
  it("refuses classes without a handlerName", () => {
    class Nameless extends StepHandler {
      call() {
        return this.success();
      }
    }
    assert.throws(() => new HandlerRegistry().register(Nameless as never), /non-empty static handlerName/);
  });
});
