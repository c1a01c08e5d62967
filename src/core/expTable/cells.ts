// The Experiments table's columns and cells, read from the index by SQL: the keys found in the
// rows' params and metrics files (blob_value, one row per flattened key of a parsed file) and
// in their runs (ext_run_param, ext_run_metric). A window reads the cells of its rows only; a
// sort or a filter reads one column for every row, never every cell.

import type { Store } from '../store/store';
import { decodePayload } from '../util/values';
import { flattenParams, isDataMap } from '../data/flatten';
import type { DataMap } from '../data/types';
import { isSelected, paramsSelector } from '../query/values';
import { hasRunTables } from '../runs/runQueries';
import { cellFromReal, cellFromStored, runParamCell } from './cellValues';
import type { CellValue, ColumnGroup, TableColumn } from './types';

export const META_COLUMNS: readonly TableColumn[] = (['created', 'commit', 'message', 'state'] as const).map((key) => ({
  id: `meta:${key}`,
  group: 'meta',
  source: '',
  key,
  numeric: key === 'created',
}));

export const RUN_SOURCES = ['mlflow', 'wandb'] as const;

export function columnId(group: ColumnGroup, source: string, key: string): string {
  return `${group}:${source}:${key}`;
}

/** A file's roles as the table groups them: metrics files, params files and files stages read through `${}`. */
const ROLES = `('metrics', 'params', 'vars')`;

/** Metrics keep number, text and boolean leaves (DVC's _extract_metrics): lists and nulls are not metrics. */
const METRIC_LEAF = `(rf.role != 'metrics' OR (substr(bv.value, 1, 1) != '[' AND bv.value != 'null'))`;

/** Whether a key of a params or vars file row is one DVC shows (the stage's selection, or the keys read through `${}`). */
export function keyShown(role: string, path: string, selector: string | null, key: string): boolean {
  if (role === 'metrics') return true;
  if (role === 'vars') return isSelected(key, JSON.parse(selector ?? '[]') as string[]);
  return isSelected(key, paramsSelector(path, selector));
}

interface Found {
  path: string;
  role: string;
  key: string;
  numeric: boolean;
  ord: number;
  blob: number;
}

/**
 * Every params and metrics key of the given revisions (revision.id; undefined: every
 * revision), and every key of the runs, as columns: metrics before params, DVC files in the
 * order DVC collects them, then MLflow, then W&B; a file's keys in the newest file's order.
 */
export function discoverColumns(store: Store, revIds: readonly number[] | undefined, runs: boolean): TableColumn[] {
  const where = revIds === undefined ? '' : 'rev_id IN (SELECT value FROM json_each(?)) AND';
  const args = revIds === undefined ? [] : [JSON.stringify(revIds)];
  const found = store
    .sql(
      `SELECT rf.path, rf.role, rf.selector, bv.key,
        MIN(bv.num IS NOT NULL OR bv.value IN ('NaN', 'Infinity', '-Infinity')) AS numeric, MIN(rf.ord) AS ord, MAX(rf.blob_id) AS blob
      FROM (SELECT DISTINCT path, role, selector, blob_id, ord FROM revision_file WHERE ${where} role IN ${ROLES} AND blob_id IS NOT NULL) rf
      JOIN blob_value bv ON bv.blob_id = rf.blob_id
      WHERE ${METRIC_LEAF}
      GROUP BY rf.path, rf.role, rf.selector, bv.key`,
    )
    .all(...args) as (Omit<Found, 'numeric'> & { selector: string | null; numeric: number })[];
  const paramsPaths = new Set(found.filter((f) => f.role === 'params').map((f) => f.path));
  const columns = new Map<string, Found & { group: ColumnGroup }>();
  for (const f of found) {
    // A file read through `${}` counts only where it is not a params file (DVC's _collect_vars).
    if (f.role === 'vars' && paramsPaths.has(f.path)) continue;
    if (!keyShown(f.role, f.path, f.selector, f.key)) continue;
    const group: ColumnGroup = f.role === 'metrics' ? 'metrics' : 'params';
    const id = columnId(group, f.path, f.key);
    const old = columns.get(id);
    if (!old) columns.set(id, { ...f, numeric: f.numeric === 1, group });
    else {
      old.numeric &&= f.numeric === 1;
      old.ord = Math.min(old.ord, f.ord);
      old.blob = Math.max(old.blob, f.blob);
    }
  }
  const out: TableColumn[] = [...META_COLUMNS];
  for (const group of ['metrics', 'params'] as const) {
    const files = new Map<string, (Found & { group: ColumnGroup })[]>();
    for (const c of columns.values()) if (c.group === group) files.set(c.path, [...(files.get(c.path) ?? []), c]);
    const fileOrder = [...files.entries()].sort(
      ([a, x], [b, y]) => Math.min(...x.map((c) => c.ord)) - Math.min(...y.map((c) => c.ord)) || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const [path, list] of fileOrder) {
      const order = keyOrder(store, Math.max(...list.map((c) => c.blob)));
      const rank = (k: string) => order.get(k) ?? Number.MAX_SAFE_INTEGER;
      list.sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const c of list) out.push({ id: columnId(group, path, c.key), group, source: path, key: c.key, numeric: c.numeric });
    }
    if (runs && hasRunTables(store)) out.push(...runColumns(store, group));
  }
  return out;
}

