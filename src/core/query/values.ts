import type { DataMap, DataValue, FlatMap, FlatValue } from '../data/types';
import { flattenParams, isDataMap, setEntry } from '../data/flatten';
import { PyFloat, type PyValue } from '../python/pyFloat';
import { payloadToPy, trackedValues } from './dvcSelect';
import type { Store } from '../store/store';
import { decodePayload, type DecodeOptions } from '../util/values';
import type { FileValues } from '../diff/diff';
import { DEFAULT_PARAMS_FILE } from '../indexer/defaultParams';

export interface FileProblem {
  path: string;
  status: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ValuesAtRevision {
  values: FileValues;
  /** Files named by the pipeline that could not be read at this revision, with why. */
  problems: FileProblem[];
}

interface Row {
  path: string;
  role: string;
  status: string;
  detail: string | null;
  selector: string | null;
  bstatus: string | null;
  message: string | null;
  line: number | null;
  col: number | null;
  payload: string | null;
}

/**
 * Metrics or params of one revision as DVC shows them: metrics keep number/string/bool leaves
 * (lists and nulls dropped); params keep what the pipeline tracks (selected keys or whole file),
 * the root params.yaml whole, and the keys stages read through `${}` from files that are not
 * params files. Files and keys come in DVC's order (the order it collects files in, each
 * file's own key order). With `exact`, ints past 2^53 come back as bigints (Python's exact
 * value); without it as the nearest number, for callers that pass values on as JSON.
 */
export function valuesAt(store: Store, sha: string, kind: 'metrics' | 'params', options: DecodeOptions = {}): ValuesAtRevision {
  const rows = store
    .sql(
      `SELECT rf.path, rf.role, rf.status, rf.detail, rf.selector, b.status AS bstatus, b.message, b.line, b.col, b.payload
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id
      LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role IN (?, ?) ORDER BY rf.role = 'vars', rf.ord, rf.path`,
    )
    .all(sha, kind, kind === 'params' ? 'vars' : kind) as Row[];
  const values: FileValues = {};
  const problems = new Map<string, FileProblem>();
  const params = new Set(rows.filter((r) => r.role !== 'vars').map((r) => r.path));
  for (const row of rows) {
    if (row.role === 'vars') {
      // dvc/repo/params/show.py _collect_vars: only files that are not params files already.
      if (params.has(row.path) || row.status !== 'ok' || row.bstatus !== 'ok' || !row.payload) continue;
      const tracked = trackedValues(payloadToPy(decodePayload(row.payload, options)), JSON.parse(row.selector ?? '[]') as string[]);
      const file: FlatMap = values[row.path] ?? (values[row.path] = {});
      for (const [key, value] of tracked) setEntry(file, key as string, fromPy(value));
      continue;
    }
    if (row.status !== 'ok') {
      problems.set(row.path, { path: row.path, status: row.status, message: row.detail ?? `${row.path} is ${row.status}` });
      continue;
    }
    if (row.bstatus !== 'ok') {
      problems.set(row.path, {
        path: row.path,
        status: row.bstatus ?? 'error',
        message: row.message ?? 'unreadable',
        line: row.line ?? undefined,
        column: row.col ?? undefined,
      });
      continue;
    }
    const file: FlatMap = values[row.path] ?? (values[row.path] = {});
    const data = row.payload ? decodePayload<unknown>(row.payload, options) : {};
    if (!isDataMap(data as DataValue)) continue;
    const selector = kind === 'params' ? paramsSelector(row.path, row.selector) : null;
    for (const [key, value] of Object.entries(flattenParams(data as DataMap))) {
      if (kind === 'metrics') {
        if (value === null || Array.isArray(value)) continue;
      } else if (!isSelected(key, selector)) continue;
      setEntry(file, key, value);
    }
  }
  return { values, problems: [...problems.values()] };
}

/** A value read back through payloadToPy, as the index's plain values (floats as numbers). */
function fromPy(value: PyValue): FlatValue {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map((v) => toPlain(v)) as DataValue[];
  return value as FlatValue;
}

function toPlain(value: PyValue): DataValue {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  return value as DataValue;
}

/**
 * The keys of a params file DVC shows, from its stored selector (JSON; null = whole file). The
 * root params.yaml is always whole: indexes written before the planner said so carry the
 * stages' keys on it, and this keeps them right without re-indexing.
 */
export function paramsSelector(path: string, stored: string | null): string[] | null {
  if (path === DEFAULT_PARAMS_FILE || stored === null || stored === 'null') return null;
  const keys = JSON.parse(stored) as string[];
  return keys.length ? keys : null;
}

export function isSelected(key: string, selector: string[] | null): boolean {
  return selector === null || selector.some((s) => key === s || key.startsWith(`${s}.`));
}

const problemOfRow = (r: Row & { role: string }): FileProblem & { role: string } =>
  r.status !== 'ok'
    ? { path: r.path, role: r.role, status: r.status, message: r.detail ?? r.status }
    : {
        path: r.path,
        role: r.role,
        status: r.bstatus!,
        message: r.message ?? r.bstatus!,
        line: r.line ?? undefined,
        column: r.col ?? undefined,
      };

/** Every unreadable file of a revision (parse errors with line and column, refusals, cache misses). */
export function problemsAt(store: Store, sha: string): (FileProblem & { role: string })[] {
  const rows = store
    .sql(
      `SELECT rf.path, rf.role, rf.status, rf.detail, b.status AS bstatus, b.message, b.line, b.col
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND (rf.status != 'ok' OR b.status != 'ok') ORDER BY rf.path`,
    )
    .all(sha) as (Row & { role: string })[];
  return rows.map(problemOfRow);
}

/** problemsAt for many revisions in one query: sha -> problems (every sha given has an entry). */
export function problemsAtMany(store: Store, shas: readonly string[]): Map<string, (FileProblem & { role: string })[]> {
  const out = new Map(shas.map((sha) => [sha, [] as (FileProblem & { role: string })[]]));
  const rows = store
    .sql(
      `SELECT r.sha, rf.path, rf.role, rf.status, rf.detail, b.status AS bstatus, b.message, b.line, b.col
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha IN (SELECT value FROM json_each(?)) AND (rf.status != 'ok' OR b.status != 'ok') ORDER BY r.sha, rf.path`,
    )
    .all(JSON.stringify(shas)) as (Row & { sha: string; role: string })[];
  for (const r of rows) out.get(r.sha)?.push(problemOfRow(r));
  return out;
}

/** DVC's _extract_metrics on a nested document: number/string/bool leaves; lists, nulls and empty maps dropped. */
export function metricsTree(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const m = metricsTree(v);
    if (m !== undefined && !(typeof m === 'object' && Object.keys(m as object).length === 0)) out[k] = m;
  }
  return out;
}

/** Nested metrics documents of a revision, the shape `dvc metrics show --json` prints. */
export function metricsDocumentsAt(
  store: Store,
  sha: string,
  options: DecodeOptions = {},
): Record<string, { data: unknown } | { error: FileProblem }> {
  const rows = store
    .sql(
      `SELECT rf.path, rf.status, rf.detail, b.status AS bstatus, b.message, b.line, b.col, b.payload
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role = 'metrics' ORDER BY rf.ord, rf.path`,
    )
    .all(sha) as Row[];
  const out: Record<string, { data: unknown } | { error: FileProblem }> = {};
  for (const r of rows) {
    if (r.status !== 'ok') out[r.path] = { error: { path: r.path, status: r.status, message: r.detail ?? r.status } };
    else if (r.bstatus !== 'ok')
      out[r.path] = {
        error: {
          path: r.path,
          status: r.bstatus ?? 'error',
          message: r.message ?? 'unreadable',
          line: r.line ?? undefined,
          column: r.col ?? undefined,
        },
      };
    else out[r.path] = { data: metricsTree(r.payload ? decodePayload(r.payload, options) : {}) ?? {} };
  }
  return out;
}
