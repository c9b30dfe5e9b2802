// graphile-worker side of `tasker bench compare`.
//
// A "workflow" is what graphile-worker users build from jobs: each job enqueues the next one(s);
// the diamond's join is a counter row that the two branches decrement, and the branch that takes
// it to zero enqueues the join in the same statement. The last job records the workflow as done
// (a durable write, like a workflow engine's final state) and wakes the waiting caller in-process.
//
// Settings are the library's documented performance configuration (worker.graphile.org, page
// "Performance": concurrentJobs 24, maxPoolSize 25, localQueue 500, batched completion with delay
// 0) with pollInterval 10 ms; new jobs wake the worker through LISTEN/NOTIFY as always.
//
// Prints one JSON line on stdout; progress and errors go to stderr.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

process.env.NO_LOG_SUCCESS = "1"; // read at import time; a log line per job is not the engine
const { run, Logger } = await import("graphile-worker");
const pg = (await import("pg")).default;

const SETTINGS = {
  concurrentJobs: 24,
  maxPoolSize: 25,
  pollInterval: 10,
  localQueue: { size: 500 },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
  preparedStatements: true,
};
const STEPS = { linear: 4, diamond: 4 };

function options() {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      tasks: { type: "string", default: "200" },
      warmup: { type: "string", default: "50" },
      "throughput-tasks": { type: "string", default: "1000" },
      "in-flight": { type: "string", default: "32" },
    },
    strict: true,
  });
  const url = values["database-url"] ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error("--database-url (or DATABASE_URL) is required: a postgres:// URL");
  }
  const positive = (name) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < (name === "warmup" ? 0 : 1)) {
      throw new Error(`--${name} must be a ${name === "warmup" ? "non-negative" : "positive"} integer (got '${values[name]}')`);
    }
    return n;
  };
  return {
    url,
    tasks: positive("tasks"),
    warmup: positive("warmup"),
    throughputTasks: positive("throughput-tasks"),
    inFlight: positive("in-flight"),
  };
}

const silent = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") {
    process.stderr.write(`graphile-worker ${level}: ${message}\n`);
  }
});

/** Workflow runs waiting for their last job, by run id: { resolve, reject }. */
const waiting = new Map();
const WORKFLOW_TIMEOUT_MS = 60_000;

const taskList = {
  // linear: a -> b -> c -> d
  linear_a: async (p, h) => {
    await h.addJob("linear_b", p);
  },
  linear_b: async (p, h) => {
    await h.addJob("linear_c", p);
  },
  linear_c: async (p, h) => {
    await h.addJob("linear_d", p);
  },
  linear_d: async (p, h) => finish(p, h),
  // diamond: a -> (b, c) -> d
  diamond_a: async (p, h) => {
    await h.query(
      `with j as (insert into bench_join (run, remaining) values ($1, 2))
       select graphile_worker.add_job('diamond_b', $2::json), graphile_worker.add_job('diamond_c', $2::json)`,
      [p.run, JSON.stringify(p)],
    );
  },
  diamond_b: async (p, h) => branchDone(p, h),
  diamond_c: async (p, h) => branchDone(p, h),
  diamond_d: async (p, h) => finish(p, h),
};

/** One statement: the branch that brings the counter to zero enqueues the join. */
async function branchDone(p, h) {
  await h.query(
    `with r as (update bench_join set remaining = remaining - 1 where run = $1 returning remaining)
     select graphile_worker.add_job('diamond_d', $2::json) from r where remaining = 0`,
    [p.run, JSON.stringify(p)],
  );
}

async function finish(p, h) {
  await h.query("insert into bench_done (run) values ($1)", [p.run]);
  const w = waiting.get(p.run);
  if (w) {
    waiting.delete(p.run);
    w.resolve();
  }
}

async function runWorkflow(runner, shape) {
  const id = randomUUID();
  let timer;
  const done = new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    timer = setTimeout(
      () => reject(new Error(`workflow ${shape} ${id} did not finish within ${WORKFLOW_TIMEOUT_MS} ms`)),
      WORKFLOW_TIMEOUT_MS,
    );
  });
  try {
    await runner.addJob(`${shape}_a`, { run: id });
    await done;
  } finally {
    clearTimeout(timer);
    waiting.delete(id);
  }
}

/** A failing job would be retried with backoff for minutes: fail its workflow at once instead. */
function failFast(runner) {
  runner.events.on("job:error", ({ job, error }) => {
    const w = waiting.get(job.payload?.run);
    if (w) {
      waiting.delete(job.payload.run);
      w.reject(new Error(`job ${job.task_identifier} failed: ${error?.message ?? error}`));
    }
  });
}

function percentile(sorted, p) {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx];
}

async function latency(runner, shape, count) {
  const ms = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await runWorkflow(runner, shape);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99) };
}

async function throughput(runner, shape, total, inFlight) {
  let started = 0;
  const t0 = process.hrtime.bigint();
  const lane = async () => {
    while (started < total) {
      started++;
      await runWorkflow(runner, shape);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, stepsPerSecond: (total * STEPS[shape]) / seconds };
}

/**
 * Committed transactions of this database (pg_stat_database.xact_commit). Backends publish their
 * counters at most once a second, so wait that long first: the reading then includes them.
 */
async function commits(client) {
  await new Promise((r) => setTimeout(r, 1100));
  await client.query("select pg_stat_force_next_flush()");
  const r = await client.query(
    "select xact_commit::bigint as n from pg_stat_database where datname = current_database()",
  );
  return Number(r.rows[0].n);
}

async function main() {
  const o = options();
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  await admin.query(
    `create table if not exists bench_join (run uuid primary key, remaining int not null);
     create table if not exists bench_done (run uuid primary key)`,
  );
  const runner = await run({
    connectionString: o.url,
    taskList,
    logger: silent,
    noHandleSignals: true,
    preset: { worker: { ...SETTINGS, connectionString: o.url } },
  });
  failFast(runner);
  const results = [];
  try {
    for (const shape of Object.keys(STEPS)) {
      process.stderr.write(`graphile-worker: ${shape} latency (${o.tasks} after ${o.warmup} warm-up)\n`);
      await latency(runner, shape, o.warmup);
      const lat = await latency(runner, shape, o.tasks);
      process.stderr.write(`graphile-worker: ${shape} throughput (${o.throughputTasks}, ${o.inFlight} in flight)\n`);
      const c0 = await commits(admin);
      const thr = await throughput(runner, shape, o.throughputTasks, o.inFlight);
      const c1 = await commits(admin);
      results.push({
        shape,
        steps: STEPS[shape],
        latency_tasks: o.tasks,
        p50_ms: round(lat.p50),
        p95_ms: round(lat.p95),
        p99_ms: round(lat.p99),
        throughput_tasks: o.throughputTasks,
        in_flight: o.inFlight,
        steps_per_s: round(thr.stepsPerSecond),
        commits_per_step: round((c1 - c0) / (o.throughputTasks * STEPS[shape])),
      });
    }
  } finally {
    await runner.stop();
    await admin.end();
  }
  // the package's exports map hides package.json from require/import
  const version = JSON.parse(
    readFileSync(new URL("./node_modules/graphile-worker/package.json", import.meta.url), "utf8"),
  ).version;
  process.stdout.write(
    JSON.stringify({
      engine: "graphile-worker",
      version,
      runtime: `node ${process.versions.node}`,
      settings: SETTINGS,
      results,
    }) + "\n",
  );
}

function round(x) {
  return Math.round(x * 100) / 100;
}

main().catch((e) => {
  process.stderr.write(`graphile-worker bench failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