/** The flattened keys of one stored file in the file's own order. */
function keyOrder(store: Store, blobId: number): Map<string, number> {
  const row = store.sql('SELECT payload FROM blob WHERE id = ?').get(blobId) as { payload: string | null } | undefined;
  const order = new Map<string, number>();
  if (!row?.payload) return order;
  const data = decodePayload<unknown>(row.payload);
  if (isDataMap(data as never)) Object.keys(flattenParams(data as DataMap)).forEach((k, i) => order.set(k, i));
  return order;
}

/** MLflow logs params as text: one whose every value reads as a number is a numeric column (see runParamCell). */
const NUMERIC_PARAM = `(CASE WHEN substr(p.value, 1, 1) = '"'
    THEN e.kind = 'mlflow' AND substr(p.value, 2, length(p.value) - 2) GLOB '*[0-9]*' AND substr(p.value, 2, length(p.value) - 2) NOT GLOB '*[^0-9eE.+-]*'
    ELSE p.value GLOB '[0-9-]*' OR p.value IN ('NaN', 'Infinity') END)`;

function runColumns(store: Store, group: ColumnGroup): TableColumn[] {
  const rows =
    group === 'metrics'
      ? // A logged metric is always a number (NaN included).
        store
          .sql(`SELECT DISTINCT e.kind, m.key, 1 AS numeric FROM ext_run_metric m JOIN ext_run e ON e.id = m.run ORDER BY e.kind, m.key`)
          .all()
      : store
          .sql(
            `SELECT e.kind, p.key, MIN(${NUMERIC_PARAM}) AS numeric FROM ext_run_param p JOIN ext_run e ON e.id = p.run GROUP BY e.kind, p.key ORDER BY e.kind, p.key`,
          )
          .all();
  const out = (rows as { kind: string; key: string; numeric: number }[]).map((r) => ({
    id: columnId(group, r.kind, r.key),
    group,
    source: r.kind,
    key: r.key,
    numeric: r.numeric === 1,
  }));
  // MLflow before W&B, as the sources are named everywhere else.
  return out.sort((a, b) => RUN_SOURCES.indexOf(a.source as never) - RUN_SOURCES.indexOf(b.source as never));
}

/** The params and metrics cells of some revisions (revision.id -> column id -> cell). */
export function revisionCells(store: Store, revIds: readonly number[]): Map<number, Record<string, CellValue>> {
  const out = new Map<number, Record<string, CellValue>>();
  if (revIds.length === 0) return out;
  const rows = store
    .sql(
      `SELECT rf.rev_id, rf.path, rf.role, rf.selector, bv.key, bv.value
      FROM revision_file rf JOIN blob_value bv ON bv.blob_id = rf.blob_id
      WHERE rf.rev_id IN (SELECT value FROM json_each(?)) AND rf.role IN ${ROLES} AND ${METRIC_LEAF}
      ORDER BY rf.rev_id, rf.role = 'vars'`,
    )
    .all(JSON.stringify(revIds)) as { rev_id: number; path: string; role: string; selector: string | null; key: string; value: string }[];
  let params = new Set<string>();
  let current = -1;
  for (const r of rows) {
    if (r.rev_id !== current) {
      current = r.rev_id;
      params = new Set();
    }
    if (r.role === 'params') params.add(r.path);
    else if (r.role === 'vars' && params.has(r.path)) continue;
    if (!keyShown(r.role, r.path, r.selector, r.key)) continue;
    let cells = out.get(r.rev_id);
    if (!cells) out.set(r.rev_id, (cells = Object.create(null) as Record<string, CellValue>));
    cells[columnId(r.role === 'metrics' ? 'metrics' : 'params', r.path, r.key)] = cellFromStored(r.value);
  }
  return out;
}

