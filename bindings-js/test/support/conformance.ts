/**
 * The conformance cases of shared/conformance/expected.yaml and how a final task document is
 * checked against one. Shared by the Node suite (test/conformance.test.ts) and the Javet suite
 * (test/javet/suite.ts), so both judge by the same rules as the Java ConformanceSuiteTest.
 */
import { parse } from "yaml";
import type { JsonValue, StepDocument, TaskDocument } from "../../src/index.js";

export interface ExpectedStep {
  readonly state?: string;
  readonly attempts?: number;
  readonly error_type?: string;
  readonly message_contains?: string;
}

export interface ConformanceCase {
  readonly id: string;
  readonly template: string;
  readonly context: Record<string, JsonValue>;
  readonly rejected?: boolean;
  readonly task_state?: string;
  readonly step_count?: number;
  readonly final_step?: string;
  readonly result?: JsonValue;
  readonly steps?: Readonly<Record<string, ExpectedStep>>;
}

/** The cases of an expected.yaml text. */
export function parseCases(yamlText: string): ConformanceCase[] {
  const doc = parse(yamlText) as { cases?: ConformanceCase[] };
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) throw new Error("expected.yaml has no cases");
  return doc.cases;
}

/** namespace, name and version of a case's `template` (`ns/name/version`). */
export function templateKey(c: ConformanceCase): { namespace: string; name: string; version: string } {
  const [namespace, name, version] = c.template.split("/");
  if (namespace === undefined || name === undefined || version === undefined) throw new Error(`bad template key ${c.template}`);
  return { namespace, name, version };
}

/** Everything about `doc` that differs from the case (empty when the case passes). */
export function checkTask(c: ConformanceCase, doc: TaskDocument): string[] {
  const problems: string[] = [];
  if (doc.state !== c.task_state) problems.push(`task state ${doc.state}, expected ${c.task_state}`);
  if (c.step_count !== undefined && doc.steps.length !== c.step_count) {
    problems.push(`${doc.steps.length} steps (${doc.steps.map((s) => s.name).join(", ")}), expected ${c.step_count}`);
  }
  if (c.final_step !== undefined) {
    const step = findStep(doc, c.final_step);
    if (step === undefined) problems.push(`no step ${c.final_step}`);
    else if (!sameJson(step.result, c.result ?? null)) {
      problems.push(`${c.final_step} result ${show(step.result)}, expected ${show(c.result ?? null)}`);
    }
  }
  for (const [name, want] of Object.entries(c.steps ?? {})) {
    const step = findStep(doc, name);
    if (step === undefined) {
      problems.push(`no step ${name}`);
      continue;
    }
    const what = `step ${name} (${show(step as unknown as JsonValue)})`;
    if (want.state !== undefined && step.state !== want.state) problems.push(`${what}: state ${step.state}, expected ${want.state}`);
    if (want.attempts !== undefined && step.attempts !== want.attempts) {
      problems.push(`${what}: attempts ${step.attempts}, expected ${want.attempts}`);
    }
    if (want.error_type !== undefined && step.error?.error_type !== want.error_type) {
      problems.push(`${what}: error_type ${step.error?.error_type}, expected ${want.error_type}`);
    }
    if (want.message_contains !== undefined && !(step.error?.message ?? "").includes(want.message_contains)) {
      problems.push(`${what}: error message does not contain '${want.message_contains}'`);
    }
  }
  return problems;
}

function findStep(doc: TaskDocument, name: string): StepDocument | undefined {
  return doc.steps.find((s) => s.name === name);
}

/** Deep equality where numbers compare by value (a YAML number equals a JSON bigint of the same value). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return Number.isInteger(Number(a)) && Number.isInteger(Number(b)) ? BigInt(a) === BigInt(b) : Number(a) === Number(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(a[k], b[k]));
  }
  return a === b;
}

function show(value: JsonValue): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
