// "Compare" with three to eight rows: the rows side by side, one line per column that any of
// them has (by default only those whose values differ), coloured against the first row by
// the metric's direction. Text is set with textContent.
import type { ColumnInfo, TableRow } from '../../src/protocol/experiments';
import { groupLabel } from '../../src/protocol/experiments';
import { cellView, displayValue, valueOf } from './cells';

const MAX_LINES = 500;

export class CompareView {
  readonly element: HTMLDivElement;
  private readonly title = document.createElement('div');
  private readonly body = document.createElement('div');
  private readonly onlyDiff = document.createElement('input');
  private rows: TableRow[] = [];
  private columns: ColumnInfo[] = [];

  constructor(close: () => void) {
    this.element = document.createElement('div');
    this.element.className = 'compare';
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Rows side by side');
    const bar = document.createElement('div');
    bar.className = 'compare-bar';
    this.title.className = 'compare-title';
    const label = document.createElement('label');
    this.onlyDiff.type = 'checkbox';
    this.onlyDiff.checked = true;
    this.onlyDiff.addEventListener('change', () => this.draw());
    label.append(this.onlyDiff, document.createTextNode(' Only differences'));
    const closeButton = document.createElement('button');
    closeButton.type = 'button';
    closeButton.className = 'compare-close';
    closeButton.textContent = 'Close';
    closeButton.addEventListener('click', close);
    bar.append(this.title, label, closeButton);
    this.body.className = 'compare-body';
    this.element.append(bar, this.body);
  }

  show(rows: TableRow[], columns: readonly ColumnInfo[], _baseline: TableRow | null): void {
    this.rows = rows;
    this.columns = [...columns];
    this.element.hidden = false;
    this.draw();
  }

  private draw(): void {
    const rows = this.rows;
    const reference = rows[0] ?? null;
    this.title.textContent = `${rows.length} rows side by side, coloured against ${reference?.label ?? '—'}`;
    const lines = this.columns.filter((c) => {
      const values = rows.map((r) => displayValue(r, c));
      if (rows.every((r) => valueOf(r, c) === undefined)) return false;
      return !this.onlyDiff.checked || new Set(values).size > 1;
    });
    const table = document.createElement('table');
    table.className = 'compare-table';
    const head = table.createTHead().insertRow();
    for (const text of ['Column', ...rows.map((r) => r.label)]) {
      const th = document.createElement('th');
      th.textContent = text;
      th.title = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const c of lines.slice(0, MAX_LINES)) {
      const tr = body.insertRow();
      const name = tr.insertCell();
      name.className = 'compare-key';
      name.textContent = c.key;
      name.title = `${groupLabel(c)}\n${c.id}`;
      for (const r of rows) {
        const td = tr.insertCell();
        const view = cellView(r, c, r === reference ? null : reference, false);
        td.textContent = view.text;
        td.title = view.title;
        td.className = `${c.numeric ? 'num' : ''} ${view.tone}`.trim();
      }
    }
    const note = document.createElement('div');
    note.className = 'compare-note';
    note.textContent =
      lines.length === 0
        ? 'No column differs between these rows.'
        : lines.length > MAX_LINES
          ? `The first ${MAX_LINES} of ${lines.length} columns.`
          : '';
    this.body.replaceChildren(table, note);
  }
}
