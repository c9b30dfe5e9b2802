/**
 * Benchmarks of the TypeScript worker (numbers go to docs/benchmarks.md; nothing is asserted):
 *  1. poll+complete round trip per event from Node on the bridge's loopback worker (no database):
 *     the time spent in the calls (pollNow, JSON parse, building and sending the completion),
 *     excluding the wait for events, batched (up to 64 events per call) and one event at a time,
 *     with the CPU time of the event-loop thread in those calls (it runs the upcalls too; for one
 *     event per poll it includes reading the counter, a few µs), next to the cost of one trivial
 *     call (`workerStatus`: addon + libtasker + upcall, no work);
 *  2. end to end, creation → complete P50/P95 of the conformance linear and diamond workflows (4
 *     steps each), run once by a `tasker-ts worker` (the TypeScript handlers of test/handlers) and
 *     once by a Java `tasker worker` (the Java handlers of examples/), the same client loop in this
 *     process for both, one task at a time after a warm-up.
 * Usage: node build/bench/bench.js [--tasks N] [--events N] [--only roundtrip|e2e]
 * (a scratch database is created and dropped)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Libtasker, parseJson, TaskerClient, type StepEvent } from "../src/index.js";
import { freshDatabase } from "../test/support/database.js";
import { BIN, CONFORMANCE_DIR, TEST_HANDLERS } from "../test/support/worker-process.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const TEMPLATES = join(CONFORMANCE_DIR, "templates");
const SHAPES = ["linear_workflow", "diamond_workflow"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

interface RoundTrip {
  /** µs per event in the calls, and its parts: pollNow, JSON.parse of the events, building and sending the completions. */
  total: number;
  poll: number;
  parse: number;
  complete: number;
  /** CPU time of the event-loop thread in those calls per event (it runs the upcalls too). */
  cpu: number;
  eventsPerPoll: number;
}

/** CPU time (ns) this thread has run: unlike wall time, not inflated by other processes' load. */
function threadCpuNs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
}

/** Round trips with up to `max` events per poll; waiting for events is not counted. */
async function roundTrip(lib: Libtasker, count: number, max: number): Promise<RoundTrip> {
  let [done, polls, poll, parse, complete, cpuNs] = [0, 0, 0, 0, 0, 0];
  while (done < count) {
    const c0 = threadCpuNs();
    const t0 = performance.now();
    const text = lib.pollNowText(max);
    const t1 = performance.now();
    const events = parseJson(text) as unknown as StepEvent[];
    if (events.length === 0) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    const t2 = performance.now();
    const completions = events.map(
      (e) => `{"event_id":${JSON.stringify(e.event_id)},"result":{"success":true,"status":"completed","result":{"ok":true}}}`,
    );
    lib.completeText(completions.length === 1 ? (completions[0] as string) : `[${completions.join(",")}]`);
    const t3 = performance.now();
    cpuNs += threadCpuNs() - c0;
    [poll, parse, complete] = [poll + t1 - t0, parse + t2 - t1, complete + t3 - t2];
    done += events.length;
    polls++;
  }
  const us = (ms: number): number => (ms * 1000) / done;
  const cpu = cpuNs / 1000 / done;
  return { total: us(poll + parse + complete), poll: us(poll), parse: us(parse), complete: us(complete), cpu, eventsPerPoll: done / polls };
}

/** µs per trivial call through the addon, libtasker and one upcall. */
function callCost(lib: Libtasker, count: number): number {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) lib.addon.workerStatus();
  return ((performance.now() - t0) * 1000) / count;
}

interface Latency {
  p50: number;
  p95: number;
}

async function e2e(client: TaskerClient, tasks: number, warmup: number): Promise<Record<string, Latency>> {
  const out: Record<string, Latency> = {};
  for (const name of SHAPES) {
    const times: number[] = [];
    for (let i = 0; i < warmup + tasks; i++) {
      const t0 = performance.now();
      const task = await client.createTask({ namespace: "conformance", name, context: { even_number: 2 * (i % 50) + 2 }, idempotencyKey: `bench-${process.pid}-${name}-${Date.now()}-${i}` });
      const final = await client.waitForTask(task.task_uuid, 60_000);
      if (final.state !== "complete") throw new Error(`${name} ended ${final.state}`);
      if (i >= warmup) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
  }
  return out;
}

/** Starts a worker process and resolves once it printed `ready`. */
function startProcess(command: string, args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(ready)) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGTERM");
  await exited;
}

