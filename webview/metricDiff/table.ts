// The virtualized table: a scroll container whose body is rows × ROW_HEIGHT tall, with only
// the rows in view (plus a margin) in the DOM. Row elements are recycled: row i always uses
// pool slot i % pool size, so scrolling by a few rows rewrites only the rows that came into
// view. Every file-derived string is set with textContent / title, never as HTML.
import type { DiffRow, SortColumn } from '../../src/protocol/metricDiff';
import { rowCells, visibleWindow, type RowCells } from './model';

export const ROW_HEIGHT = 22;
const OVERSCAN = 10;

export interface Column {
  id: Exclude<SortColumn, 'default'>;
  label: string;
  numeric: boolean;
}

export const COLUMNS: readonly Column[] = [
  { id: 'kind', label: 'Kind', numeric: false },
  { id: 'file', label: 'File', numeric: false },
  { id: 'key', label: 'Key', numeric: false },
  { id: 'old', label: 'Old', numeric: true },
  { id: 'new', label: 'New', numeric: true },
  { id: 'delta', label: 'Δ', numeric: true },
  { id: 'relative', label: 'Δ %', numeric: true },
];

const CELL_FIELDS = ['kind', 'file', 'key', 'old', 'new', 'delta', 'relative'] as const satisfies readonly (keyof RowCells)[];

interface Slot {
  el: HTMLDivElement;
  cells: HTMLDivElement[];
  /** What the slot shows now, to skip DOM writes when nothing changed. */
  row: DiffRow | undefined;
  index: number;
  texts: string[];
  tone: string;
}

export class VirtualTable {
  readonly element: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly headers = new Map<Column['id'], { cell: HTMLDivElement; button: HTMLButtonElement; arrow: HTMLSpanElement }>();
  private rows: readonly DiffRow[] = [];
  private slots: Slot[] = [];
  private frame = 0;
  private headHeight = ROW_HEIGHT;

  constructor(
    private readonly onSortClick: (column: Column['id']) => void,
    private readonly onScroll: (scrollTop: number) => void,
  ) {
    this.element = el('div', 'table-wrap');
    this.viewport = el('div', 'viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'table');
    this.viewport.setAttribute('aria-label', 'Metrics and params of the two revisions');
    this.head = el('div', 'row head');
    this.head.setAttribute('role', 'row');
    this.head.setAttribute('aria-rowindex', '1');
    for (const column of COLUMNS) {
      const cell = el('div', `cell col-${column.id}${column.numeric ? ' num' : ''}`);
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-sort', 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.title = `Sort by ${column.label}`;
      const label = el('span', 'label');
      label.textContent = column.label;
      const arrow = el('span', 'arrow');
      arrow.setAttribute('aria-hidden', 'true');
      button.append(label, arrow);
      button.addEventListener('click', () => this.onSortClick(column.id));
      cell.append(button);
      this.head.append(cell);
      this.headers.set(column.id, { cell, button, arrow });
    }
    this.body = el('div', 'body');
    this.body.setAttribute('role', 'rowgroup');
    this.viewport.append(this.head, this.body);
    this.element.append(this.viewport);
    this.viewport.addEventListener(
      'scroll',
      () => {
        this.schedule();
        this.onScroll(this.viewport.scrollTop);
      },
      { passive: true },
    );
    new ResizeObserver(() => {
      this.headHeight = this.head.offsetHeight || ROW_HEIGHT;
      this.schedule();
    }).observe(this.viewport);
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(value: number) {
    this.viewport.scrollTop = value;
    this.schedule();
  }

  setSort(column: SortColumn, descending: boolean): void {
    for (const [id, h] of this.headers) {
      const active = id === column;
      h.cell.setAttribute('aria-sort', active ? (descending ? 'descending' : 'ascending') : 'none');
      h.arrow.textContent = active ? (descending ? '▼' : '▲') : '';
      h.cell.classList.toggle('sorted', active);
    }
  }

  /** Shows these rows (already filtered and sorted); keeps the scroll position when it can. */
  setRows(rows: readonly DiffRow[]): void {
    this.rows = rows;
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.viewport.setAttribute('aria-rowcount', String(rows.length + 1));
    // Force every slot to be rewritten: the same index may now hold another row.
    for (const slot of this.slots) slot.row = undefined;
    this.schedule();
  }

  /** Renders now instead of at the next animation frame (first paint, tests). */
  renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const height = this.viewport.clientHeight;
    const top = Math.max(0, this.viewport.scrollTop - this.headHeight);
    const { start, end } = visibleWindow(top, height, ROW_HEIGHT, this.rows.length, OVERSCAN);
    const needed = Math.ceil(height / ROW_HEIGHT) + 1 + 2 * OVERSCAN;
    if (this.slots.length < needed) this.grow(needed);
    const size = this.slots.length;
    const used = new Set<number>();
    for (let i = start; i < end; i++) {
      const k = i % size;
      used.add(k);
      this.fill(this.slots[k], i, this.rows[i]);
    }
    for (let k = 0; k < size; k++) {
      const slot = this.slots[k];
      if (!used.has(k) && !slot.el.hidden) {
        slot.el.hidden = true;
        slot.row = undefined;
      }
    }
  }

  private grow(size: number): void {
    // Rebuilding the pool changes i % size for every row, so all slots start empty.
    for (const slot of this.slots) slot.row = undefined;
    while (this.slots.length < size) {
      const row = el('div', 'row');
      row.setAttribute('role', 'row');
      row.hidden = true;
      const cells = COLUMNS.map((column) => {
        const cell = el('div', `cell col-${column.id}${column.numeric ? ' num' : ''}`);
        cell.setAttribute('role', 'cell');
        row.append(cell);
        return cell;
      });
      this.body.append(row);
      this.slots.push({ el: row, cells, row: undefined, index: -1, texts: COLUMNS.map(() => ''), tone: '' });
    }
  }

  private fill(slot: Slot, index: number, row: DiffRow): void {
    if (slot.el.hidden) slot.el.hidden = false;
    if (slot.index !== index) {
      slot.index = index;
      slot.el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
      slot.el.setAttribute('aria-rowindex', String(index + 2));
      slot.el.classList.toggle('odd', index % 2 === 1);
    }
    if (slot.row === row) return;
    slot.row = row;
    const cells = rowCells(row);
    CELL_FIELDS.forEach((field, c) => {
      const text = cells[field];
      if (slot.texts[c] !== text) {
        slot.texts[c] = text;
        slot.cells[c].textContent = text;
      }
    });
    if (slot.tone !== cells.tone) {
      if (slot.tone) slot.el.classList.remove(slot.tone);
      if (cells.tone) slot.el.classList.add(cells.tone);
      slot.tone = cells.tone;
    }
    slot.el.title = cells.title;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
