// One Experiments table as its panel holds it: the query the page asked for, the table model
// opened for it, and the answers to the page's requests (windows of rows cut to the columns it
// shows, rows by id for actions, values for the charts). No vscode import: tested in Node with
// a model in memory.
import type { TableModel, TableQuery, TableRow } from '../../core/expTable/types';
import { rankCorrelations } from '../../core/expTable/correlation';
import type { ColumnInfo, CorrelationEntry, PointsReply, QueryView, RowsWindow, Scope, TableInfo } from '../../protocol/experiments';

/** The biggest window one request gets (a page asks for less; this bounds a hostile one). */
export const MAX_WINDOW = 1000;
/** Rows read per step when scanning the whole table for chart values. */
const SCAN_STEP = 500;
/** Rows outlined per step when looking rows up by id. */
const OUTLINE_STEP = 5000;
/** The charts draw at most this many rows. */
export const MAX_POINTS = 10000;

export interface TableSource {
  /** Opens the table of the folder's index for a query (throws when the index is not open). */
  open(query: TableQuery): TableModel;
  /** Which way is better for numeric metric columns (by key), from the settings and the key's name. */
  directions(columns: readonly { key: string }[]): Record<string, 'higher' | 'lower'>;
  readonly folder: string;
}

export type SessionQuery = QueryView;

export class TableSession {
  private model: TableModel | undefined;
  private columnInfo: ColumnInfo[] = [];
  private baselineRow: TableRow | null = null;
  private gen = 0;
  private q: SessionQuery;

  constructor(
    private readonly source: TableSource,
    query: SessionQuery,
  ) {
    this.q = cloneQuery(query);
  }

  get generation(): number {
    return this.gen;
  }

  get query(): SessionQuery {
    return cloneQuery(this.q);
  }

  get opened(): boolean {
    return this.model !== undefined;
  }

  get rowCount(): number {
    return this.model?.rowCount ?? 0;
  }

  get columns(): readonly ColumnInfo[] {
    return this.columnInfo;
  }

  setQuery(query: SessionQuery): void {
    this.q = cloneQuery(query);
  }

  /** Opens the model for the current query (after a query change or an index change): a new generation. */
  reopen(): TableInfo {
    const model = this.source.open(toTableQuery(this.q));
    const directions = this.source.directions(model.columns.filter((c) => c.group === 'metrics' && c.numeric));
    this.model = model;
    this.gen++;
    this.columnInfo = model.columns.map((c) =>
      c.group === 'metrics' && c.numeric && directions[c.key] ? { ...c, direction: directions[c.key] } : { ...c },
    );
    this.baselineRow = model.baselineId === null ? null : this.findBaseline(model, model.baselineId);
    return this.info();
  }

  info(): TableInfo {
    const model = this.requireModel();
    return {
      generation: this.gen,
      columns: this.columnInfo,
      rowCount: model.rowCount,
      baselineId: model.baselineId,
      baseline: this.baselineRow,
      folder: this.source.folder,
    };
  }

  /** Rows [offset, offset + count), with only the cells of `columns` (null: all). */
  window(offset: number, count: number, columns: readonly string[] | null, requestId = 0): RowsWindow {
    const model = this.requireModel();
    const start = Math.max(0, Math.min(Math.floor(offset), model.rowCount));
    const n = Math.max(0, Math.min(Math.floor(count), MAX_WINDOW, model.rowCount - start));
    const rows = n > 0 ? model.window(start, n) : [];
    return {
      generation: this.gen,
      offset: start,
      rows: columns ? rows.map((r) => cutCells(r, columns)) : rows,
      columns: columns ? [...columns] : null,
      requestId,
    };
  }

  /** The rows with these ids in the given order; ids no longer in the table are left out. */
  rowsById(ids: readonly string[]): TableRow[] {
    const model = this.requireModel();
    const found = new Map<string, TableRow>();
    for (const index of this.indexesOf(model, ids)) {
      const [row] = model.window(index, 1);
      if (row) found.set(row.id, row);
    }
    return ids.map((id) => found.get(id)).filter((r): r is TableRow => r !== undefined);
  }

  /** Numeric values of some columns over the filtered rows (or the selected ones), for the charts. */
  points(columns: readonly string[], scope: Scope, rowIds: readonly string[], requestId = 0): PointsReply {
    const rows: PointsReply['rows'] = [];
    let omitted = 0;
    const take = (row: TableRow) => {
      if (rows.length >= MAX_POINTS) {
        omitted++;
        return;
      }
      rows.push({ id: row.id, label: row.label, values: columns.map((c) => numberOf(row.cells[c])) });
    };
    if (scope === 'selected') this.rowsById(rowIds).forEach(take);
    else
      this.scan((row) => {
        take(row);
        return true;
      });
    return { requestId, generation: this.gen, columns: [...columns], rows, omitted };
  }

