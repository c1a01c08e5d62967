// The virtual grid of the Experiments table, virtualised both ways: a scroll container whose
// content is as big as the whole table, holding only the rows in view (plus a margin) and, in
// each, only the columns in view (plus a margin). Rows are absolutely placed; inside a row the
// label column and the pinned columns form a block with `position: sticky; left: 0`, then a
// spacer as wide as the columns scrolled past, then the cells in view. The header is sticky
// on top the same way. Row and cell elements are recycled, and a cell is written only when
// what it shows changed. Every file-derived string goes in with textContent or title.
import type { ColumnInfo, ColumnLayout, TableRow } from '../../src/protocol/experiments';
import { groupLabel } from '../../src/protocol/experiments';
import { cellView, rowTitle } from './cells';
import { geometry, LABEL_COLUMN, visibleColumns, visibleRows, type Geometry } from './layout';

export const ROW_HEIGHT = 24;
const ROW_OVERSCAN = 6;
const COLUMN_OVERSCAN = 2;
const INDENT = 14;
const COLUMN_DRAG_TYPE = 'application/x-lineage-column';

export interface GridHost {
  row(index: number): TableRow | undefined;
  /** The row is of the current table and has its cells (else it shows as loading). */
  rowReady(index: number): boolean;
  isSelected(id: string): boolean;
  cursor(): number;
  baseline(): TableRow | null;
  deltaMode(): boolean;
  /** Position (1-based) and order of a column among the sort keys. */
  sortOf(column: string): { order: 'asc' | 'desc'; position: number } | undefined;
  allSelected(): boolean | 'some';
  /** The rows and columns in view changed: the page asks for what it lacks. */
  onView(firstRow: number, lastRow: number, columns: string[]): void;
  onRowClick(index: number, event: MouseEvent, part: 'check' | 'star' | 'note' | 'row'): void;
  onRowDoubleClick(index: number): void;
  onHeaderClick(column: string, add: boolean): void;
  onSelectAll(): void;
  onHide(column: string): void;
  onTogglePin(column: string): void;
  onMove(column: string, before: string | null): void;
  onResize(column: string, width: number, done: boolean): void;
  onKey(event: KeyboardEvent): void;
  onRendered(report: {
    cells: number;
    rows: number;
    filled: number;
    firstRow: number;
    lastRow: number;
    scrollTop: number;
    scrollLeft: number;
  }): void;
}

interface CellSlot {
  el: HTMLDivElement;
  col: string;
  row: TableRow | undefined;
  version: number;
  width: number;
  text: string;
  cls: string;
  title: string;
}

interface RowSlot {
  el: HTMLDivElement;
  pin: HTMLDivElement;
  pad: HTMLDivElement;
  label: HTMLDivElement;
  check: HTMLInputElement;
  star: HTMLSpanElement;
  indent: HTMLSpanElement;
  kind: HTMLSpanElement;
  text: HTMLSpanElement;
  note: HTMLSpanElement;
  pinCells: CellSlot[];
  cells: CellSlot[];
  index: number;
  row: TableRow | undefined;
  version: number;
  cls: string;
}

const KIND_MARK: Record<TableRow['kind'], string> = { workspace: '◇', commit: '●', experiment: '○', run: '▷' };

export class Grid {
  readonly element: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly groupRow: HTMLDivElement;
  private readonly columnRow: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private columns: ColumnInfo[] = [];
  private byId = new Map<string, ColumnInfo>();
  private g: Geometry = geometry([], { hidden: [], order: [], pinned: [], widths: {} });
  private rowCount = 0;
  private slots = new Map<number, RowSlot>();
  private free: RowSlot[] = [];
  private frame = 0;
  private version = 1;
  private headKey = '';
  private reportTimer = 0;
  private reportedRows = false;
  private lastView = '';
  private headHeight = 46;

