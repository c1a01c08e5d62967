// Messages between the Experiments table webview and its host. Imported by both builds (the
// extension bundle and the browser bundle), so it holds types and small pure helpers only.
// The page never holds the whole table: it asks for windows of rows (and of columns), and the
// host answers from the table model of the folder's index.
import type { CellValue, ColumnGroup, Filter, FilterOp, RowKind, SortKey, TableColumn, TableRow } from '../core/expTable/types';

export type { CellValue, ColumnGroup, Filter, FilterOp, RowKind, SortKey, TableColumn, TableRow };

export interface ColumnInfo extends TableColumn {
  /** Numeric metric columns: which way is better (lineage.metricDirections, else by the key's name). */
  direction?: 'higher' | 'lower';
}

/** What the user chose about columns; kept per workspace folder in the workspace state. */
export interface ColumnLayout {
  /** Column ids not shown. */
  hidden: string[];
  /** Column ids in the user's order; columns not named (new keys) follow in the model's order. */
  order: string[];
  /** Column ids kept on the left while scrolling sideways, in this order. */
  pinned: string[];
  /** Widths in CSS pixels by column id (the row-label column is `label`). */
  widths: Record<string, number>;
}

/** What rows the table shows and in which order (a TableQuery without the row sources). */
export interface QueryView {
  sort: SortKey[];
  filters: Filter[];
  text: string;
  starredOnly: boolean;
  /** Every indexed commit instead of the checked-out branch's (`exp show -A`). */
  allCommits: boolean;
}

/** One opened table: it changes (new generation) on every query change and index change. */
export interface TableInfo {
  generation: number;
  columns: ColumnInfo[];
  rowCount: number;
  baselineId: string | null;
  /** The baseline row with every cell (cells are coloured against it), or null. */
  baseline: TableRow | null;
  /** The folder's name (several folders have one table each). */
  folder: string;
}

/** Rows [offset, offset + rows.length) of a generation; cells only of `columns` (null: all). */
export interface RowsWindow {
  generation: number;
  offset: number;
  rows: TableRow[];
  columns: string[] | null;
  /** The request answered (0 when the host sends rows unasked, with a new table). */
  requestId: number;
}

export type RowAction = 'compare' | 'plots' | 'history' | 'lineage' | 'checkout' | 'copyMarkdown' | 'copyCsv';

export const ROW_ACTIONS: readonly RowAction[] = ['compare', 'plots', 'history', 'lineage', 'checkout', 'copyMarkdown', 'copyCsv'];

/** Compare opens the Metric Diff for two rows and the side-by-side view for up to this many. */
export const MAX_COMPARE = 8;

/** Values of some columns over many rows, for the charts tab. */
export interface PointsReply {
  requestId: number;
  generation: number;
  columns: string[];
  rows: { id: string; label: string; values: (number | null)[] }[];
  /** Rows left out beyond the cap (the charts draw at most this many). */
  omitted: number;
}

export interface CorrelationEntry {
  column: string;
  /** Spearman's rank correlation in [-1, 1], or null when it is undefined (a constant column). */
  rho: number | null;
  /** Rows where both the param and the metric are numbers. */
  n: number;
}

export type Scope = 'filtered' | 'selected';

/** Host -> webview. */
export type HostMessage =
  /** The first message after every `ready`: the table, the saved layout and query, the first rows. */
  | { type: 'init'; table: TableInfo; layout: ColumnLayout; query: QueryView; window: RowsWindow | null }
  /** The table changed (a query change, new commits or runs, values of running runs): rows the page shows come again. */
  | { type: 'table'; table: TableInfo; query: QueryView; window: RowsWindow | null }
  | ({ type: 'rows' } & RowsWindow)
  | { type: 'loading' }
  | { type: 'error'; message: string }
  /** One line for the status area (copied, nothing to plot…). */
  | { type: 'status'; text: string }
  /** Rows with every cell, for the side-by-side comparison of up to MAX_COMPARE rows. */
  | { type: 'compare'; rows: TableRow[]; baselineId: string | null }
  | ({ type: 'points' } & PointsReply)
  | { type: 'correlation'; requestId: number; metric: string; scope: Scope; n: number; entries: CorrelationEntry[] }
  /** Scrolls the grid (tests, and revealing a row). */
  | { type: 'scroll'; top?: number; left?: number };

