// "Copy as Markdown" and "Copy as CSV" of selected rows of the Experiments table, with the
// columns the page shows in its order. Every label, message and value came from a file or from
// Git: Markdown cells go through mdCell, CSV cells are quoted and never start a formula. Pure.
import { mdCell } from '../../core/diff/markdown';
import type { CellValue, TableColumn, TableRow } from '../../core/expTable/types';

const ROW_HEADER = 'Row';

function cell(value: CellValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return value.text;
  return String(value);
}

function metaValue(row: TableRow, column: TableColumn): CellValue | undefined {
  if (column.group !== 'meta') return row.cells[column.id];
  // The model may or may not repeat the row's own fields among its cells: prefer the cell.
  if (row.cells[column.id] !== undefined) return row.cells[column.id];
  switch (column.key) {
    case 'created':
      return row.created === null ? null : new Date(row.created).toISOString();
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

function header(column: TableColumn): string {
  return column.group === 'meta' ? column.key : `${column.source}:${column.key}`;
}

function rowName(row: TableRow): string {
  return `${row.starred ? '★ ' : ''}${row.label}`;
}

export function rowsAsMarkdown(rows: readonly TableRow[], columns: readonly TableColumn[]): string {
  const head = [ROW_HEADER, ...columns.map(header)];
  const lines = [
    `| ${head.map(mdCell).join(' | ')} |`,
    `| ${head.map((_, i) => (i > 0 && columns[i - 1].numeric ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const row of rows) lines.push(`| ${[rowName(row), ...columns.map((c) => cell(metaValue(row, c)))].map(mdCell).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

function csvCell(text: string): string {
  // A leading =, +, - or @ makes spreadsheets run a formula: keep the text, prefix a quote (numbers stay numbers).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?(\d|Infinity)/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function rowsAsCsv(rows: readonly TableRow[], columns: readonly TableColumn[]): string {
  const lines = [['id', 'kind', 'label', 'starred', 'note', ...columns.map((c) => c.id)].map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(
      [row.id, row.kind, row.label, row.starred ? 'true' : 'false', row.note, ...columns.map((c) => cell(metaValue(row, c)))]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
