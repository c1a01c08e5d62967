// What a cell shows: its value (or its difference from the baseline row in "Δ vs baseline"
// mode) and its tone: better or worse than the baseline by the metric's direction. Pure.
import type { CellValue, ColumnInfo, TableRow } from '../../src/protocol/experiments';
import { cellText } from '../../src/protocol/experiments';

export type Tone = '' | 'better' | 'worse' | 'same';

/** Numbers to 5 decimals at most (as the CLI's tables), big and tiny ones in exponent form. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return Math.abs(v) >= 1e15 ? v.toExponential(4) : String(v);
  const a = Math.abs(v);
  if (a >= 1e9 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toFixed(5)) || v.toPrecision(3));
}

export function formatValue(value: CellValue | undefined): string {
  return typeof value === 'number' ? formatNumber(value) : cellText(value);
}

/** A row's own fields under the meta columns, when the model does not repeat them as cells. */
export function valueOf(row: TableRow, column: ColumnInfo): CellValue | undefined {
  const v = row.cells[column.id];
  if (v !== undefined || column.group !== 'meta') return v;
  switch (column.key) {
    case 'created':
      return row.created;
    case 'commit':
      return row.commit;
    case 'message':
      return row.message;
    case 'state':
      return row.state;
    default:
      return undefined;
  }
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function displayValue(row: TableRow, column: ColumnInfo): string {
  const v = valueOf(row, column);
  if (column.group === 'meta') {
    if (column.key === 'created' && typeof v === 'number') return formatDate(v);
    if (column.key === 'commit' && typeof v === 'string') return v.slice(0, 7);
    // A message is one line in a cell; the tooltip has all of it.
    if (column.key === 'message' && typeof v === 'string') return v.split(/\r?\n/)[0];
  }
  return formatValue(v);
}

export function formatDelta(d: number): string {
  if (d === 0) return '0';
  return `${d > 0 ? '+' : '−'}${formatNumber(Math.abs(d))}`;
}

export interface CellView {
  text: string;
  tone: Tone;
  /** The full value (and the baseline's), for the cell's tooltip. */
  title: string;
}

/** A cell as the grid draws it, against the baseline row (null: none). */
export function cellView(row: TableRow, column: ColumnInfo, baseline: TableRow | null, deltaMode: boolean): CellView {
  const value = valueOf(row, column);
  const text = displayValue(row, column);
  const base = baseline && baseline.id !== row.id ? valueOf(baseline, column) : undefined;
  const numeric =
    typeof value === 'number' && typeof base === 'number' && Number.isFinite(value) && Number.isFinite(base) && column.group !== 'meta';
  const tone = numeric ? toneOf(column, value - base) : '';
  const shown = deltaMode && numeric ? formatDelta(value - base) : text;
  const full = column.group === 'meta' && column.key === 'created' ? text : typeof value === 'number' ? String(value) : cellText(value);
  const title = base !== undefined && base !== null && numeric ? `${full} (baseline ${base}, ${formatDelta(value - base)})` : full;
  return { text: shown, tone, title };
}

function toneOf(column: ColumnInfo, diff: number): Tone {
  if (diff === 0) return 'same';
  if (!column.direction) return '';
  return (column.direction === 'higher') === diff > 0 ? 'better' : 'worse';
}

/** The tooltip of a row's label: what the row is, its commit and message, its note. */
export function rowTitle(row: TableRow): string {
  const lines = [`${row.label} (${row.kind})`];
  if (row.commit) lines.push(`commit ${row.commit}`);
  if (row.created !== null) lines.push(formatDate(row.created));
  if (row.state) lines.push(`state: ${row.state}`);
  if (row.message) lines.push(row.message);
  if (row.starred) lines.push('★ starred');
  if (row.note) lines.push(`note: ${row.note}`);
  return lines.join('\n');
}