function examplesJar(): string {
  const dir = join(REPO, "examples", "target");
  const jar = readdirSync(dir).find((f) => /^tasker-examples-.*\d\.jar$/.test(f));
  if (jar === undefined) throw new Error(`no examples jar in ${dir}: build the examples module first`);
  return join(dir, jar);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tasks: { type: "string", default: "200" }, events: { type: "string", default: "20000" }, only: { type: "string" } },
  });
  const tasks = Number(values.tasks);
  const events = Number(values.events);
  const db = freshDatabase("bench");
  process.env["DATABASE_URL"] = db.url;
  const report: Record<string, unknown> = {};
  try {
    const lib = Libtasker.open();
    const client = new TaskerClient(lib);

    // 1. the ABI from Node on the loopback worker
    if (values.only !== "e2e") await abi(lib, events, report);
    // 2. end to end: the TypeScript worker, then the Java worker, the same client loop
    if (values.only !== "roundtrip") await endToEnd(client, tasks, report);
  } finally {
    db.drop();
  }
  print(report);
  console.log(JSON.stringify({ benchmark: "ts", tasks, events, ...report }));
}

async function abi(lib: Libtasker, events: number, report: Record<string, unknown>): Promise<void> {
  lib.workerStart({ loopback: { payload_bytes: 200 }, concurrency: 256 });
  // warm-up: the JIT compiles the bridge's call paths after some 10,000 calls, not events
  await roundTrip(lib, 50_000, 1);
  await roundTrip(lib, 100_000, 64);
  callCost(lib, 20_000);
  report["call_us"] = callCost(lib, 100_000);
  report["roundtrip_batched"] = await roundTrip(lib, events, 64);
  report["roundtrip_single"] = await roundTrip(lib, events, 1);
  await lib.workerStop(1000);
}

async function endToEnd(client: TaskerClient, tasks: number, report: Record<string, unknown>): Promise<void> {
  const warmup = Math.min(30, tasks);
  const tsArgs = [BIN, "worker", "--templates", TEMPLATES, "--handlers", TEST_HANDLERS, "--namespace", "conformance", "--concurrency", "16"];
  const ts = await startProcess(process.execPath, tsArgs, "worker ready");
  try {
    report["typescript"] = await e2e(client, tasks, warmup);
  } finally {
    await stopProcess(ts);
  }
  const javaArgs = ["worker", "--templates", TEMPLATES, "--handlers-classpath", examplesJar(), "--namespace", "conformance", "--concurrency", "16"];
  const java = await startProcess(join(REPO, "scripts", "tasker"), javaArgs, "worker started");
  try {
    report["java"] = await e2e(client, tasks, warmup);
  } finally {
    await stopProcess(java);
  }
}

function print(report: Record<string, unknown>): void {
  const fmt = (n: number): string => n.toFixed(2);
  console.log("| measure | value |\n|---|---:|");
  if (report["call_us"] !== undefined) console.log(`| one trivial call (workerStatus) | ${fmt(report["call_us"] as number)} µs |`);
  for (const [label, key] of [["batched (≤ 64 per poll)", "roundtrip_batched"], ["one at a time", "roundtrip_single"]]) {
    const r = report[key as string] as RoundTrip | undefined;
    if (r === undefined) continue;
    const parts = `poll ${fmt(r.poll)} + parse ${fmt(r.parse)} + complete ${fmt(r.complete)}; CPU ${fmt(r.cpu)}; ${r.eventsPerPoll.toFixed(1)} events/poll`;
    console.log(`| poll+complete per event, ${label as string} | ${fmt(r.total)} µs (${parts}) |`);
  }
  const ts = report["typescript"] as Record<string, Latency> | undefined;
  const java = report["java"] as Record<string, Latency> | undefined;
  for (const shape of SHAPES) {
    const [t, j] = [ts?.[shape], java?.[shape]];
    if (t === undefined || j === undefined) continue;
    console.log(`| ${shape} P50 / P95, TypeScript worker | ${fmt(t.p50)} / ${fmt(t.p95)} ms |`);
    console.log(`| ${shape} P50 / P95, Java worker | ${fmt(j.p50)} / ${fmt(j.p95)} ms |`);
    console.log(`| ${shape} P50, TypeScript vs Java | ${((t.p50 / j.p50 - 1) * 100).toFixed(1)} % |`);
  }
}

await main();