  /** Rank correlation of every numeric param with a metric, over the filtered (or selected) rows, strongest first. */
  correlation(metric: string, scope: Scope, rowIds: readonly string[]): { n: number; entries: CorrelationEntry[] } {
    const params = this.columnInfo.filter((c) => c.group === 'params' && c.numeric).map((c) => c.id);
    const values = this.points([metric, ...params], scope, rowIds);
    const metricValues = values.rows.map((r) => r.values[0]);
    const entries = rankCorrelations(
      metricValues,
      params.map((column, i) => ({ column, values: values.rows.map((r) => r.values[i + 1]) })),
    );
    return { n: values.rows.length, entries };
  }

  private requireModel(): TableModel {
    if (!this.model) throw new Error('the table is not open');
    return this.model;
  }

  /** Visits rows (with their cells) in table order until `visit` returns false. */
  private scan(visit: (row: TableRow) => boolean, model = this.requireModel()): void {
    for (let offset = 0; offset < model.rowCount; offset += SCAN_STEP) {
      for (const row of model.window(offset, Math.min(SCAN_STEP, model.rowCount - offset))) if (!visit(row)) return;
    }
  }

  /** Where rows with these ids are, found through the outline (no cells are read). */
  private indexesOf(model: TableModel, ids: readonly string[]): number[] {
    const wanted = new Set(ids);
    const out: number[] = [];
    for (let offset = 0; offset < model.rowCount && out.length < wanted.size; offset += OUTLINE_STEP) {
      model.outline(offset, Math.min(OUTLINE_STEP, model.rowCount - offset)).forEach((r, i) => {
        if (wanted.has(r.id)) out.push(offset + i);
      });
    }
    return out;
  }

  /** The baseline row, even when the filters hide it (then from the table without filters). */
  private findBaseline(model: TableModel, id: string): TableRow | null {
    const at = this.indexesOf(model, [id])[0];
    if (at !== undefined) return model.window(at, 1)[0] ?? null;
    if (!hasRowFilters(this.q)) return null;
    const unfiltered = this.source.open(toTableQuery({ ...this.q, filters: [], text: '', starredOnly: false, sort: [] }));
    const there = this.indexesOf(unfiltered, [id])[0];
    return there === undefined ? null : (unfiltered.window(there, 1)[0] ?? null);
  }
}

function hasRowFilters(q: SessionQuery): boolean {
  return q.filters.length > 0 || q.text !== '' || q.starredOnly;
}

export function toTableQuery(q: SessionQuery): TableQuery {
  const query: TableQuery = { sort: q.sort.map((s) => ({ ...s })), filters: q.filters.map((f) => ({ ...f })), starredOnly: q.starredOnly };
  if (q.text.trim()) query.text = q.text.trim();
  if (q.allCommits) query.allCommits = true;
  return query;
}

function cloneQuery(q: SessionQuery): SessionQuery {
  return {
    sort: q.sort.map((s) => ({ ...s })),
    filters: q.filters.map((f) => ({ ...f })),
    text: q.text,
    starredOnly: q.starredOnly,
    allCommits: q.allCommits === true,
  };
}

function cutCells(row: TableRow, columns: readonly string[]): TableRow {
  const cells: TableRow['cells'] = {};
  for (const c of columns) {
    const v = row.cells[c];
    if (v !== undefined) cells[c] = v;
  }
  return { ...row, cells };
}

function numberOf(value: TableRow['cells'][string] | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The Metric Diff's old side: the baseline when it is one of the two, else the older row. */
export function orderForDiff(rows: readonly TableRow[], baselineId: string | null): [TableRow, TableRow] {
  const [a, b] = rows;
  if (b.id === baselineId) return [b, a];
  if (a.id === baselineId) return [a, b];
  if (a.created !== null && b.created !== null && a.created > b.created) return [b, a];
  return [a, b];
}

/** Metrics for the Metric History: the sorted DVC metrics, else the first numeric DVC metrics shown (at most 4). */
export function historyMetrics(sorted: readonly (ColumnInfo | undefined)[], shown: readonly ColumnInfo[]): ColumnInfo[] {
  const dvc = (c: ColumnInfo | undefined): c is ColumnInfo =>
    c !== undefined && c.group === 'metrics' && c.numeric && c.source !== 'mlflow' && c.source !== 'wandb';
  const fromSort = sorted.filter(dvc);
  return (fromSort.length ? fromSort : shown.filter(dvc)).slice(0, 4);
}
