import type { FlatMap, FlatValue } from '../data/types';
import { PyFloat, pyEqual } from '../python/pyFloat';

/** Values of one side: file path -> flattened keys. A file that failed to parse is absent. */
export type FileValues = Record<string, FlatMap>;

/** `diff` is a bigint when both sides are ints and the difference is past 2^53. */
export interface ValueDiff {
  old: FlatValue | null;
  new: FlatValue | null;
  diff?: number | bigint;
}
export type DiffResult = Record<string, Record<string, ValueDiff>>;

/**
 * `dvc metrics diff` / `dvc params diff` semantics and JSON shape: per file, per dotted key,
 * {old, new, diff}; `diff` only when both sides are numbers (Python counts booleans as
 * numbers); a missing side is null; unchanged keys omitted unless `all`; files without
 * differences omitted. Values read exactly (ints past 2^53 as bigint) compare and subtract
 * exactly, as Python's ints do (dvc/utils/diff.py _diff_vals: `old == new`, `new - old`).
 */
export function diffValues(oldSide: FileValues, newSide: FileValues, options: { all?: boolean } = {}): DiffResult {
  const result: DiffResult = {};
  const paths = [...new Set([...Object.keys(oldSide), ...Object.keys(newSide)])].sort();
  for (const path of paths) {
    const a = oldSide[path] ?? {};
    const b = newSide[path] ?? {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const fileDiff: Record<string, ValueDiff> = {};
    for (const key of keys) {
      const oldValue = key in a ? a[key] : null;
      const newValue = key in b ? b[key] : null;
      if (!options.all && pythonEquals(oldValue, newValue)) continue;
      const entry: ValueDiff = { old: oldValue, new: newValue };
      const diff = pythonDifference(oldValue, newValue);
      if (diff !== undefined) entry.diff = diff;
      fileDiff[key] = entry;
    }
    if (Object.keys(fileDiff).length > 0) result[path] = fileDiff;
  }
  return result;
}

/**
 * Python's `new - old` for two numbers (bool counts as int), undefined otherwise. Ints (bools,
 * integral numbers within 2^53, bigints) subtract exactly, the result a bigint only past 2^53;
 * with a float on either side the int is rounded to a double first, as Python does.
 */
export function pythonDifference(oldValue: unknown, newValue: unknown): number | bigint | undefined {
  const x = asPythonNumber(oldValue);
  const y = asPythonNumber(newValue);
  if (x === undefined || y === undefined) return undefined;
  if (isPythonInt(x) && isPythonInt(y)) {
    const d = BigInt(y) - BigInt(x);
    const n = Number(d);
    return Number.isSafeInteger(n) ? n : d;
  }
  return Number(y) - Number(x);
}

/** Python's isinstance(v, (int, float)) includes bool. */
function asPythonNumber(value: unknown): number | bigint | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** An int as exact readers give them: a bigint, or an integral number within 2^53. */
function isPythonInt(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isSafeInteger(v);
}

/** Python's ==: 1 == 1.0 == True; NaN != NaN; ints of any size exactly; lists element-wise. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  return pyEqual(a, b);
}

/**
 * `diff` for printing: Python's `new - old` is a float when either side is, so a difference
 * that comes out integral (0.001 - 0.001) prints `0.0` as DVC prints it, not `0`. A side is
 * known to be a float when it is non-integral, non-finite or integral past 2^53 (exact
 * readers give ints that large as bigint).
 */
export function printedDiff(d: ValueDiff): number | bigint | PyFloat | undefined {
  if (typeof d.diff === 'number' && Number.isSafeInteger(d.diff) && (isKnownFloat(d.old) || isKnownFloat(d.new)))
    return new PyFloat(d.diff);
  return d.diff;
}

function isKnownFloat(v: unknown): boolean {
  return (typeof v === 'number' && !Number.isSafeInteger(v)) || v instanceof PyFloat;
}
