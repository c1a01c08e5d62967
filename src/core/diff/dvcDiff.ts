// `dvc metrics diff` / `dvc params diff` on values with Python's types (dvc/utils/diff.py):
// format_dict turns lists into str(list), flatten_dict joins keys with '.', and _diff_vals
// keeps a key when `old != new` (or always with --all), with `diff = new - old` when both are
// numbers (bool counts). A float difference stays a float, so an unchanged 1.0 gives 0.0.
// DVC walks sets of paths and keys, so its order changes from run to run; here the new
// side's order comes first, then what only the old side has.

import { pyStr } from '../python/pyStr';
import { PyFloat, PyTimestamp, pyEqual, type PyValue } from '../python/pyFloat';
import type { DiffResult, ValueDiff } from './diff';
import type { FlatValue } from '../data/types';

/** DVC's error entry for a file it could not load, as its --json prints it. */
export interface DvcError {
  type: string;
  msg: string;
}
/** One params/metrics file of a revision as DVC holds it: its data with Python's types, or the error. */
export type DvcFile = { data: PyValue } | { error: DvcError };

export interface DvcValueDiff {
  old: PyValue;
  new: PyValue;
  diff?: number | bigint | PyFloat;
}
export type DvcDiff = Map<string, Map<string, DvcValueDiff>>;

export function dvcDiff(oldFiles: Map<string, DvcFile>, newFiles: Map<string, DvcFile>, all: boolean): DvcDiff {
  const out: DvcDiff = new Map();
  for (const path of union(newFiles.keys(), oldFiles.keys())) {
    const [a, b] = [dataOf(oldFiles.get(path)), dataOf(newFiles.get(path))];
    const keys = new Map<string, DvcValueDiff>();
    const add = (key: string, old: PyValue, now: PyValue) => {
      if (!all && pyEqual(old, now)) return;
      const entry: DvcValueDiff = { old, new: now };
      const diff = pyDifference(old, now);
      if (diff !== undefined) entry.diff = diff;
      keys.set(key, entry);
    };
    if (a instanceof Map || b instanceof Map) {
      // _diff_dicts: a side with no data is all None; one that is not a mapping "unable to parse".
      const [fa, fb] = [flatSide(a), flatSide(b)];
      for (const key of union(fb.keys.keys(), fa.keys.keys())) add(key, fa.keys.get(key) ?? fa.missing, fb.keys.get(key) ?? fb.missing);
    } else {
      add('', a, b);
    }
    if (keys.size > 0) out.set(path, keys);
  }
  return out;
}

/** For the table and Markdown renderers: the same entries as a DiffResult (floats stay PyFloat). */
export function asDiffResult(diff: DvcDiff): DiffResult {
  const out: DiffResult = {};
  for (const [path, keys] of diff) {
    const file: Record<string, ValueDiff> = {};
    for (const [key, d] of keys) {
      const entry: ValueDiff = { old: forTable(d.old), new: forTable(d.new) };
      if (d.diff !== undefined) entry.diff = d.diff instanceof PyFloat ? d.diff.value : d.diff;
      Object.defineProperty(file, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(out, path, { value: file, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A date prints as Python's str() of it, as DVC's table shows it. */
function forTable(v: PyValue): FlatValue {
  return (v instanceof PyTimestamp ? v.text : v) as FlatValue;
}

function union<T>(...lists: Iterable<T>[]): T[] {
  const seen = new Set<T>();
  for (const list of lists) for (const x of list) seen.add(x);
  return [...seen];
}

/** A file's data after format_dict; an error entry or a missing file has none ({}). */
function dataOf(file: DvcFile | undefined): PyValue {
  if (!file || !('data' in file)) return new Map();
  return formatLists(file.data);
}

function formatLists(v: PyValue): PyValue {
  if (Array.isArray(v)) return pyStr(v);
  if (!(v instanceof Map)) return v;
  return new Map([...v].map(([k, x]) => [k, formatLists(x)]));
}

/** dvc/utils/diff.py _flatten: falsy -> every key None; not a mapping -> "unable to parse". */
function flatSide(v: PyValue): { keys: Map<string, PyValue>; missing: PyValue } {
  if (v instanceof Map) return { keys: flatten(v), missing: null };
  const falsy = v === null || v === false || v === '' || v === 0 || v === 0n || (v instanceof PyFloat && v.value === 0);
  return { keys: new Map(), missing: falsy ? null : 'unable to parse' };
}

/** flatten_dict with the "dot" reducer: top-level keys as json.dumps names them, nested ones as str(). */
function flatten(d: Map<PyValue, PyValue>, prefix?: string, out = new Map<string, PyValue>()): Map<string, PyValue> {
  for (const [k, v] of d) {
    const key = prefix === undefined ? jsonKey(k) : `${prefix}.${pyStr(k)}`;
    if (v instanceof Map) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

function jsonKey(k: PyValue): string {
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (k === null) return 'null';
  return pyStr(k);
}

/** Python's `new - old` when both are int/float/bool: ints exactly, anything with a float a float. */
export function pyDifference(old: PyValue, now: PyValue): number | bigint | PyFloat | undefined {
  const isInt = (v: PyValue): v is number | bigint | boolean => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
  if (!(isInt(old) || old instanceof PyFloat) || !(isInt(now) || now instanceof PyFloat)) return undefined;
  if (isInt(old) && isInt(now)) {
    const d = BigInt(now) - BigInt(old);
    return d >= BigInt(Number.MIN_SAFE_INTEGER) && d <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d) : d;
  }
  const num = (v: number | bigint | boolean | PyFloat): number => (v instanceof PyFloat ? v.value : Number(v));
  return new PyFloat(num(now) - num(old));
}
