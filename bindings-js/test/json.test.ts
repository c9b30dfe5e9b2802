import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJson, stringifyJson } from "../src/index.js";

describe("parseJson", () => {
  it("keeps integers beyond 2^53-1 exact as bigint", () => {
    const doc = parseJson('{"a": 9007199254740993, "b": -12345678901234567890, "c": [1, 2.5, "x"]}');
    assert.deepEqual(doc, { a: 9007199254740993n, b: -12345678901234567890n, c: [1, 2.5, "x"] });
  });

  it("leaves safe integers, decimals and exponents as numbers", () => {
    assert.deepEqual(parseJson("[9007199254740991, 1234567890123456.5, 1e300, -0]"), [
      9007199254740991, 1234567890123456.5, 1e300, -0,
    ]);
  });

  it("keeps long digit runs inside strings as strings", () => {
    const big = "63340286662973277706162286946811886609896461828096";
    assert.deepEqual(parseJson(`{"value": "${big}", "esc": "a\\"b\\u00e9\\n"}`), { value: big, esc: 'a"bé\n' });
  });

  it("parses a number with hundreds of digits exactly", () => {
    const digits = "1" + "0".repeat(500);
    assert.equal(parseJson(digits), 10n ** 500n);
  });

  it("rejects malformed documents on both paths", () => {
    for (const bad of ["{", '{"a":1,}', "[1 2]", '"\u0001"', "tru", '{"a": 12345678901234567890', "[1] x", "01"]) {
      assert.throws(() => parseJson(bad), SyntaxError, bad);
    }
    assert.throws(() => parseJson('{"n": 12345678901234567890,}'), /position/);
  });

  it("does not let __proto__ keys change the prototype", () => {
    const doc = parseJson('{"__proto__": {"x": 1}, "n": 12345678901234567890}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(doc), Object.prototype);
    assert.deepEqual(Object.keys(doc), ["__proto__", "n"]);
  });
});

describe("stringifyJson", () => {
  it("writes bigint as a JSON integer with all digits", () => {
    assert.equal(stringifyJson({ v: 2n ** 70n, s: "x" }), '{"v":1180591620717411303424,"s":"x"}');
  });

  it("round-trips with parseJson", () => {
    const value = { a: [1n << 64n, -(1n << 60n), 3], b: { c: null, d: "12345678901234567890" } };
    assert.deepEqual(parseJson(stringifyJson(value)), value);
  });

  it("refuses values that have no JSON form", () => {
    assert.throws(() => stringifyJson(undefined), TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    assert.throws(() => stringifyJson(cyclic), TypeError);
  });
});