  constructor(private readonly host: GridHost) {
    this.element = el('div', 'grid');
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-multiselectable', 'true');
    this.element.setAttribute('aria-label', 'Experiments');
    this.sizer = el('div', 'sizer');
    this.head = el('div', 'ghead');
    this.head.setAttribute('role', 'rowgroup');
    this.groupRow = el('div', 'hrow groups');
    this.columnRow = el('div', 'hrow cols');
    this.columnRow.setAttribute('role', 'row');
    this.head.append(this.groupRow, this.columnRow);
    this.body = el('div', 'gbody');
    this.body.setAttribute('role', 'rowgroup');
    this.sizer.append(this.head, this.body);
    this.element.append(this.sizer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      this.headHeight = this.head.offsetHeight || this.headHeight;
      this.schedule();
    }).observe(this.element);
    this.wireEvents();
  }

  setColumns(columns: readonly ColumnInfo[], layout: ColumnLayout): void {
    this.columns = [...columns];
    this.byId = new Map(columns.map((c) => [c.id, c]));
    this.g = geometry(columns, layout);
    this.sizer.style.width = `${this.g.totalWidth}px`;
    this.element.setAttribute('aria-colcount', String(1 + this.g.pinned.length + this.g.rest.length));
    this.headKey = '';
    this.invalidate();
  }

  get geometry(): Geometry {
    return this.g;
  }

  setRowCount(count: number): void {
    this.rowCount = count;
    this.body.style.height = `${count * ROW_HEIGHT}px`;
    this.element.setAttribute('aria-rowcount', String(count + 1));
    this.invalidate();
  }

  /** Everything is drawn again at the next frame (new rows, selection, Δ mode, sort). */
  invalidate(): void {
    this.version++;
    this.headKey = '';
    this.schedule();
  }

  scrollTo(top?: number, left?: number): void {
    if (top !== undefined) this.element.scrollTop = top;
    if (left !== undefined) this.element.scrollLeft = left;
    this.schedule();
  }

  /** Scrolls just enough to show the row (keyboard moves). */
  revealRow(index: number): void {
    const top = index * ROW_HEIGHT;
    const view = this.element.clientHeight - this.headHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + ROW_HEIGHT > this.element.scrollTop + view) this.element.scrollTop = top + ROW_HEIGHT - view;
    this.schedule();
  }

  get pageRows(): number {
    return Math.max(1, Math.floor((this.element.clientHeight - this.headHeight) / ROW_HEIGHT) - 1);
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  get scrollLeft(): number {
    return this.element.scrollLeft;
  }

  /** Draws now instead of at the next frame. */
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
    const g = this.g;
    const top = this.element.scrollTop;
    const left = this.element.scrollLeft;
    const width = this.element.clientWidth;
    const rows = visibleRows(top, this.element.clientHeight - this.headHeight, ROW_HEIGHT, this.rowCount, ROW_OVERSCAN);
    const cols = visibleColumns(g, left, width, COLUMN_OVERSCAN);
    this.renderHead(cols.start, cols.end);
    for (const [index, slot] of this.slots) {
      if (index < rows.start || index >= rows.end) {
        this.slots.delete(index);
        slot.el.remove();
        slot.index = -1;
        slot.row = undefined;
        this.free.push(slot);
      }
    }
    let filled = 0;
    for (let i = rows.start; i < rows.end; i++) {
      let slot = this.slots.get(i);
      if (!slot) {
        slot = this.free.pop() ?? this.makeRow();
        this.slots.set(i, slot);
        this.body.append(slot.el);
      }
      if (this.fillRow(slot, i, cols.start, cols.end)) filled++;
    }
    // A margin of columns each side, so a small sideways scroll finds its cells already here.
    const margin = Math.max(10, cols.end - cols.start);
    const from = Math.max(0, cols.start - margin);
    const to = Math.min(g.rest.length, cols.end + margin);
    const wanted = [...g.pinned.map((c) => c.id), ...g.rest.slice(from, to).map((c) => c.id)];
    const view = `${rows.start}:${rows.end}:${from}:${to}:${this.version}`;
    if (view !== this.lastView) {
      this.lastView = view;
      this.host.onView(rows.start, rows.end, wanted);
    }
    clearTimeout(this.reportTimer);
    const report = () =>
      this.host.onRendered({
        cells: this.element.querySelectorAll('.c').length,
        rows: this.slots.size,
        filled,
        firstRow: rows.start,
        lastRow: rows.end,
        scrollTop: this.element.scrollTop,
        scrollLeft: this.element.scrollLeft,
      });
    // The first frame with data is reported at once (the time to first rows is measured by it); later ones when scrolling pauses.
    if (filled > 0 && !this.reportedRows) {
      this.reportedRows = true;
      report();
    } else {
      this.reportTimer = window.setTimeout(report, 120);
    }
  }

  // ─── Header ────────────────────────────────────────────────────────────────────────────

  private renderHead(start: number, end: number): void {
    const g = this.g;
    const key = `${start}:${end}:${this.version}`;
    if (key === this.headKey) return;
    this.headKey = key;
    // Column headers: the label header and the pinned ones stay; the rest is the range in view.
    const pin = el('div', 'pin');
    pin.style.width = `${g.pinnedWidth}px`;
    const labelHead = el('div', 'c hc label-head');
    labelHead.style.width = `${g.labelWidth}px`;
    labelHead.dataset.col = LABEL_COLUMN;
    labelHead.setAttribute('role', 'columnheader');
    const all = document.createElement('input');
    all.type = 'checkbox';
    all.className = 'check all';
    all.title = 'Select every row (Ctrl+A)';
    const state = this.host.allSelected();
    all.checked = state === true;
    all.indeterminate = state === 'some';
    all.tabIndex = -1;
    const name = el('span', 'hl');
    name.textContent = 'Experiment';
    labelHead.append(all, name, el('div', 'rz'));
    pin.append(labelHead, ...g.pinned.map((c, i) => this.headerCell(c, g.pinnedWidths[i], true)));
    const pad = el('div', 'pad');
    pad.style.width = `${g.restOffsets[start] ?? 0}px`;
    const cells = [];
    for (let i = start; i < end; i++) cells.push(this.headerCell(g.rest[i], g.restWidths[i], false));
    this.columnRow.replaceChildren(pin, pad, ...cells);
    this.columnRow.style.width = `${g.totalWidth}px`;

    // Group headers: one cell over each run of columns of the same group and file.
    const groupPin = el('div', 'pin');
    groupPin.style.width = `${g.pinnedWidth}px`;
    const labelGroup = el('div', 'c gc');
    labelGroup.style.width = `${g.labelWidth}px`;
    groupPin.append(labelGroup, ...spans(g.pinned, g.pinnedWidths, 0, g.pinned.length).map((s) => this.groupCell(s.label, s.width)));
    const groupPad = el('div', 'pad');
    groupPad.style.width = `${g.restOffsets[start] ?? 0}px`;
    this.groupRow.replaceChildren(
      groupPin,
      groupPad,
      ...spans(g.rest, g.restWidths, start, end).map((s) => this.groupCell(s.label, s.width, g.pinnedWidth + 6)),
    );
    this.groupRow.style.width = `${g.totalWidth}px`;
  }

  private headerCell(column: ColumnInfo, width: number, pinned: boolean): HTMLDivElement {
    const cell = el('div', `c hc${column.numeric ? ' num' : ''}${pinned ? ' pinned' : ''}`);
    cell.style.width = `${width}px`;
    cell.dataset.col = column.id;
    cell.draggable = true;
    cell.setAttribute('role', 'columnheader');
    cell.title = `${column.id}${column.direction ? ` (${column.direction} is better)` : ''}\nClick to sort, Shift+click to add a sort key; drag to move`;
    const sort = this.host.sortOf(column.id);
    cell.setAttribute('aria-sort', sort ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none');
    const label = el('span', 'hl');
    label.textContent = column.key;
    const arrow = el('span', 'arrow');
    arrow.textContent = sort ? `${sort.order === 'asc' ? '▲' : '▼'}${sort.position > 1 || this.sortCount() > 1 ? sort.position : ''}` : '';
    const actions = el('span', 'hact');
    const pin = el('button', 'hbtn pin-btn');
    pin.type = 'button';
    pin.textContent = pinned ? '⇤' : '⇥';
    pin.title = pinned ? 'Unpin' : 'Pin to the left';
    pin.tabIndex = -1;
    const hide = el('button', 'hbtn hide-btn');
    hide.type = 'button';
    hide.textContent = '×';
    hide.title = 'Hide this column';
    hide.tabIndex = -1;
    actions.append(pin, hide);
    cell.append(label, arrow, actions, el('div', 'rz'));
    return cell;
  }

  private sortCount(): number {
    let n = 0;
    for (const c of this.columns) if (this.host.sortOf(c.id)) n++;
    return n;
  }

  private groupCell(label: string, width: number, sticky = 0): HTMLDivElement {
    const cell = el('div', 'c gc');
    cell.style.width = `${width}px`;
    cell.title = label;
    // The name sticks beside the pinned block while its group is scrolled partly under it.
    const name = el('span', 'gl');
    name.textContent = label;
    name.style.left = `${sticky}px`;
    cell.append(name);
    return cell;
  }

  // ─── Rows ──────────────────────────────────────────────────────────────────────────────

  private makeRow(): RowSlot {
    const row = el('div', 'grow');
    row.setAttribute('role', 'row');
    const pin = el('div', 'pin');
    const label = el('div', 'c label');
    label.setAttribute('role', 'rowheader');
    const check = document.createElement('input');
    check.type = 'checkbox';
    check.className = 'check';
    check.tabIndex = -1;
    const star = el('span', 'star');
    star.setAttribute('role', 'button');
    const indent = el('span', 'indent');
    const kind = el('span', 'kind');
    const text = el('span', 'lt');
    const note = el('span', 'note');
    note.setAttribute('role', 'button');
    label.append(check, star, indent, kind, text, note);
    pin.append(label);
    const pad = el('div', 'pad');
    row.append(pin, pad);
    return {
      el: row,
      pin,
      pad,
      label,
      check,
      star,
      indent,
      kind,
      text,
      note,
      pinCells: [],
      cells: [],
      index: -1,
      row: undefined,
      version: 0,
      cls: '',
    };
  }

  /** Returns whether the row had its data. */
  private fillRow(slot: RowSlot, index: number, start: number, end: number): boolean {
    const g = this.g;
    const row = this.host.row(index);
    const ready = row !== undefined && this.host.rowReady(index);
    if (slot.index !== index) {
      slot.index = index;
      slot.el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
      slot.el.setAttribute('aria-rowindex', String(index + 2));
      slot.el.dataset.index = String(index);
    }
    const selected = row !== undefined && this.host.isSelected(row.id);
    const cls = `grow${index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}${this.host.cursor() === index ? ' cursor' : ''}${row && row.id === this.host.baseline()?.id ? ' baseline' : ''}${row ? '' : ' loading'}${row?.context ? ' context' : ''}`;
    if (cls !== slot.cls) {
      slot.cls = cls;
      slot.el.className = cls;
      slot.el.setAttribute('aria-selected', String(selected));
    }
    slot.el.style.width = `${g.totalWidth}px`;
    slot.pin.style.width = `${g.pinnedWidth}px`;
    slot.label.style.width = `${g.labelWidth}px`;
    if (slot.row !== row || slot.version !== this.version) {
      slot.row = row;
      slot.version = this.version;
      slot.check.checked = selected;
      slot.check.title = selected ? 'Deselect' : 'Select';
      slot.star.textContent = row?.starred ? '★' : '☆';
      slot.star.title = row?.starred ? 'Unstar' : 'Star';
      slot.star.classList.toggle('on', Boolean(row?.starred));
      slot.indent.style.width = `${(row?.depth ?? 0) * INDENT}px`;
      slot.kind.textContent = row ? KIND_MARK[row.kind] : '';
      slot.kind.className = `kind ${row?.kind ?? ''}${row?.state ? ` state-${row.state.toLowerCase().replace(/[^a-z]/g, '')}` : ''}`;
      slot.text.textContent = row ? row.label : '…';
      slot.note.textContent = row?.note ? '✎' : '';
      slot.note.title = row?.note ? `Note: ${row.note}\n(click to edit)` : '';
      slot.label.title = row
        ? `${rowTitle(row)}${row.context ? '\n(shown for the rows under it that match the filters)' : ''}`
        : 'Loading…';
    }
    // Pinned columns.
    syncCount(slot.pinCells, g.pinned.length, slot.pin);
    for (let k = 0; k < g.pinned.length; k++) this.fillCell(slot.pinCells[k], g.pinned[k], g.pinnedWidths[k], row, ready);
    // The columns in view, after a spacer as wide as those scrolled past.
    const padWidth = g.restOffsets[start] ?? 0;
    if (slot.pad.style.width !== `${padWidth}px`) slot.pad.style.width = `${padWidth}px`;
    syncCount(slot.cells, Math.max(0, end - start), slot.el);
    for (let k = start; k < end; k++) this.fillCell(slot.cells[k - start], g.rest[k], g.restWidths[k], row, ready);
    return ready;
  }

  private fillCell(cell: CellSlot, column: ColumnInfo, width: number, row: TableRow | undefined, ready: boolean): void {
    if (cell.width !== width) {
      cell.width = width;
      cell.el.style.width = `${width}px`;
    }
    if (cell.col === column.id && cell.row === row && cell.version === this.version) return;
    cell.col = column.id;
    cell.row = row;
    cell.version = this.version;
    let text = '';
    let tone = '';
    let title = '';
    if (row && (ready || row.cells[column.id] !== undefined || column.group === 'meta')) {
      const view = cellView(row, column, this.host.baseline(), this.host.deltaMode());
      text = view.text;
      tone = view.tone;
      title = view.title;
    }
    const cls = `c${column.numeric ? ' num' : ''}${tone ? ` ${tone}` : ''}`;
    if (cell.cls !== cls) {
      cell.cls = cls;
      cell.el.className = cls;
    }
    if (cell.text !== text) {
      cell.text = text;
      cell.el.textContent = text;
    }
    if (cell.title !== title) {
      cell.title = title;
      cell.el.title = title;
    }
    cell.el.dataset.col = column.id;
  }

  // ─── Events ────────────────────────────────────────────────────────────────────────────

  private wireEvents(): void {
    const root = this.element;
    root.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const head = target.closest<HTMLElement>('.hc');
      if (head) {
        if (target.closest('.rz')) return;
        const id = head.dataset.col!;
        if (id === LABEL_COLUMN) {
          if (target.closest('.check')) {
            e.preventDefault();
            this.host.onSelectAll();
          }
          return;
        }
        if (target.closest('.pin-btn')) this.host.onTogglePin(id);
        else if (target.closest('.hide-btn')) this.host.onHide(id);
        else this.host.onHeaderClick(id, e.shiftKey);
        return;
      }
      const rowEl = target.closest<HTMLElement>('.grow');
      if (!rowEl?.dataset.index) return;
      const part = target.closest('.check')
        ? 'check'
        : target.closest('.star')
          ? 'star'
          : target.closest('.note') && target.textContent
            ? 'note'
            : 'row';
      // The checkbox's own toggling is replaced by the selection's (it is redrawn from it).
      if (part === 'check') e.preventDefault();
      this.host.onRowClick(Number(rowEl.dataset.index), e, part);
      root.focus({ preventScroll: true });
    });
    root.addEventListener('mousedown', (e) => {
      // Shift-click selects a range, not the page's text.
      if (e.shiftKey && (e.target as HTMLElement).closest('.grow')) e.preventDefault();
      const handle = (e.target as HTMLElement).closest('.rz');
      if (handle) this.startResize(e, handle.closest<HTMLElement>('.hc')!.dataset.col!);
    });
    root.addEventListener('dblclick', (e) => {
      const target = e.target as HTMLElement;
      if (target.closest('.check, .star, .note, .ghead')) return;
      const rowEl = target.closest<HTMLElement>('.grow');
      if (rowEl?.dataset.index) this.host.onRowDoubleClick(Number(rowEl.dataset.index));
    });
    root.addEventListener('keydown', (e) => this.host.onKey(e));
    // Moving columns by dragging their headers.
    root.addEventListener('dragstart', (e) => {
      const head = (e.target as HTMLElement).closest<HTMLElement>('.hc');
      if (!head?.dataset.col || head.dataset.col === LABEL_COLUMN || !e.dataTransfer) return;
      e.dataTransfer.setData(COLUMN_DRAG_TYPE, head.dataset.col);
      e.dataTransfer.effectAllowed = 'move';
    });
    root.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes(COLUMN_DRAG_TYPE) && (e.target as HTMLElement).closest('.hc')) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }
    });
    root.addEventListener('drop', (e) => {
      const id = e.dataTransfer?.getData(COLUMN_DRAG_TYPE);
      const head = (e.target as HTMLElement).closest<HTMLElement>('.hc');
      if (!id || !head?.dataset.col) return;
      e.preventDefault();
      const rect = head.getBoundingClientRect();
      const target = head.dataset.col === LABEL_COLUMN ? (this.g.rest[0]?.id ?? null) : head.dataset.col;
      // Dropped on the right half: after that column.
      const before = target && e.clientX > rect.left + rect.width / 2 ? this.after(target) : target;
      if (before !== id) this.host.onMove(id, before);
    });
  }

  /** The column shown after `id`, or null at the end. */
  private after(id: string): string | null {
    const all = [...this.g.pinned, ...this.g.rest];
    const at = all.findIndex((c) => c.id === id);
    return at >= 0 && at + 1 < all.length ? all[at + 1].id : null;
  }

  private startResize(e: MouseEvent, id: string): void {
    e.preventDefault();
    e.stopPropagation();
    const column = this.byId.get(id);
    const startWidth = id === LABEL_COLUMN ? this.g.labelWidth : column ? this.currentWidth(column) : 100;
    const startX = e.clientX;
    let width = startWidth;
    const move = (m: MouseEvent) => {
      width = startWidth + m.clientX - startX;
      this.host.onResize(id, width, false);
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      this.host.onResize(id, width, true);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  private currentWidth(column: ColumnInfo): number {
    const p = this.g.pinned.indexOf(column);
    if (p >= 0) return this.g.pinnedWidths[p];
    const r = this.g.rest.indexOf(column);
    return r >= 0 ? this.g.restWidths[r] : 100;
  }
}

/** Runs of consecutive columns of one group and file in [start, end), with their total width. */
function spans(columns: readonly ColumnInfo[], widths: readonly number[], start: number, end: number): { label: string; width: number }[] {
  const out: { label: string; width: number }[] = [];
  for (let i = start; i < end; i++) {
    const label = groupLabel(columns[i]);
    const last = out[out.length - 1];
    if (last && last.label === label) last.width += widths[i];
    else out.push({ label, width: widths[i] });
  }
  return out;
}

/** Grows or shrinks a list of cell slots (appending to `parent`) to `n`. */
function syncCount(cells: CellSlot[], n: number, parent: HTMLElement): void {
  while (cells.length < n) {
    const cell = el('div', 'c');
    cell.setAttribute('role', 'gridcell');
    parent.append(cell);
    cells.push({ el: cell, col: '', row: undefined, version: 0, width: -1, text: '', cls: 'c', title: '' });
  }
  while (cells.length > n) cells.pop()!.el.remove();
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
