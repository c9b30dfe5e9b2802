/**
 * The conformance suite inside the JVM, on Javet (Node mode): bundled to one script by
 * `npm run bundle:javet` and run by JavetConformanceTest (JUnit). The same handlers and the same
 * case checks as test/conformance.test.ts; the worker runs in this runtime (there is no child
 * process in a JVM host), and libtasker attaches to the JVM that runs Javet.
 *
 * In: `globalThis.taskerJavetConfig` (JSON: library, classpath, conformanceDir, databaseUrl).
 * Out: `globalThis.taskerJavetReport` (JSON: attached, javaVersion, cases [{id, problems}]).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HandlerRegistry, Libtasker, TaskerClient, ValidationError, Worker, type TaskDocument } from "../../src/index.js";
import * as conformance from "../handlers/conformance.js";
import { checkTask, parseCases, templateKey } from "../support/conformance.js";

interface JavetConfig {
  library: string;
  classpath: string[];
  conformanceDir: string;
  databaseUrl: string;
}

interface CaseReport {
  id: string;
  problems: string[];
}

const globals = globalThis as unknown as { taskerJavetConfig: string; taskerJavetReport?: string };

async function run(): Promise<object> {
  const config = JSON.parse(globals.taskerJavetConfig) as JavetConfig;
  process.env["DATABASE_URL"] = config.databaseUrl;
  const lib = Libtasker.open({ library: config.library, classpath: config.classpath, databaseUrl: config.databaseUrl });
  const registry = new HandlerRegistry();
  for (const value of Object.values(conformance)) {
    if (typeof value === "function" && "handlerName" in value) registry.register(value as never, "handlers/conformance.ts");
  }
  const worker = new Worker(lib, registry, {
    templatesDir: join(config.conformanceDir, "templates"),
    databaseUrl: config.databaseUrl,
    concurrency: 16,
    withOrchestrator: true,
  });
  worker.start();
  const client = new TaskerClient(lib);
  const cases = parseCases(readFileSync(join(config.conformanceDir, "expected.yaml"), "utf8"));
  const reports: Promise<CaseReport>[] = cases.map(async (c) => {
    const problems: string[] = [];
    try {
      const task = await client.createTask({ ...templateKey(c), context: c.context, idempotencyKey: `javet-${c.id}-${Date.now()}` });
      if (c.rejected === true) return { id: c.id, problems: ["task creation was accepted; expected a validation error"] };
      const doc: TaskDocument = await client.waitForTask(task.task_uuid, 90_000);
      problems.push(...checkTask(c, doc));
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (c.rejected !== true || !(error instanceof ValidationError) || !/even_number/.test(text + JSON.stringify(error.errors))) {
        problems.push(`unexpected error ${text}`);
      }
    }
    return { id: c.id, problems };
  });
  const results = await Promise.all(reports);
  await worker.stop(2000);
  return { attached: lib.init.attached, javaVersion: lib.init.java_version, stats: worker.stats, cases: results };
}

run().then(
  (report) => (globals.taskerJavetReport = JSON.stringify(report)),
  (error: unknown) => (globals.taskerJavetReport = JSON.stringify({ fatal: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error) })),
);
