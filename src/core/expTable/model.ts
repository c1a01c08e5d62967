// The Experiments table model: rows (rows.ts) filtered and sorted over only the columns the
// query names, each read for every row with one query (cells.ts); a window then reads the
// cells of its own rows. Opening costs the row list, the column list and one query per sort
// or filter column, whatever the number of columns.

import type { Store } from '../store/store';
import { buildRows, type HeadInfo, type RowMeta } from './rows';
import { META_COLUMNS, discoverColumns, revisionCells, revisionColumn, runCells, runColumn } from './cells';
import { cellMatches, compareSortValues, sortValue, type SortValue } from './cellValues';
import { readMarks, type RowMark } from './marks';
import type { CellValue, RowOutline, SortKey, TableColumn, TableModel, TableQuery, TableRow } from './types';
import { WORKSPACE } from '../indexer/writeRevision';
import { hasRunTables } from '../runs/runQueries';

/** The meta cells every row has, from what the row list already holds. */
function metaCell(row: RowMeta, key: string): CellValue | undefined {
  switch (key) {
    case 'created':
      return row.created ?? undefined;
    case 'commit':
      return row.commit ?? undefined;
    case 'message':
      return row.message;
    case 'state':
      return row.state;
  }
  return undefined;
}

/**
 * What changes when the index does: new blobs and commits, a workspace indexed again, refs
 * moved, runs synced. Commits are written once, whole, so these say whether a row list or a
 * column list read before still holds.
 */
function indexVersion(store: Store): string {
  const runs = hasRunTables(store)
    ? `, (SELECT max(synced_at) FROM run_source) AS s, (SELECT count(*) FROM ext_run) AS e, (SELECT max(id) FROM ext_run) AS x`
    : '';
  const row = store
    .sql(
      `SELECT (SELECT max(id) FROM blob) AS b, (SELECT max(id) FROM revision) AS r, (SELECT count(*) FROM revision) AS n,
      (SELECT max(indexed_at) FROM revision) AS i, (SELECT group_concat(name || ' ' || sha, ',') FROM ref) AS refs${runs}`,
    )
    .get();
  return JSON.stringify(row);
}

interface Cached {
  version: string;
  rows: Map<string, RowMeta[]>;
  columns: Map<string, TableColumn[]>;
}

/**
 * Row and column lists of the queries asked since the index last changed, per open index:
 * the editor opens the table again for every sort, filter or page of commits, and reading
 * every file's keys again each time would cost more than the rest of the open.
 */
const cached = new WeakMap<Store, Cached>();

/** A few queries' lists at most (the editor pages commits 100 at a time): the oldest goes first. */
const REMEMBERED = 8;

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string);
}

function listsFor(store: Store, head: HeadInfo, query: TableQuery): { rows: RowMeta[]; columns: TableColumn[] } {
  const version = indexVersion(store);
  let cache = cached.get(store);
  if (!cache || cache.version !== version) cached.set(store, (cache = { version, rows: new Map(), columns: new Map() }));
  const runs = query.runs !== false;
  const rowKey = JSON.stringify([
    head.sha ?? null,
    head.branch ?? null,
    query.allCommits ?? false,
    query.branches ?? null,
    query.commitsPerBranch ?? null,
    runs,
    query.tags ?? true,
    query.allBaselines ?? true,
  ]);
  let rows = cache.rows.get(rowKey);
  if (!rows) remember(cache.rows, rowKey, (rows = buildRows(store, head, query)));
  // Every revision when the table shows every commit: one scan instead of a long IN list.
  const columnKey = query.allCommits ? `all ${runs}` : rowKey;
  let columns = cache.columns.get(columnKey);
  if (!columns) {
    const revIds = query.allCommits ? undefined : rows.flatMap((r) => (r.revId === undefined ? [] : [r.revId]));
    remember(cache.columns, columnKey, (columns = discoverColumns(store, revIds, runs)));
  }
  return { rows, columns };
}

