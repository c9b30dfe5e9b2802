/**
 * JSON with exact big integers. `JSON.parse` rounds integers beyond 2^53−1; the core (Jackson +
 * jsonb) keeps them exact, so documents from libtasker are parsed here: such integers become
 * `bigint`, everything else is what `JSON.parse` gives. `stringifyJson` writes `bigint` as plain
 * JSON integers.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** 16+ consecutive digits: the only way an unsafe integer can appear in the text. */
const LONG_DIGITS = /\d{16}/;

/** Parses JSON text; integers with |n| > 2^53−1 become `bigint`. Throws SyntaxError on bad input. */
export function parseJson(text: string): JsonValue {
  if (!LONG_DIGITS.test(text)) {
    return JSON.parse(text) as JsonValue;
  }
  return new ExactParser(text).parseDocument();
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const BIGINT_MARK = "\u0000tasker-bigint:";
const BIGINT_MARKED = /"\\u0000tasker-bigint:(-?\d+)"/g;

/** JSON text of `value`; `bigint` becomes a JSON integer with all its digits. */
export function stringifyJson(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") {
      sawBigint = true;
      return BIGINT_MARK + v.toString();
    }
    return v;
  });
  if (text === undefined) {
    throw new TypeError(`cannot encode ${typeof value} as JSON`);
  }
  return sawBigint ? text.replace(BIGINT_MARKED, "$1") : text;
}

/** A strict RFC 8259 parser, used only for texts that may hold unsafe integers. */
class ExactParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.value();
    this.skipWhitespace();
    if (this.pos !== this.text.length) {
      this.fail("unexpected text after the JSON value");
    }
    return value;
  }

  private value(): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        return this.number();
    }
  }

  private object(): { [key: string]: JsonValue } {
    const result: { [key: string]: JsonValue } = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a property name");
      const key = this.string();
      this.skipWhitespace();
      this.expect(":");
      Object.defineProperty(result, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("}");
      return result;
    }
  }

  private array(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("]");
      return result;
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail("unterminated string");
      if (c === 0x22) break;
      if (c === 0x5c) this.pos++;
      else if (c < 0x20) this.fail("control character in string");
      this.pos++;
    }
    this.pos++;
    // the string's own grammar was checked above; JSON.parse decodes the escapes exactly
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail("unexpected character");
    const token = match[0];
    this.pos += token.length;
    if (match[2] === undefined && match[3] === undefined && token.length > 15) {
      const exact = BigInt(token);
      if (exact > MAX_SAFE || exact < -MAX_SAFE) return exact;
    }
    return Number(token);
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail("unexpected character");
    this.pos += word.length;
    return value;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(`expected '${c}'`);
    this.pos++;
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private fail(what: string): never {
    throw new SyntaxError(`invalid JSON at position ${this.pos}: ${what}`);
  }
}
