import type { StepEvent } from "../../src/index.js";

/** A step event as docs/abi.md shows it, with `overrides`. */
export function sampleEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return {
    event_id: "ev-1",
    task_uuid: "0193a000-0000-7000-8000-000000000001",
    step_uuid: "0193a000-0000-7000-8000-000000000002",
    correlation_id: "corr",
    namespace: "conformance",
    task_name: "linear_workflow",
    task_version: "1.0.0",
    step_name: "linear_step_1",
    callable: "conformance.square_input",
    initialization: { input_key: "even_number" },
    task_context: { even_number: 6 },
    dependency_results: {},
    step_inputs: {},
    checkpoint: null,
    attempts: 1,
    max_attempts: 3,
    retry_count: 0,
    deadline_unix_ms: Date.now() + 60_000,
    trace_id: null,
    span_id: null,
    ...overrides,
  };
}
