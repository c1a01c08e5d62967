// Python's json.dumps with its defaults, which is what DVC's `--json` prints when stdout is not
// a terminal (dvc/ui write_json: indent None, ensure_ascii, allow_nan): `", "` and `": "`
// separators, non-ASCII as \uXXXX, floats as repr (1.0, 1e-05), NaN and Infinity bare (not
// strict JSON, but what DVC writes and Python's json reads). Mappings keep their order, so a
// Map (as the Python-typed loaders give) prints in file order, integer-like keys included.

import { PyFloat, PyTimestamp, pyFloatRepr } from './pyFloat';

/** json.dumps(value): plain numbers are ints when integral (PyFloat marks floats). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pyJsonString(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? (value === 0 ? '0' : pyIntText(value)) : floatText(value);
  if (value instanceof PyFloat) return floatText(value.value);
  if (value instanceof PyTimestamp) return pyJsonString(value.text);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const entries: [unknown, unknown][] = value instanceof Map ? [...value] : Object.entries(value as object);
  return `{${entries.map(([k, v]) => `${pyJsonString(keyText(k))}: ${pyJsonDumps(v)}`).join(', ')}}`;
}

function pyIntText(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/** float.__repr__, with json's spelling of the non-finite values. */
function floatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return pyFloatRepr(n);
}

/** json.dumps turns int, float, bool and None keys into strings this way. */
function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null || k === undefined) return 'null';
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (k instanceof PyFloat) return floatText(k.value);
  if (typeof k === 'number' && !Number.isInteger(k)) return floatText(k);
  return String(k);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** json's ensure_ascii encoder: every UTF-16 unit past 0x7e as \uXXXX (surrogates too). */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
