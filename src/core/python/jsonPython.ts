// JSON as Python's json.loads reads it, because that is what DVC and the ML tools use to
// read (and what they write): bare NaN / Infinity / -Infinity are accepted (json.dump writes
// them for float('nan')), duplicate keys keep the last value in the first key's position
// (dict semantics), and error messages and positions follow json.decoder so a user sees the
// same complaint DVC would give. JSON.parse rejects NaN and reports positions as offsets.

import type { DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { setEntry } from '../data/flatten';

/** Deeper than Python's default recursion limit would allow; guards our own stack. */
const MAX_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

class JsonError {
  constructor(
    readonly message: string,
    readonly pos: number,
  ) {}
}

/** 1-based line and column of a UTF-16 offset, computed like json.decoder's lineno/colno. */
export function linePosition(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly bigInts = false,
  ) {}

  parseDocument(): DataValue {
    if (this.text.charCodeAt(0) === 0xfeff) {
      // json.loads refuses a str that still carries the BOM; DVC reads with plain utf-8.
      throw new JsonError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
    }
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) {
      throw new JsonError('Extra data', this.pos);
    }
    return value;
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
      } else {
        break;
      }
    }
  }

  private startsWith(word: string): boolean {
    return this.text.startsWith(word, this.pos);
  }

  private parseValue(depth: number): DataValue {
    if (depth > MAX_DEPTH) {
      throw new JsonError('Nesting too deep', this.pos);
    }
    const ch = this.text[this.pos];
    switch (ch) {
      case '"':
        return this.parseString();
      case '{':
        return this.parseObject(depth);
      case '[':
        return this.parseArray(depth);
    }
    const literals: [string, DataValue][] = [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ];
    for (const [word, value] of literals) {
      if (this.startsWith(word)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m) {
      this.pos += m[0].length;
      const n = Number(m[0]);
      // Python's json reads an int of any size exactly; a double holds 2^53 at most.
      if (this.bigInts && m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return BigInt(m[0]);
      return n;
    }
    throw new JsonError('Expecting value', this.pos);
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    let chunkStart = i;
    for (;;) {
      if (i >= t.length) {
        throw new JsonError('Unterminated string starting at', start);
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        out += t.slice(chunkStart, i);
        this.pos = i + 1;
        return out;
      }
      if (c < 0x20) {
        throw new JsonError('Invalid control character at', i);
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(chunkStart, i);
      const esc = t[i + 1];
      if (esc === undefined) {
        throw new JsonError('Unterminated string starting at', start);
      }
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simple) {
        out += simple[esc];
        i += 2;
      } else if (esc === 'u') {
        const hex = t.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new JsonError('Invalid \\uXXXX escape', i + 1);
        }
        // Surrogate pairs need no special casing: appending both UTF-16 units rebuilds the
        // character, and a lone surrogate stays as Python keeps it.
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        throw new JsonError('Invalid \\escape', i);
      }
      chunkStart = i;
    }
  }

  private parseObject(depth: number): DataValue {
    const result: { [key: string]: DataValue } = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        throw new JsonError('Expecting property name enclosed in double quotes', this.pos);
      }
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') {
        throw new JsonError("Expecting ':' delimiter", this.pos);
      }
      this.pos++;
      this.skipWhitespace();
      setEntry(result, key, this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos++;
        return result;
      }
      if (next !== ',') {
        throw new JsonError("Expecting ',' delimiter", this.pos);
      }
      this.pos++;
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number): DataValue {
    const result: DataValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return result;
      }
      if (next !== ',') {
        throw new JsonError("Expecting ',' delimiter", this.pos);
      }
      this.pos++;
      this.skipWhitespace();
    }
  }
}

/**
 * JSON as Python's json module reads it: accepts bare NaN, Infinity, -Infinity (as JS
 * NaN/±Infinity); errors give 1-based line and column; duplicate keys: last wins. With
 * `bigInts`, an int past 2^53 comes back as an exact bigint instead of the nearest double.
 */
export function parseJsonPython(text: string, options: { bigInts?: boolean } = {}): ParseResult<DataValue> {
  try {
    return success(new Parser(text, options.bigInts).parseDocument());
  } catch (err) {
    if (err instanceof JsonError) {
      const { line, column } = linePosition(text, err.pos);
      return failure(err.message, line, column);
    }
    return failure(`Unreadable JSON: ${String(err)}`);
  }
}
