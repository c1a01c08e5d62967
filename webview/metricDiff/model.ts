// The Metric Diff table's state, without the DOM: rows by id, filtering, sorting, summary and
// the virtual-scrolling window. Pure functions over plain data, tested in Node
// (test/unit/metricDiffModel.test.ts); this file must never touch `document` or `window`.
import {
  rowId,
  type DiffRow,
  type DiffState,
  type KindFilter,
  type PersistedState,
  type SortColumn,
  type ViewOptions,
} from '../../src/protocol/metricDiff';
import { formatValue } from '../../src/core/diff/format';

export const DEFAULT_OPTIONS: ViewOptions = { text: '', onlyChanged: false, kind: 'all', file: '', sort: 'default', descending: false };

const SORT_COLUMNS: readonly SortColumn[] = ['default', 'kind', 'file', 'key', 'old', 'new', 'delta', 'relative'];
const KINDS: readonly KindFilter[] = ['all', 'metric', 'param'];

/** Whatever `getState()` returned (possibly from an older version, possibly nothing), made safe. */
export function readPersisted(raw: unknown): PersistedState {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const opts = (typeof o.options === 'object' && o.options !== null ? o.options : {}) as Record<string, unknown>;
  const revs = o.revisions as Record<string, unknown> | undefined;
  const state: PersistedState = {
    version: 1,
    options: {
      text: typeof opts.text === 'string' ? opts.text : DEFAULT_OPTIONS.text,
      onlyChanged: typeof opts.onlyChanged === 'boolean' ? opts.onlyChanged : DEFAULT_OPTIONS.onlyChanged,
      kind: KINDS.includes(opts.kind as KindFilter) ? (opts.kind as KindFilter) : DEFAULT_OPTIONS.kind,
      file: typeof opts.file === 'string' ? opts.file : DEFAULT_OPTIONS.file,
      sort: SORT_COLUMNS.includes(opts.sort as SortColumn) ? (opts.sort as SortColumn) : DEFAULT_OPTIONS.sort,
      descending: typeof opts.descending === 'boolean' ? opts.descending : DEFAULT_OPTIONS.descending,
    },
    scrollTop: typeof o.scrollTop === 'number' && Number.isFinite(o.scrollTop) && o.scrollTop >= 0 ? o.scrollTop : 0,
  };
  if (revs && typeof revs.old === 'string' && typeof revs.new === 'string') state.revisions = { old: revs.old, new: revs.new };
  return state;
}

/** The cell texts of one row: everything a row shows, as plain strings (the view sets them with textContent). */
export interface RowCells {
  kind: string;
  file: string;
  key: string;
  old: string;
  new: string;
  delta: string;
  relative: string;
  /** CSS class for the verdict: 'better', 'worse', 'changed' (a changed param or non-number) or ''. */
  tone: 'better' | 'worse' | 'changed' | '';
  /** Hover text: the full key and values, for cells cut off by the column width. */
  title: string;
}

/** Signed number for the Δ column: "+0.012", "-3", "0". */
export function formatDelta(delta: number | undefined): string {
  if (delta === undefined) return '—';
  if (Number.isNaN(delta)) return 'NaN';
  const text = formatValue(delta);
  return delta > 0 ? `+${text}` : text;
}

/** Relative change as a percentage with two decimals: "+12.50%", "-0.03%", "—" when old is 0 or not a number. */
export function formatRelative(relative: number | undefined): string {
  if (relative === undefined || Number.isNaN(relative)) return '—';
  if (!Number.isFinite(relative)) return relative > 0 ? '+∞%' : '-∞%';
  const pct = relative * 100;
  const text = Math.abs(pct) >= 1000 ? pct.toExponential(2) : pct.toFixed(2);
  return pct > 0 ? `+${text}%` : `${text}%`;
}

/** Values for the old/new columns; a missing side is "—". Newlines show as ⏎ so a row stays one line. */
export function formatCellValue(value: DiffRow['old']): string {
  return oneLine(formatValue(value));
}

function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '⏎');
}

export function rowCells(row: DiffRow): RowCells {
  const tone = row.verdict === 'better' ? 'better' : row.verdict === 'worse' ? 'worse' : row.changed ? 'changed' : '';
  const old = formatCellValue(row.old);
  const nu = formatCellValue(row.new);
  return {
    kind: row.kind === 'metric' ? 'metric' : 'param',
    file: oneLine(row.file),
    key: oneLine(row.key),
    old,
    new: nu,
    delta: formatDelta(row.delta),
    relative: formatRelative(row.relative),
    tone,
    title: `${row.file}\n${row.key}\n${formatValue(row.old)} → ${formatValue(row.new)}`,
  };
}

/** All rows by id, plus the counts the host computed. */
export class RowSet {
  readonly byId = new Map<string, DiffRow>();
  improved = 0;
  regressed = 0;
  problems: string[] = [];
  /** Bumped on every change, so derived lists can be cached. */
  version = 0;

  reset(state: DiffState): void {
    this.byId.clear();
    for (const row of state.rows) this.byId.set(rowId(row), row);
    this.improved = state.improved;
    this.regressed = state.regressed;
    this.problems = state.problems;
    this.version++;
  }

