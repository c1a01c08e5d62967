// Flattening rules of DVC, so that keys and kept values match `dvc metrics show/diff` and
// `dvc params show/diff`:
// - metrics: dvc/repo/metrics/show.py `_extract_metrics` keeps int/float/str leaves (bool is an
//   int in Python, so booleans stay), drops lists, None and maps that end up empty; the result
//   is then flattened with flatten_dict's "dot" reducer (dvc/utils/flatten.py).
// - params: dvc/utils/diff.py flattens with flatten_dict directly: every non-dict value is a
//   leaf (lists and None included), empty maps vanish.
// - selection: dvc/dependency/param.py `read_param_file(flatten=True)` looks each key up with
//   dpath.get(separator='.'); a key naming a subtree stores the whole subtree, which diff
//   flattens again, hence 'train' -> 'train.lr', 'train.epochs'.

import type { DataMap, DataValue, FlatMap, FlatValue } from './types';

/**
 * Sets an own property even for '__proto__', which plain assignment would turn into a
 * prototype change. Params files are user data and may contain any key.
 */
export function setEntry<T>(target: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function isDataMap(value: unknown): value is DataMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinKey(prefix: string | undefined, key: string): string {
  return prefix === undefined ? key : `${prefix}.${key}`;
}

function flattenInto(out: FlatMap, prefix: string | undefined, data: DataMap, keep: (v: DataValue) => boolean): void {
  for (const key of Object.keys(data)) {
    const value = data[key];
    const dotted = joinKey(prefix, key);
    if (isDataMap(value)) {
      flattenInto(out, dotted, value, keep);
    } else if (keep(value)) {
      setEntry<FlatValue>(out, dotted, value);
    }
  }
}

function isMetricLeaf(value: DataValue): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean';
}

/** Metrics as DVC shows them: number/string/boolean leaves only, nested keys joined with '.'. */
export function extractMetrics(data: DataMap): FlatMap {
  const out: FlatMap = {};
  // Empty maps never produce a key, which is exactly _extract_metrics dropping `{}`.
  flattenInto(out, undefined, data, isMetricLeaf);
  return out;
}

/** Params as DVC's params show/diff flatten them: lists and null are leaves, empty maps vanish. */
export function flattenParams(data: DataMap): FlatMap {
  const out: FlatMap = {};
  flattenInto(out, undefined, data, () => true);
  return out;
}

/** dpath.get(obj, key, separator='.'): exact segments, list segments by integer index. */
export function lookupDotted(data: DataMap, key: string): { found: true; value: DataValue } | { found: false } {
  let current: DataValue = data;
  for (const segment of key.split('.')) {
    if (Array.isArray(current)) {
      // dpath turns only str.isdecimal() segments into list indexes, so '-1' never matches.
      if (!/^\d+$/.test(segment)) {
        return { found: false };
      }
      const index = Number(segment);
      if (index >= current.length) {
        return { found: false };
      }
      current = current[index];
    } else if (isDataMap(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) {
        return { found: false };
      }
      current = current[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/**
 * DVC params selection: keys selected from a params file (a key may name a subtree:
 * 'train' selects 'train.lr','train.epochs'); null keys = whole file. Missing keys are
 * left out, as DVC skips them (it reports them separately as missing params).
 */
export function selectParams(data: DataMap, keys: string[] | null): FlatMap {
  // DVC tests `if not key_paths`, so an empty list also means the whole file.
  if (keys === null || keys.length === 0) {
    return flattenParams(data);
  }
  const out: FlatMap = {};
  for (const key of keys) {
    const hit = lookupDotted(data, key);
    if (!hit.found) {
      continue;
    }
    if (isDataMap(hit.value)) {
      flattenInto(out, key, hit.value, () => true);
    } else {
      setEntry<FlatValue>(out, key, hit.value);
    }
  }
  return out;
}
