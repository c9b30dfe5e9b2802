/**
 * Benchmarks of the TypeScript worker (numbers go to docs/benchmarks.md; nothing is asserted):
 *  1. poll+complete round trip per event from Node: the time spent in the calls (pollNow, JSON
 *     parse, building and sending the completion), excluding the wait for events, batched (up to 64
 *     events per call) and one event at a time;
 *  2. end to end, creation → complete P50/P95 of the 4-step linear and diamond shapes with no-op
 *     TypeScript handlers through the Worker loop (compare with `scripts/tasker bench e2e`).
 * Usage: node build/bench/bench.js [--tasks N] [--events N]   (DATABASE_URL: a scratch database)
 */
import { parseArgs } from "node:util";
import {
  HandlerRegistry,
  Libtasker,
  parseJson,
  StepHandler,
  TaskerClient,
  Worker,
  type StepEvent,
  type StepHandlerResult,
} from "../src/index.js";

/** Task identity includes the context: every bench task gets a distinct one. */
let seq = 0;
const ctx = (): { seq: number; run: number } => ({ seq: seq++, run: RUN });
const RUN = Date.now();

class Noop extends StepHandler {
  static override handlerName = "bench.noop";
  call(): StepHandlerResult {
    return this.success({ ok: true });
  }
}

const SHAPES: Record<string, Record<string, string[]>> = {
  linear: { a: [], b: ["a"], c: ["b"], d: ["c"] },
  diamond: { a: [], b: ["a"], c: ["a"], d: ["b", "c"] },
  single: { a: [] },
};

function templateYaml(namespace: string, name: string, steps: Record<string, string[]>): string {
  const lines = [`name: ${name}`, `namespace_name: ${namespace}`, "version: 1.0.0", "steps:"];
  for (const [step, deps] of Object.entries(steps)) {
    lines.push(`  - name: ${step}`, `    handler: {callable: bench.noop}`);
    if (deps.length > 0) lines.push(`    dependencies: [${deps.join(", ")}]`);
  }
  return lines.join("\n") + "\n";
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/** Round trips with up to `max` events per poll: the time in pollNow + parse + complete per event. */
async function roundTrip(lib: Libtasker, count: number, max: number): Promise<number> {
  let done = 0;
  let inCalls = 0;
  while (done < count) {
    const t0 = performance.now();
    const events = parseJson(lib.pollNowText(max)) as unknown as StepEvent[];
    if (events.length === 0) {
      await new Promise((r) => setImmediate(r)); // waiting for events is not counted
      continue;
    }
    const completions = events.map(
      (e) => `{"event_id":${JSON.stringify(e.event_id)},"result":{"success":true,"status":"completed","result":{"ok":true}}}`,
    );
    lib.completeText(completions.length === 1 ? (completions[0] as string) : `[${completions.join(",")}]`);
    inCalls += performance.now() - t0;
    done += events.length;
  }
  return (inCalls * 1000) / done;
}

async function e2e(client: TaskerClient, shape: string, tasks: number): Promise<{ p50: number; p95: number; create: number }> {
  const total: number[] = [];
  const create: number[] = [];
  for (let i = 0; i < tasks; i++) {
    const t0 = performance.now();
    const task = await client.createTask({ namespace: "bench_ts", name: shape, context: ctx() });
    const t1 = performance.now();
    const final = await client.waitForTask(task.task_uuid, 60_000);
    const t2 = performance.now();
    if (final.state !== "complete") throw new Error(`bench task ended ${final.state}`);
    create.push(t1 - t0);
    total.push(t2 - t0);
  }
  total.sort((a, b) => a - b);
  create.sort((a, b) => a - b);
  return { p50: percentile(total, 0.5), p95: percentile(total, 0.95), create: percentile(create, 0.5) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tasks: { type: "string", default: "200" }, events: { type: "string", default: "2000" } } });
  const tasks = Number(values.tasks);
  const events = Number(values.events);
  const lib = Libtasker.open();
  const client = new TaskerClient(lib);
  for (const [name, steps] of Object.entries(SHAPES)) {
    await client.registerTemplate(templateYaml(name === "single" ? "bench_rt" : "bench_ts", name, steps));
  }
  const registry = new HandlerRegistry().register(Noop);
  const report: Record<string, unknown> = {};

  // 1. round trips on the bridge's loopback worker (events without a database: the ABI itself)
  lib.workerStart({ loopback: { payload_bytes: 200 }, concurrency: 256 });
  await roundTrip(lib, 2000, 64); // warm-up
  report["roundtrip_batched_us_per_event"] = await roundTrip(lib, events, 64);
  report["roundtrip_single_us_per_event"] = await roundTrip(lib, Math.min(events, 5000), 1);
  await lib.workerStop(1000);

  // 2. end to end through the Worker loop
  const worker = new Worker(lib, registry, { namespaces: ["bench_ts", "bench_rt"], concurrency: 32 });
  worker.start();
  for (const shape of ["linear", "diamond"]) {
    await e2e(client, shape, Math.min(50, tasks)); // warm-up
    report[shape] = await e2e(client, shape, tasks);
  }
  await worker.stop(1000);

  const fmt = (n: number): string => n.toFixed(2);
  console.log("| measure | value |\n|---|---:|");
  console.log(`| poll+complete per event, batched (≤64) | ${fmt(report["roundtrip_batched_us_per_event"] as number)} µs |`);
  console.log(`| poll+complete per event, one at a time | ${fmt(report["roundtrip_single_us_per_event"] as number)} µs |`);
  for (const shape of ["linear", "diamond"]) {
    const r = report[shape] as { p50: number; p95: number; create: number };
    console.log(`| ${shape} e2e P50 / P95 (creation P50) | ${fmt(r.p50)} / ${fmt(r.p95)} ms (${fmt(r.create)} ms) |`);
  }
  console.log(JSON.stringify(report));
  lib.addon.exitNow(0); // see docs/typescript.md, known issues: process exit
}

await main();
