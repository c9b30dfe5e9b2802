import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AlreadyCompletedError,
  ConflictError,
  errorFromStatus,
  EventExpiredError,
  InternalError,
  JvmError,
  NotFoundError,
  NotInitializedError,
  NotRunningError,
  TaskerError,
  TimeoutError,
  UnavailableError,
  UnknownEventError,
  ValidationError,
} from "../src/index.js";

describe("errorFromStatus", () => {
  it("maps every ABI status code to its class", () => {
    const table: [number, new (...args: never[]) => TaskerError][] = [
      [-1, ValidationError],
      [-2, NotInitializedError],
      [-3, NotRunningError],
      [-4, UnknownEventError],
      [-5, EventExpiredError],
      [-6, AlreadyCompletedError],
      [-7, JvmError],
      [-8, NotFoundError],
      [-9, ConflictError],
      [-10, UnavailableError],
      [-11, TimeoutError],
      [-99, InternalError],
    ];
    for (const [code, cls] of table) {
      const error = errorFromStatus(code, JSON.stringify({ error: { code, type: "t", message: `m${code}` } }));
      assert.ok(error instanceof cls, `${code} → ${error.constructor.name}`);
      assert.ok(error instanceof TaskerError);
      assert.equal(error.code, code);
      assert.equal(error.message, `m${code}`);
      assert.equal(error.name, cls.name);
    }
  });

  it("carries the JSON path and the list of problems", () => {
    const payload = {
      error: {
        code: -1,
        type: "TASKER_E_INVALID",
        reason: "invalid_completion",
        message: "bad completion",
        path: "$.result.success",
        errors: [{ path: "$.result.success", message: "must be a boolean" }, "plain"],
      },
    };
    const error = errorFromStatus(-1, JSON.stringify(payload));
    assert.equal(error.path, "$.result.success");
    assert.equal(error.type, "TASKER_E_INVALID");
    assert.equal(error.reason, "invalid_completion");
    assert.deepEqual(error.errors, [{ path: "$.result.success", message: "must be a boolean" }, { message: "plain" }]);
  });

  it("keeps the class for an unknown code or a payload that is not the error document", () => {
    const unknown = errorFromStatus(-42, undefined);
    assert.equal(unknown.constructor, TaskerError);
    assert.match(unknown.message, /status -42: no error document/);
    const garbled = errorFromStatus(-10, "not json");
    assert.ok(garbled instanceof UnavailableError);
    assert.match(garbled.message, /not json/);
  });
});