  applyDelta(upserts: readonly DiffRow[], removed: readonly string[], improved: number, regressed: number, problems: string[]): void {
    for (const id of removed) this.byId.delete(id);
    for (const row of upserts) this.byId.set(rowId(row), row);
    this.improved = improved;
    this.regressed = regressed;
    this.problems = problems;
    this.version++;
  }

  rows(): DiffRow[] {
    return [...this.byId.values()];
  }

  files(): string[] {
    return [...new Set([...this.byId.values()].map((r) => r.file))].sort();
  }
}

// Lower-cased search text per row object; rows are immutable once received, so a WeakMap is a safe cache.
const haystacks = new WeakMap<DiffRow, string>();
function haystack(row: DiffRow): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    text = `${row.file}\u0000${row.key}\u0000${formatValue(row.old)}\u0000${formatValue(row.new)}`.toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

/** Rows passing the filters: text (case-insensitive, every word must occur in file, key or values), changed, kind, file. */
export function filterRows(rows: readonly DiffRow[], options: ViewOptions): DiffRow[] {
  const words = options.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (options.onlyChanged && !row.changed) return false;
    if (options.kind !== 'all' && row.kind !== options.kind) return false;
    if (options.file && row.file !== options.file) return false;
    if (words.length > 0) {
      const text = haystack(row);
      for (const w of words) if (!text.includes(w)) return false;
    }
    return true;
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Numbers before strings before missing; numbers by value, others as text. */
function compareValue(a: DiffRow['old'] | undefined, b: DiffRow['old'] | undefined): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b;
  if (ra === 2) return 0;
  return compareText(formatValue(a), formatValue(b));
}

function valueRank(v: DiffRow['old'] | undefined): number {
  if (typeof v === 'number') return 0;
  if (v === null || v === undefined) return 2;
  return 1;
}

function compareDefault(a: DiffRow, b: DiffRow): number {
  if (a.kind !== b.kind) return a.kind === 'metric' ? -1 : 1;
  return compareText(a.file, b.file) || compareText(a.key, b.key);
}

/**
 * Sorted copy. Missing values go last in both directions (a descending sort of Δ lists the
 * biggest gains first, not the rows without a Δ); ties fall back to kind, file, key.
 */
export function sortRows(rows: readonly DiffRow[], column: SortColumn, descending: boolean): DiffRow[] {
  const sign = descending ? -1 : 1;
  const out = rows.slice();
  const primary = (a: DiffRow, b: DiffRow): number => {
    switch (column) {
      case 'default':
        return sign * compareDefault(a, b);
      case 'kind':
        return sign * (a.kind === b.kind ? 0 : a.kind === 'metric' ? -1 : 1);
      case 'file':
        return sign * compareText(a.file, b.file);
      case 'key':
        return sign * compareText(a.key, b.key);
      case 'old':
      case 'new':
      case 'delta':
      case 'relative': {
        const x = a[column];
        const y = b[column];
        const missingX = x === null || x === undefined;
        const missingY = y === null || y === undefined;
        if (missingX || missingY) return missingX === missingY ? 0 : missingX ? 1 : -1;
        return sign * compareValue(x, y);
      }
    }
  };
  out.sort((a, b) => primary(a, b) || compareDefault(a, b));
  return out;
}

/** Clicking a header: a new column sorts ascending (numbers descending: biggest first), the same column flips. */
export function nextSort(current: ViewOptions, column: SortColumn): Pick<ViewOptions, 'sort' | 'descending'> {
  if (current.sort === column) return { sort: column, descending: !current.descending };
  const numeric = column === 'old' || column === 'new' || column === 'delta' || column === 'relative';
  return { sort: column, descending: numeric };
}

export interface Summary {
  improved: number;
  regressed: number;
  changed: number;
  total: number;
  shown: number;
}

export function summarize(all: readonly DiffRow[], shown: number): Summary {
  let improved = 0;
  let regressed = 0;
  let changed = 0;
  for (const row of all) {
    if (row.verdict === 'better') improved++;
    else if (row.verdict === 'worse') regressed++;
    if (row.changed) changed++;
  }
  return { improved, regressed, changed, total: all.length, shown };
}

export function summaryText(s: Summary): string {
  const base = `${s.improved} improved, ${s.regressed} regressed, ${s.changed} changed of ${s.total}`;
  return s.shown === s.total ? base : `${base} — ${s.shown} shown`;
}

export interface RowWindow {
  /** First row index in the DOM (inclusive). */
  start: number;
  /** One past the last row index in the DOM. */
  end: number;
}

/**
 * Which rows to keep in the DOM for a scroll position: the ones in view plus `overscan` above
 * and below, clamped to the table. Row i sits at i * rowHeight.
 */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first, total - 1) - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/** The largest valid scrollTop for a table of `total` rows (to clamp a restored scroll position). */
export function maxScrollTop(total: number, rowHeight: number, viewportHeight: number): number {
  return Math.max(0, total * rowHeight - viewportHeight);
}
