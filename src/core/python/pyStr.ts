// Python's str()/repr() of JSON-like values, and DVC's `to_str` built on top of them
// (dvc/parsing/interpolate.py). DVC renders `${...}` inside a larger string with Python
// formatting, so to reproduce the `cmd` DVC writes to dvc.lock byte for byte we need
// Python's float repr (1e-05, 0.1, 100.0), `None`, `True`, and shlex quoting.
//
// Floats: a plain JS number that is integral is taken to be a Python int. Values loaded with
// their Python types (src/core/repro/paramValues.ts) carry floats as PyFloat, so YAML `1.0`
// renders `1.0` as DVC does; the indexer still passes plain numbers (`1.0` renders `1`).

import { PyFloat, PyTimestamp, pyFloatRepr } from './pyFloat';
import type { DataValue } from '../data/types';

/** How DVC's `parsing` config renders a mapping into command-line flags (.dvc/config). */
export interface CmdFlagOptions {
  /** `store_true` (default): `--flag` when true, nothing when false; `boolean_optional` adds `--no-flag`. */
  bool?: 'store_true' | 'boolean_optional';
  /** `nargs` (default): `--k a b`; `append`: `--k a --k b`. */
  list?: 'nargs' | 'append';
}

export function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof PyTimestamp);
}

/** Python's `repr(float)`, kept here for the templating code that imports it from pyStr. */
export { pyFloatRepr };

/** Python's str() of a plain JS number: integral values are taken to be ints (see the file comment). */
export function pyNumberStr(n: number): string {
  if (Number.isInteger(n) && !Object.is(n, -0)) {
    return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(n) : BigInt(n).toString();
  }
  return pyFloatRepr(n);
}

/** Python's repr() of a str: single quotes unless the text holds ' and no ". */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return quote + out + quote;
}

/** Python's repr() of a value as it would come out of a YAML/JSON load. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof PyTimestamp) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(v.text);
    if (!m) return v.text;
    const n = m
      .slice(1)
      .filter((x) => x !== undefined)
      .map(Number);
    while (n.length > 5 && n[n.length - 1] === 0) n.pop(); // datetime's repr drops zero seconds
    return `datetime.${v.kind}(${n.join(', ')})`;
  }
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  // A dict as the Python-typed loaders give it (src/core/repro/paramValues.ts): keys of any type.
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ') + '}';
  if (isPlainObject(v)) {
    return (
      '{' +
      Object.entries(v)
        .map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`)
        .join(', ') +
      '}'
    );
  }
  return pyStr(v);
}

/** Python's str() of a value. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumberStr(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof PyTimestamp) return v.text;
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python's `shlex.quote` (DVC uses it on POSIX for string flag values). */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

/** flatten_dict.flatten(d, reducer='dot'): lists stay leaves, empty mappings vanish. */
export function flattenDotted(obj: { [key: string]: unknown }, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) flattenDotted(v, key, out);
    else out.push([key, v]);
  }
  return out;
}

/** Thrown when a value cannot be rendered into a string; the caller adds the location. */
export class PyStrError extends Error {}

/** DVC's `to_str(dict)`: a mapping interpolated into `cmd` becomes `--key value` flags. */
export function cmdFlags(obj: { [key: string]: unknown }, options: CmdFlagOptions = {}): string {
  let result = '';
  for (const [k, v] of flattenDotted(obj)) {
    if (typeof v === 'boolean') {
      if (v) result += `--${k} `;
      else if (options.bool === 'boolean_optional') result += `--no-${k} `;
    } else if (typeof v === 'string') {
      result += `--${k} ${shellQuote(v)} `;
    } else if (Array.isArray(v)) {
      v.forEach((item, n) => {
        if (Array.isArray(item) || isPlainObject(item)) {
          throw new PyStrError(`Cannot interpolate nested iterable in '${k}'`);
        }
        // Python formats list items with f"{i}": str(), so booleans come out as True/False.
        const text = typeof item === 'string' ? shellQuote(item) : pyStr(item);
        if (options.list === 'append') result += `--${k} ${text} `;
        else result += n > 0 ? `${text} ` : `--${k} ${text} `;
      });
    } else {
      result += `--${k} ${pyStr(v)} `;
    }
  }
  return result.trimEnd();
}

/** DVC's `to_str`: booleans lower-case, mappings as flags, everything else Python's str(). */
export function dvcToStr(v: DataValue | unknown, options: CmdFlagOptions = {}): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isPlainObject(v)) return cmdFlags(v, options);
  return pyStr(v);
}

/** Python's type name, for messages that mirror DVC's ("got int", "type 'list'"). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTimestamp) return v.kind;
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}
