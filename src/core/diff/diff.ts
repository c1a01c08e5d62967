import type { FlatMap, FlatValue } from '../formats/types';

/** Values of one side: file path -> flattened keys. A file that failed to parse is absent. */
export type FileValues = Record<string, FlatMap>;

export interface ValueDiff { old: FlatValue | null; new: FlatValue | null; diff?: number }
export type DiffResult = Record<string, Record<string, ValueDiff>>;

/**
 * `dvc metrics diff` / `dvc params diff` semantics and JSON shape: per file, per dotted key,
 * {old, new, diff}; `diff` only when both sides are numbers (Python counts booleans as
 * numbers); a missing side is null; unchanged keys omitted unless `all`; files without
 * differences omitted.
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
      const x = asPythonNumber(oldValue);
      const y = asPythonNumber(newValue);
      if (x !== undefined && y !== undefined) entry.diff = y - x;
      fileDiff[key] = entry;
    }
    if (Object.keys(fileDiff).length > 0) result[path] = fileDiff;
  }
  return result;
}

/** Python's isinstance(v, (int, float)) includes bool. */
function asPythonNumber(value: FlatValue | null): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** Python's ==: 1 == 1.0 == True; NaN != NaN; lists compare element-wise. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => pythonEquals(v, y[i]));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    return kx.length === ky.length && kx.every((k) => k in (y as object) && pythonEquals((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
  }
  return x === y;
}