export function openTableModel(store: Store, head: HeadInfo, query: TableQuery): TableModel {
  const { rows, columns } = listsFor(store, head, query);
  const byId = new Map(columns.map((c) => [c.id, c]));
  const marks = readMarks(store);
  const markOf = (id: string): RowMark => marks.get(id) ?? { starred: false, note: '' };

  // One column for every row, read once however many sort keys and filters name it.
  const cache = new Map<string, (CellValue | undefined)[]>();
  const columnCells = (id: string): (CellValue | undefined)[] => {
    let cells = cache.get(id);
    if (cells) return cells;
    const column = byId.get(id) ?? META_COLUMNS.find((c) => c.id === id);
    if (!column) cells = rows.map(() => undefined);
    else if (column.group === 'meta') cells = rows.map((r) => metaCell(r, column.key));
    else if (column.source === 'mlflow' || column.source === 'wandb') {
      const values = runColumn(store, column);
      cells = rows.map((r) => (r.runKey !== undefined && r.runKind === column.source ? values.get(r.runKey) : undefined));
    } else {
      const values = revisionColumn(store, column);
      cells = rows.map((r) => (r.revId !== undefined && r.runKey === undefined ? values.get(r.revId) : undefined));
    }
    cache.set(id, cells);
    return cells;
  };

  // Filters: a row stays when it meets every condition; a row above one that stays is kept
  // for context (a commit whose experiment matches), flagged as such.
  const matched = rows.map(() => true);
  for (const f of query.filters ?? []) {
    const cells = columnCells(f.column);
    for (let i = 0; i < rows.length; i++)
      if (matched[i] && !cellMatches(cells[i], f.op, f.value, { time: f.column === 'meta:created' })) matched[i] = false;
  }
  const text = query.text?.trim().toLowerCase();
  if (text) {
    for (let i = 0; i < rows.length; i++) {
      if (!matched[i]) continue;
      const r = rows[i];
      const hay = [r.label, r.message, r.commit ?? '', r.id, markOf(r.id).note, ...r.refs];
      matched[i] = hay.some((h) => h.toLowerCase().includes(text));
    }
  }
  if (query.starredOnly) for (let i = 0; i < rows.length; i++) if (matched[i] && !markOf(rows[i].id).starred) matched[i] = false;
  const indexOf = new Map(rows.map((r, i) => [r.id, i]));
  const context = new Set<number>();
  rows.forEach((r, i) => {
    if (!matched[i] || r.parentId === null) return;
    const p = indexOf.get(r.parentId);
    if (p !== undefined && !matched[p]) context.add(p);
  });
  const visible = rows.map((_, i) => matched[i] || context.has(i));

  const order = sortedOrder(
    rows,
    visible,
    (query.sort ?? []).filter((k) => byId.has(k.column) || META_COLUMNS.some((c) => c.id === k.column)),
    columnCells,
  );
  const slice = (offset: number, count: number): number[] => {
    const start = Math.max(0, Math.floor(offset) || 0);
    return order.slice(start, start + Math.max(0, Math.floor(count) || 0));
  };
  const baselineId = head.sha && indexOf.has(head.sha) ? head.sha : indexOf.has(WORKSPACE) ? WORKSPACE : null;

  return {
    columns,
    rowCount: order.length,
    baselineId,
    outline(offset: number, count: number): RowOutline[] {
      return slice(offset, count).map((i) => ({
        id: rows[i].id,
        kind: rows[i].kind,
        parentId: rows[i].parentId,
        depth: rows[i].depth,
        context: context.has(i),
      }));
    },
    window(offset: number, count: number): TableRow[] {
      const picked = slice(offset, count).map((i) => rows[i]);
      const revCells = revisionCells(
        store,
        picked.flatMap((r) => (r.revId !== undefined && r.runKey === undefined ? [r.revId] : [])),
      );
      const kinds = new Map(picked.flatMap((r) => (r.runKey !== undefined ? [[r.runKey, r.runKind!] as const] : [])));
      const runCellMap = runCells(store, [...kinds.keys()], (k) => kinds.get(k)!);
      // Marks read again: a star set since the table opened shows in the next window.
      const fresh = readMarks(
        store,
        picked.map((r) => r.id),
      );
      return picked.map((r) => {
        const data = r.runKey !== undefined ? runCellMap.get(r.runKey) : r.revId !== undefined ? revCells.get(r.revId) : undefined;
        const cells: Record<string, CellValue> = Object.create(null) as Record<string, CellValue>;
        for (const c of META_COLUMNS) {
          const v = metaCell(r, c.key);
          if (v !== undefined) cells[c.id] = v;
        }
        if (data) Object.assign(cells, data);
        const mark = fresh.get(r.id) ?? { starred: false, note: '' };
        const row: TableRow = {
          id: r.id,
          kind: r.kind,
          label: r.label,
          parentId: r.parentId,
          depth: r.depth,
          commit: r.commit,
          created: r.created,
          message: r.message,
          state: r.state,
          starred: mark.starred,
          note: mark.note,
          cells,
          refs: r.refs,
          group: r.group,
        };
        if (context.has(indexOf.get(r.id)!)) row.context = true;
        return row;
      });
    },
  };
}

/**
 * The visible rows in order: rows at the top level sorted among themselves, the rows under
 * each sorted among themselves and kept under it. Ties (and a query without sort keys) keep
 * the default order, so the order is the same on every run.
 */
function sortedOrder(
  rows: RowMeta[],
  visible: boolean[],
  keys: SortKey[],
  columnCells: (id: string) => (CellValue | undefined)[],
): number[] {
  const values: SortValue[][] = keys.map((k) => columnCells(k.column).map(sortValue));
  const compare = (a: number, b: number): number => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareSortValues(values[k][a], values[k][b], keys[k].order);
      if (c !== 0) return c;
    }
    return a - b;
  };
  const children = new Map<string, number[]>();
  const top: number[] = [];
  const ids = new Set(rows.map((r) => r.id));
  rows.forEach((r, i) => {
    if (!visible[i]) return;
    // A row whose parent is not in the table is at the top level.
    if (r.parentId !== null && ids.has(r.parentId)) {
      const list = children.get(r.parentId);
      if (list) list.push(i);
      else children.set(r.parentId, [i]);
    } else top.push(i);
  });
  if (keys.length > 0) {
    top.sort(compare);
    for (const list of children.values()) list.sort(compare);
  }
  const out: number[] = [];
  const visit = (i: number) => {
    out.push(i);
    for (const c of children.get(rows[i].id) ?? []) visit(c);
  };
  top.forEach(visit);
  return out;
}