/** The params and metrics cells of some runs (ext_run.id -> column id -> cell). */
export function runCells(
  store: Store,
  runKeys: readonly number[],
  kindOf: (runKey: number) => string,
): Map<number, Record<string, CellValue>> {
  const out = new Map<number, Record<string, CellValue>>();
  if (runKeys.length === 0) return out;
  const ids = JSON.stringify(runKeys);
  const cellsOf = (run: number) => {
    let cells = out.get(run);
    if (!cells) out.set(run, (cells = Object.create(null) as Record<string, CellValue>));
    return cells;
  };
  for (const r of store.sql('SELECT run, key, value FROM ext_run_param WHERE run IN (SELECT value FROM json_each(?))').all(ids) as {
    run: number;
    key: string;
    value: string;
  }[]) {
    cellsOf(r.run)[columnId('params', kindOf(r.run), r.key)] = runParamCell(kindOf(r.run), r.value);
  }
  for (const r of store.sql('SELECT run, key, value FROM ext_run_metric WHERE run IN (SELECT value FROM json_each(?))').all(ids) as {
    run: number;
    key: string;
    value: number | null;
  }[]) {
    cellsOf(r.run)[columnId('metrics', kindOf(r.run), r.key)] = cellFromReal(r.value);
  }
  return out;
}

/**
 * One DVC column over every revision that has its file (revision.id -> cell); one query, the
 * file's rows found by path and the key by the blob's primary key.
 */
export function revisionColumn(store: Store, column: TableColumn): Map<number, CellValue> {
  const out = new Map<number, CellValue>();
  const roles = column.group === 'metrics' ? ['metrics', 'metrics'] : ['params', 'vars'];
  const rows = store
    .sql(
      `SELECT rf.rev_id, rf.role, rf.selector, bv.value
      FROM revision_file rf LEFT JOIN blob_value bv ON bv.blob_id = rf.blob_id AND bv.key = ?
      WHERE rf.path = ? AND rf.role IN (?, ?) ORDER BY rf.rev_id, rf.role = 'vars'`,
    )
    .all(column.key, column.source, ...roles) as { rev_id: number; role: string; selector: string | null; value: string | null }[];
  let params = -1;
  for (const r of rows) {
    if (r.role === 'params') params = r.rev_id;
    else if (r.role === 'vars' && params === r.rev_id) continue;
    if (r.value === null) continue;
    if (r.role === 'metrics' && (r.value.startsWith('[') || r.value === 'null')) continue;
    if (!keyShown(r.role, column.source, r.selector, column.key)) continue;
    out.set(r.rev_id, cellFromStored(r.value));
  }
  return out;
}

/** One run column over every run that has it (ext_run.id -> cell). */
export function runColumn(store: Store, column: TableColumn): Map<number, CellValue> {
  const out = new Map<number, CellValue>();
  if (!hasRunTables(store)) return out;
  if (column.group === 'metrics') {
    for (const r of store
      .sql('SELECT m.run, m.value FROM ext_run_metric m JOIN ext_run e ON e.id = m.run WHERE m.key = ? AND e.kind = ?')
      .all(column.key, column.source) as { run: number; value: number | null }[])
      out.set(r.run, cellFromReal(r.value));
  } else {
    for (const r of store
      .sql('SELECT p.run, p.value FROM ext_run_param p JOIN ext_run e ON e.id = p.run WHERE p.key = ? AND e.kind = ?')
      .all(column.key, column.source) as { run: number; value: string }[])
      out.set(r.run, runParamCell(column.source, r.value));
  }
  return out;
}
