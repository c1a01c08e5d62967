// What DVC keeps of a loaded params or metrics file, on values with Python's types (Map for
// dict, PyFloat for float) so that `--json` prints what DVC prints: 1.0 stays 1.0 and keys
// keep the file's order.

import { PyFloat, PyTimestamp, type PyDict, type PyKey, type PyValue } from '../python/pyFloat';

/**
 * dvc/repo/metrics/show.py `_read_metric`: `_extract_metrics(load_path(...)) or {}`. int, float
 * and str leaves (bool is an int) stay; lists, None, dates and mappings left empty go.
 */
export function extractMetrics(value: PyValue): PyValue {
  return extract(value) ?? new Map();
}

function extract(value: PyValue): PyValue | undefined {
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value instanceof PyFloat
  )
    return value;
  if (!(value instanceof Map)) return undefined;
  const out: PyDict = new Map();
  for (const [k, v] of value) {
    const m = extract(v);
    if (m !== undefined && !(m instanceof Map && m.size === 0)) out.set(k, m);
  }
  return out;
}

/** A key segment as DVC's dotted paths spell a dict key or list index (str()). */
function segmentOf(k: unknown): string {
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k === null) return 'None';
  return String(k);
}

/**
 * dvc/dependency/param.py `read_param_file(key_paths)`: each key's dpath.search result merged
 * into one nested mapping, in key order; a key the file lacks adds nothing. Keys name dict
 * keys only (no globs), as the index's selection does.
 */
export function selectParams(config: PyValue, keys: string[] | null): PyValue {
  if (keys === null || !(config instanceof Map)) return config;
  const out: PyDict = new Map();
  for (const key of new Set(keys)) {
    const parts = key.split('.');
    let node: PyValue = config;
    const path: [PyKey, PyValue][] = [];
    for (const part of parts) {
      const hit: [PyKey, PyValue] | undefined = node instanceof Map ? [...node].find(([k]) => segmentOf(k) === part) : undefined;
      if (!hit) break;
      path.push(hit);
      node = hit[1];
    }
    if (path.length !== parts.length) continue;
    let into = out;
    path.forEach(([k, v], i) => {
      if (i === path.length - 1) {
        into.set(k, v);
        return;
      }
      const next = into.get(k);
      if (next instanceof Map) into = next;
      else {
        const m: PyDict = new Map();
        into.set(k, m);
        into = m;
      }
    });
  }
  return out;
}

/**
 * The values stages read through `${}`, keyed by their dotted path as DVC tracks them (list
 * indexes as numbers: `models.0.lr`): dvc/repo/params/show.py _collect_vars data.
 */
export function trackedValues(config: PyValue, keys: string[]): PyDict {
  const out: PyDict = new Map();
  for (const key of keys) {
    let node: PyValue | undefined = config;
    for (const part of key.split('.')) {
      if (node instanceof Map) node = [...node].find(([k]) => segmentOf(k) === part)?.[1];
      else if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
      else node = undefined;
      if (node === undefined) break;
    }
    if (node !== undefined) out.set(key, node);
  }
  return out;
}

/**
 * A stored payload (plain JSON: objects, numbers) as Python values, for when a file's bytes
 * cannot be read again: an integral number is taken for an int, as the index stores it.
 */
export function payloadToPy(value: unknown): PyValue {
  if (typeof value === 'number') return Number.isInteger(value) ? value : new PyFloat(value);
  if (Array.isArray(value)) return value.map(payloadToPy);
  if (value instanceof PyFloat || value instanceof PyTimestamp) return value;
  if (value && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, payloadToPy(v)]));
  return value as PyValue;
}