/** What the page reports having drawn (tests read it; nothing depends on it). */
export interface RenderedReport {
  /** Cells in the DOM (header cells included). */
  cells: number;
  /** Row elements in the DOM. */
  rows: number;
  /** Rows drawn with data (not waiting for their window). */
  filled: number;
  firstRow: number;
  lastRow: number;
  scrollTop: number;
  scrollLeft: number;
  generation: number;
}

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'window'; requestId: number; generation: number; offset: number; count: number; columns: string[] | null }
  | { type: 'query'; query: QueryView }
  | { type: 'layout'; layout: ColumnLayout }
  | { type: 'star'; rowId: string; starred: boolean }
  | { type: 'editNote'; rowId: string }
  | { type: 'action'; action: RowAction; rowIds: string[]; columns: string[] }
  /** Double-click: the row's commit (Runs view) or run. */
  | { type: 'open'; rowId: string }
  | { type: 'points'; requestId: number; columns: string[]; scope: Scope; rowIds: string[] }
  | { type: 'correlation'; requestId: number; metric: string; scope: Scope; rowIds: string[] }
  | ({ type: 'rendered' } & RenderedReport);

export const EMPTY_LAYOUT: ColumnLayout = { hidden: [], order: [], pinned: [], widths: {} };
export const EMPTY_QUERY: QueryView = { sort: [], filters: [], text: '', starredOnly: false, allCommits: false };

/** What the webview stores with setState; the serializer reads `folder` to reopen the same table after a reload. */
export interface PersistedState {
  version: 1;
  folder?: string;
  tab?: 'table' | 'charts';
  delta?: boolean;
  scrollTop?: number;
  scrollLeft?: number;
  /** Selected row ids (the page is reloaded each time its tab is shown again). */
  selected?: string[];
}

/** A cell as text: numbers as JavaScript prints them, lists and objects as DVC prints them. */
export function cellText(value: CellValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return value.text;
  return String(value);
}

/** The column's short name: the key, or the meta name. */
export function columnLabel(column: Pick<TableColumn, 'key'>): string {
  return column.key;
}

/** The header group a column belongs to: `metrics · eval/metrics.json`, `params · params.yaml`, `row`. */
export function groupLabel(column: Pick<TableColumn, 'group' | 'source'>): string {
  return column.group === 'meta' ? 'row' : `${column.group} · ${column.source}`;
}

/**
 * The columns shown, in order: the pinned ones (in pin order), then the others in the user's
 * order, columns the layout does not name yet (new keys) last in the model's order. Hidden
 * columns and ids the table no longer has are left out. Host and page arrange alike.
 */
export function arrangeColumns(columns: readonly { id: string }[], layout: ColumnLayout): { pinned: string[]; rest: string[] } {
  const known = new Set(columns.map((c) => c.id));
  const hidden = new Set(layout.hidden);
  const pinned = [...new Set(layout.pinned)].filter((id) => known.has(id) && !hidden.has(id));
  const isPinned = new Set(pinned);
  return { pinned, rest: fullOrder(columns, layout).filter((id) => !hidden.has(id) && !isPinned.has(id)) };
}

/** Every column id (hidden ones too) in the user's order, new ones last in the model's order. */
export function fullOrder(columns: readonly { id: string }[], layout: Pick<ColumnLayout, 'order'>): string[] {
  const known = new Set(columns.map((c) => c.id));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of layout.order)
    if (known.has(id) && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  for (const c of columns)
    if (!seen.has(c.id)) {
      seen.add(c.id);
      out.push(c.id);
    }
  return out;
}
