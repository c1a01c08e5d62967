import type { FlatValue } from '../data/types';
import { parseJsonPython } from '../python/jsonPython';
import { PyFloat, pyFloatRepr } from '../python/pyFloat';

// JSON has no NaN/Infinity, but metrics files do (Python's json writes them bare).
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

// Ints past 2^53 are read as bigint (Python ints have no limit) and stored as their exact
// digits, which is still plain JSON: a reader that does not ask for exact values gets the
// nearest double from JSON.parse, as before. So that digits always mean an int, a number
// that is integral past 2^53 (which exact readers only give for a float, e.g. 1e16) is
// stored in float form (1e+16, Python's repr).

/** Readers that want Python's exact ints back (bigint past 2^53) pass `exact`. */
export interface DecodeOptions {
  exact?: boolean;
}

/** A run of 16+ digits is the only way stored JSON can hold an int that JSON.parse rounds. */
const LONG_DIGITS = /\d{16}/;

export function encodeValue(value: FlatValue): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'number' || typeof value === 'bigint') return pyJsonNumber(value);
  if (Array.isArray(value) && hasSpecial(value, false)) return stringifyJson(value, { nonFinite: 'null' });
  return JSON.stringify(value);
}

export function decodeValue(text: string, options: DecodeOptions = {}): FlatValue {
  if (text in NON_FINITE) return NON_FINITE[text];
  if (options.exact && LONG_DIGITS.test(text)) return parseExact(text) as FlatValue;
  return JSON.parse(text) as FlatValue;
}

/** Encodes a whole structure, keeping non-finite numbers as tagged strings and big ints exact. */
export function encodePayload(value: unknown): string {
  // The replacer is slow; most payloads hold no NaN/Infinity or big number and skip it.
  if (!hasSpecial(value, true)) return JSON.stringify(value);
  return stringifyJson(value, { nonFinite: 'tag' });
}

export function decodePayload<T>(text: string, options: DecodeOptions = {}): T {
  if (options.exact && LONG_DIGITS.test(text)) return reviveNonFinite(parseExact(text)) as T;
  return JSON.parse(text, (_key, v) =>
    v && typeof v === 'object' && typeof v.$nonFinite === 'string' ? NON_FINITE[v.$nonFinite] : v,
  ) as T;
}

function parseExact(text: string): unknown {
  const r = parseJsonPython(text, { bigInts: true });
  // Stored text is always valid JSON; fall back rather than throw on anything odd.
  return r.ok ? r.value : JSON.parse(text);
}

function reviveNonFinite(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reviveNonFinite);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$nonFinite === 'string' && Object.keys(o).length === 1) return NON_FINITE[o.$nonFinite];
    for (const key of Object.keys(o)) o[key] = reviveNonFinite(o[key]);
  }
  return v;
}

/**
 * A bigint or a number integral past 2^53 anywhere in the value (JSON.stringify writes both
 * wrong), or with `nonFinite` NaN/±Infinity.
 */
function hasSpecial(value: unknown, nonFinite: boolean): boolean {
  if (typeof value === 'number') return Number.isFinite(value) ? Number.isInteger(value) && !Number.isSafeInteger(value) : nonFinite;
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasSpecial(v, nonFinite));
  for (const key in value as Record<string, unknown>) if (hasSpecial((value as Record<string, unknown>)[key], nonFinite)) return true;
  return false;
}

export interface JsonStyle {
  /**
   * NaN and ±Infinity: 'null' as JSON.stringify writes them, 'tag' as {"$nonFinite": "NaN"}
   * (the store's payloads), 'python' bare NaN / Infinity / -Infinity as Python's json.dumps.
   */
  nonFinite: 'null' | 'tag' | 'python';
  /**
   * 'python': numbers as Python's json.dumps writes the value DVC holds: ints (safe integers,
   * bigints) as digits, floats (PyFloat, non-integral numbers, and integral numbers past 2^53,
   * since exact readers give ints that large as bigint) as repr: 1e-07, 1e+16, 0.1.
   * 'store' (the default): as JSON.stringify, except that an integral number past 2^53 is
   * written in float form (1e+16), so that digits always mean an int.
   */
  numbers?: 'store' | 'python';
  /** Spaces per level, as JSON.stringify's third argument. */
  indent?: number;
}

/** Python's json.dumps number text for a value read exactly (see JsonStyle.numbers). */
export function pyJsonNumber(n: number | bigint | PyFloat): string {
  if (typeof n === 'bigint') return n.toString();
  const x = n instanceof PyFloat ? n.value : n;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (!(n instanceof PyFloat) && Number.isSafeInteger(x)) return String(x === 0 ? 0 : x);
  return pyFloatRepr(x);
}

/**
 * JSON.stringify that writes bigints as their exact digits (JSON numbers of any size are
 * valid JSON; JSON.stringify itself throws on a bigint) and non-finite numbers and floats
 * as `style` says. Keys, toJSON and undefined are handled as JSON.stringify does.
 */
export function stringifyJson(value: unknown, style: JsonStyle): string {
  const indent = style.indent ? ' '.repeat(style.indent) : '';
  const python = style.numbers === 'python';
  const number = (n: number): string => {
    if (Number.isFinite(n)) return python || (Number.isInteger(n) && !Number.isSafeInteger(n)) ? pyJsonNumber(n) : JSON.stringify(n);
    if (style.nonFinite === 'python') return pyJsonNumber(n);
    return style.nonFinite === 'tag' ? `{"$nonFinite":"${String(n)}"}` : 'null';
  };
  const write = (v: unknown, key: string, depth: string): string | undefined => {
    if (v instanceof PyFloat) return python && Number.isFinite(v.value) ? pyFloatRepr(v.value) : number(v.value);
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      v = (v as { toJSON(k: string): unknown }).toJSON(key);
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        return number(v);
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    const inner = depth + indent;
    const open = indent ? `\n${inner}` : '';
    const close = indent ? `\n${depth}` : '';
    const sep = indent ? `,\n${inner}` : ',';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${open}${v.map((x, i) => write(x, String(i), inner) ?? 'null').join(sep)}${close}]`;
    }
    const parts: string[] = [];
    for (const k of Object.keys(v as object)) {
      const text = write((v as Record<string, unknown>)[k], k, inner);
      if (text !== undefined) parts.push(`${JSON.stringify(k)}:${indent ? ' ' : ''}${text}`);
    }
    return parts.length === 0 ? '{}' : `{${open}${parts.join(sep)}${close}}`;
  };
  return write(value, '', '') ?? 'null';
}
