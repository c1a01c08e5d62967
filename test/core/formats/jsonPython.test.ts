import { strict as assert } from 'node:assert';
import { parseJsonPython } from '../../../src/core/python/jsonPython';
import type { ParseResult, DataValue } from '../../../src/core/data/types';

function value(r: ParseResult<DataValue>): DataValue {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

function fails(text: string, message: string, line: number, column: number): void {
  const r = parseJsonPython(text);
  assert.ok(!r.ok, 'expected a failure');
  assert.deepEqual([r.message, r.line, r.column, r.kind], [message, line, column, 'error']);
}

describe('parseJsonPython', () => {
  it('reads ordinary JSON', () => {
    assert.deepEqual(value(parseJsonPython('{"a": [1, 2.5, -3e2], "b": {"c": null, "d": true, "e": "x\\n\\u00fc"}}')), {
      a: [1, 2.5, -300],
      b: { c: null, d: true, e: 'x\nü' },
    });
  });

  it('accepts bare NaN, Infinity and -Infinity like json.loads', () => {
    const v = value(parseJsonPython('{"loss": NaN, "hi": Infinity, "lo": -Infinity}')) as Record<string, number>;
    assert.ok(Number.isNaN(v.loss));
    assert.equal(v.hi, Infinity);
    assert.equal(v.lo, -Infinity);
  });

  it('keeps the strings "nan"/"inf" DVCLive writes as strings', () => {
    assert.deepEqual(value(parseJsonPython('{"loss": "nan", "acc": "inf", "step": 3}')), { loss: 'nan', acc: 'inf', step: 3 });
  });

  it('lets the last duplicate key win, in the first position', () => {
    const v = value(parseJsonPython('{"a": 1, "b": 2, "a": 3}'));
    assert.deepEqual(v, { a: 3, b: 2 });
    assert.deepEqual(Object.keys(v as object), ['a', 'b']);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const v = value(parseJsonPython('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  it('joins surrogate pair escapes', () => {
    assert.equal(value(parseJsonPython('"\\ud83d\\ude00"')), '😀');
  });

  it('reports Python messages with 1-based line and column', () => {
    fails('{\n  "a": 1,\n  "b": 2,\n}', 'Expecting property name enclosed in double quotes', 4, 1);
    fails('{"a" 1}', "Expecting ':' delimiter", 1, 6);
    fails('{"a": 1\n "b": 2}', "Expecting ',' delimiter", 2, 2);
    fails('[1, 2,]', 'Expecting value', 1, 7);
    fails('', 'Expecting value', 1, 1);
    fails('{"a": 1} x', 'Extra data', 1, 10);
    fails('{"a": "abc', 'Unterminated string starting at', 1, 7);
    fails('{"a": nan}', 'Expecting value', 1, 7);
    fails('"a\tb"', 'Invalid control character at', 1, 3);
  });

  it('fails instead of overflowing on absurd nesting', () => {
    const r = parseJsonPython('['.repeat(5000) + ']'.repeat(5000));
    assert.equal(r.ok, false);
  });
});
