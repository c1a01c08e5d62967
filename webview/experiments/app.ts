// The Experiments page: toolbar (filter bar, toggles, columns), selection actions, the virtual
// grid, the side-by-side comparison and the charts tab. It holds only the rows around the view
// (RowCache) and asks the host for windows; every decision about rows (sort, filter, text) is
// the host's table model's.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  ColumnInfo,
  ColumnLayout,
  HostMessage,
  PersistedState,
  QueryView,
  RowAction,
  TableInfo,
  TableRow,
  WebviewMessage,
} from '../../src/protocol/experiments';
import { arrangeColumns, EMPTY_LAYOUT, EMPTY_QUERY, MAX_COMPARE } from '../../src/protocol/experiments';
import { ChartsView } from './charts';
import { ColumnPicker } from './columnPicker';
import { CompareView } from './compareView';
import { filterLabel, parseFilterInput } from './filterSyntax';
import { Grid, type GridHost } from './grid';
import { LABEL_COLUMN, moveColumn, resizeColumn, setHidden, togglePinned } from './layout';
import { RowCache } from './rowCache';
import { nextSort, Selection } from './selection';

export interface AppHost {
  post(message: WebviewMessage): void;
  save(state: PersistedState): void;
}

/** A bigger selection is not kept across reloads of the page (the state is stored on every change). */
const MAX_SAVED_SELECTION = 1000;

const ACTIONS: { action: RowAction; label: string; title: string; min: number; max: number }[] = [
  { action: 'compare', label: 'Compare', title: `Two rows: the Metric Diff; up to ${MAX_COMPARE}: side by side`, min: 2, max: MAX_COMPARE },
  { action: 'plots', label: 'Plots', title: 'The dvc.yaml plots of the selected commits and experiments', min: 1, max: 20 },
  {
    action: 'history',
    label: 'Metric History',
    title: 'Metric history of the sorted (or first shown) metrics along the selected rows',
    min: 1,
    max: 20,
  },
  { action: 'lineage', label: 'Lineage Card', title: "The lineage card of a model version registered at the row's commit", min: 1, max: 1 },
  { action: 'checkout', label: 'Checkout', title: "Check out the row's commit or experiment (asks first)", min: 1, max: 1 },
  {
    action: 'copyMarkdown',
    label: 'Copy as Markdown',
    title: 'The selected rows and the columns shown, as a Markdown table',
    min: 1,
    max: Infinity,
  },
  { action: 'copyCsv', label: 'Copy as CSV', title: 'The selected rows and the columns shown, as CSV', min: 1, max: Infinity },
];

export class ExperimentsApp implements GridHost {
  private readonly cache = new RowCache();
  private readonly selection = new Selection();
  private table: TableInfo | undefined;
  private layout: ColumnLayout = { ...EMPTY_LAYOUT };
  private query: QueryView = { ...EMPTY_QUERY };
  private delta: boolean;
  private tab: 'table' | 'charts';
  private readonly grid: Grid;
  private readonly picker: ColumnPicker;
  private readonly compare: CompareView;
  private readonly charts: ChartsView;
  private readonly filterInput = document.createElement('vscode-textfield') as VscodeTextfield;
  private readonly starredBox = document.createElement('vscode-checkbox') as VscodeCheckbox;
  private readonly allCommitsBox = document.createElement('vscode-checkbox') as VscodeCheckbox;
  private readonly deltaBox = document.createElement('vscode-checkbox') as VscodeCheckbox;
  private readonly chips = div('chips');
  private readonly summary = div('summary');
  private readonly status = div('status');
  private readonly message = div('message');
  private readonly actionButtons = new Map<RowAction, VscodeButton>();
  private readonly tabButtons = new Map<'table' | 'charts', VscodeButton>();
  private readonly tablePane = div('pane table-pane');
  private readonly chartsPane = div('pane charts-pane');
  /** Range selections waiting for the ids of rows the page does not hold. */
  private readonly ranges = new Map<number, { index: number; add: boolean }>();
  private nextRequest = 1_000_000;
  private layoutTimer = 0;
  private saveTimer = 0;
  private statusTimer = 0;
  private pendingScroll: { top?: number; left?: number } | undefined;
  private folder: string | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost,
    persisted: PersistedState,
  ) {
    this.delta = persisted.delta === true;
    this.tab = persisted.tab === 'charts' ? 'charts' : 'table';
    this.folder = persisted.folder;
    this.pendingScroll = { top: persisted.scrollTop, left: persisted.scrollLeft };
    // The page is reloaded whenever its tab is hidden and shown again: the selection comes back with it.
    if (persisted.selected?.length) this.selection.set(persisted.selected);
    this.grid = new Grid(this);
    this.picker = new ColumnPicker({
      columns: () => this.table?.columns ?? [],
      layout: () => this.layout,
      change: (layout) => this.setLayout(layout, true),
    });
    this.compare = new CompareView(() => {
      this.compare.element.hidden = true;
    });
    this.compare.element.hidden = true;
    this.charts = new ChartsView({
      post: (m) => host.post(m),
      columns: () => this.table?.columns ?? [],
      selected: () => this.selection.list(),
      baseline: () => this.table?.baseline ?? null,
      nextRequestId: () => this.nextRequest++,
    });

    const top = div('top');
    const bar = div('toolbar');
    const tabs = div('tabs');
    for (const [id, label] of [
      ['table', 'Table'],
      ['charts', 'Charts'],
    ] as const) {
      const b = document.createElement('vscode-button') as VscodeButton;
      b.textContent = label;
      b.className = `tab tab-${id}`;
      b.addEventListener('click', () => this.setTab(id));
      tabs.append(b);
      this.tabButtons.set(id, b);
    }
    this.filterInput.className = 'filter-input';
    this.filterInput.placeholder = 'Filter: accuracy >= 0.9, params:train.lr contains 0.0, state = failed, or text (Enter)';
    this.filterInput.setAttribute('aria-label', 'Add a filter condition or search text');
    this.filterInput.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.addFilter(this.filterInput.value);
      }
    });
    this.starredBox.label = '★ only';
    this.starredBox.title = 'Only starred rows';
    this.starredBox.addEventListener('change', () => this.setQuery({ ...this.query, starredOnly: this.starredBox.checked }));
    this.allCommitsBox.label = 'All commits';
    this.allCommitsBox.title = 'Every indexed commit, not only the checked-out branch';
    this.allCommitsBox.addEventListener('change', () => this.setQuery({ ...this.query, allCommits: this.allCommitsBox.checked }));
    this.deltaBox.label = 'Δ vs baseline';
    this.deltaBox.title = 'Show numbers as their difference from the baseline row';
    this.deltaBox.checked = this.delta;
    this.deltaBox.addEventListener('change', () => {
      this.delta = this.deltaBox.checked;
      this.grid.invalidate();
      this.scheduleSave();
    });
    const columnsButton = document.createElement('vscode-button') as VscodeButton;
    columnsButton.secondary = true;
    columnsButton.textContent = 'Columns…';
    columnsButton.className = 'columns-button';
    columnsButton.title = 'Show, hide, pin and find columns';
    columnsButton.addEventListener('click', (e) => {
      e.stopPropagation();
      this.picker.toggle(columnsButton);
    });
    bar.append(tabs, this.filterInput, this.starredBox, this.allCommitsBox, this.deltaBox, columnsButton);

    const actions = div('actions');
    for (const a of ACTIONS) {
      const b = document.createElement('vscode-button') as VscodeButton;
      b.textContent = a.label;
      b.title = a.title;
      b.className = `action action-${a.action}`;
      b.secondary = a.action.startsWith('copy') || a.action === 'checkout';
      b.disabled = true;
      b.addEventListener('click', () => this.runAction(a.action));
      actions.append(b);
      this.actionButtons.set(a.action, b);
    }
    const summaryLine = div('summary-line');
    this.summary.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    summaryLine.append(this.summary, this.status);
    top.append(bar, this.chips, actions, summaryLine);
    this.message.setAttribute('role', 'status');
    this.tablePane.append(this.grid.element, this.compare.element);
    this.chartsPane.append(this.charts.element);
    root.append(top, this.message, this.tablePane, this.chartsPane, this.picker.element);
    this.showMessage('Loading…', false);
    this.setTab(this.tab);
    this.grid.element.addEventListener('scroll', () => this.scheduleSave(), { passive: true });
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.layout = message.layout;
        this.setTable(message.table, message.query, true);
        if (message.window) this.takeRows(message.window);
        return;
      case 'table':
        this.setTable(message.table, message.query, false);
        if (message.window) this.takeRows(message.window);
        return;
      case 'rows':
        this.takeRows(message);
        return;
      case 'loading':
        this.setStatus('Loading…');
        return;
      case 'error':
        this.showMessage(message.message, true);
        this.setStatus('');
        return;
      case 'status':
        this.setStatus(message.text);
        return;
      case 'compare':
        if (!this.table) return;
        this.compare.show(message.rows, this.table.columns, this.table.baseline);
        return;
      case 'points':
      case 'correlation':
        this.charts.handle(message);
        return;
      case 'scroll':
        this.grid.scrollTo(message.top, message.left);
        return;
    }
  }

  private setTable(table: TableInfo, query: QueryView, first: boolean): void {
    const columnsChanged = !this.table || !sameColumns(this.table.columns, table.columns);
    if (first || this.table?.folder !== table.folder) this.cache.clear();
    this.table = table;
    this.query = query;
    this.folder = table.folder;
    this.cache.reset(table.generation, table.rowCount);
    if (columnsChanged || first) this.grid.setColumns(table.columns, this.layout);
    this.grid.setRowCount(table.rowCount);
    this.renderQuery();
    this.updateSummary();
    this.showMessage(
      table.rowCount === 0
        ? query.filters.length || query.text || query.starredOnly
          ? 'No rows match the filters.'
          : 'No commits, experiments or runs in the index yet.'
        : '',
      false,
    );
    if (this.status.textContent === 'Loading…') this.setStatus('');
    if (first && this.pendingScroll) {
      this.grid.scrollTo(this.pendingScroll.top, this.pendingScroll.left);
      this.pendingScroll = undefined;
    }
    this.picker.refresh();
    this.charts.tableChanged();
    this.scheduleSave();
  }

  private takeRows(window: { generation: number; offset: number; rows: TableRow[]; columns: string[] | null; requestId: number }): void {
    const range = this.ranges.get(window.requestId);
    if (range) {
      this.ranges.delete(window.requestId);
      if (window.generation !== this.table?.generation) return;
      this.selection.range(
        range.index,
        window.rows.map((r) => r.id),
        range.add,
      );
      this.selectionChanged();
      return;
    }
    if (this.cache.put(window)) this.grid.invalidate();
  }

  // ─── GridHost ──────────────────────────────────────────────────────────────────────────

  row(index: number): TableRow | undefined {
    return this.cache.row(index);
  }

  rowReady(index: number): boolean {
    return this.cache.complete(index, []);
  }

  isSelected(id: string): boolean {
    return this.selection.has(id);
  }

  cursor(): number {
    return this.selection.cursor;
  }

  baseline(): TableRow | null {
    return this.table?.baseline ?? null;
  }

  deltaMode(): boolean {
    return this.delta;
  }

  sortOf(column: string): { order: 'asc' | 'desc'; position: number } | undefined {
    const at = this.query.sort.findIndex((s) => s.column === column);
    return at < 0 ? undefined : { order: this.query.sort[at].order, position: at + 1 };
  }

  allSelected(): boolean | 'some' {
    const n = this.selection.size;
    if (n === 0) return false;
    return this.table && n >= this.table.rowCount ? true : 'some';
  }

  onView(first: number, last: number, columns: string[]): void {
    if (!this.table) return;
    for (const r of this.cache.plan(first, last, columns)) this.host.post({ type: 'window', ...r });
    this.cache.evict(first, last);
  }

  onRowClick(index: number, event: MouseEvent, part: 'check' | 'star' | 'note' | 'row'): void {
    const row = this.cache.row(index);
    if (!row) return;
    if (part === 'star') {
      this.host.post({ type: 'star', rowId: row.id, starred: !row.starred });
      return;
    }
    if (part === 'note') {
      this.host.post({ type: 'editNote', rowId: row.id });
      return;
    }
    if (event.shiftKey) this.selectRange(index, event.ctrlKey || event.metaKey || part === 'check');
    else if (part === 'check' || event.ctrlKey || event.metaKey) this.selection.toggle(row.id, index);
    else this.selection.only(row.id, index);
    this.selectionChanged();
  }

  onRowDoubleClick(index: number): void {
    const row = this.cache.row(index);
    if (row) this.host.post({ type: 'open', rowId: row.id });
  }

  onHeaderClick(column: string, add: boolean): void {
    this.setQuery({ ...this.query, sort: nextSort(this.query.sort, column, add) });
  }

  onSelectAll(): void {
    if (!this.table) return;
    if (this.allSelected() === true) {
      this.selection.clear();
      this.selectionChanged();
    } else {
      this.selection.anchor = 0;
      this.selectRange(this.table.rowCount - 1, false);
    }
  }

  onHide(column: string): void {
    this.setLayout(setHidden(this.layout, [column], true), true);
  }

  onTogglePin(column: string): void {
    this.setLayout(togglePinned(this.layout, column), true);
  }

  onMove(column: string, before: string | null): void {
    if (!this.table) return;
    this.setLayout(moveColumn(this.layout, this.table.columns, column, before), true);
  }

  onResize(column: string, width: number, done: boolean): void {
    this.setLayout(resizeColumn(this.layout, column, width), done);
  }

  onKey(e: KeyboardEvent): void {
    if (!this.table || this.table.rowCount === 0) return;
    const n = this.table.rowCount;
    const cur = this.selection.cursor;
    const move = (to: number) => {
      const next = Math.max(0, Math.min(n - 1, to));
      if (e.shiftKey) {
        this.selection.anchor ??= cur;
        this.selectRange(next, false);
      } else {
        this.selection.cursor = next;
        this.grid.invalidate();
      }
      this.grid.revealRow(next);
    };
    const ctrl = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case 'ArrowDown':
        move(cur + 1);
        break;
      case 'ArrowUp':
        move(cur - 1);
        break;
      case 'PageDown':
        move(cur + this.grid.pageRows);
        break;
      case 'PageUp':
        move(cur - this.grid.pageRows);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(n - 1);
        break;
      case ' ': {
        const row = this.cache.row(cur);
        if (row) {
          this.selection.toggle(row.id, cur);
          this.selectionChanged();
        }
        break;
      }
      case 'Enter': {
        const row = this.cache.row(cur);
        if (row) this.host.post({ type: 'open', rowId: row.id });
        break;
      }
      case 'Escape':
        this.selection.clear();
        this.selectionChanged();
        break;
      case 'a':
      case 'A':
        if (!ctrl) return;
        this.selection.anchor = 0;
        this.selectRange(n - 1, false);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  onRendered(report: {
    cells: number;
    rows: number;
    filled: number;
    firstRow: number;
    lastRow: number;
    scrollTop: number;
    scrollLeft: number;
  }): void {
    this.host.post({ type: 'rendered', ...report, generation: this.table?.generation ?? 0 });
  }

  // ─── Selection and actions ─────────────────────────────────────────────────────────────

  private selectRange(index: number, add: boolean): void {
    const { from, to } = this.selection.rangeTo(index);
    const ids = this.cache.ids(from, to + 1);
    if (ids) {
      this.selection.range(index, ids, add);
      this.selectionChanged();
      return;
    }
    // Rows the page does not hold: ask for their ids (no cells) and select when they come.
    const requestId = this.nextRequest++;
    this.ranges.set(requestId, { index, add });
    this.selection.cursor = index;
    this.host.post({ type: 'window', requestId, generation: this.table?.generation ?? 0, offset: from, count: to - from + 1, columns: [] });
  }

  private selectionChanged(): void {
    this.grid.invalidate();
    this.updateSummary();
    this.scheduleSave();
  }

  private runAction(action: RowAction): void {
    const ids = this.selection.list();
    if (!ids.length) return;
    const { pinned, rest } = arrangeColumns(this.table?.columns ?? [], this.layout);
    this.host.post({ type: 'action', action, rowIds: ids, columns: [...pinned, ...rest] });
  }

  // ─── Query ─────────────────────────────────────────────────────────────────────────────

  private addFilter(input: string): void {
    if (!this.table) return;
    const parsed = parseFilterInput(input, this.table.columns);
    if (parsed.kind === 'empty') return;
    this.filterInput.value = '';
    if (parsed.kind === 'text') {
      this.setQuery({ ...this.query, text: parsed.text });
      if (parsed.unknown)
        this.setStatus(`No column named "${parsed.unknown}": searching the text instead (the Columns… list has every name)`);
    } else this.setQuery({ ...this.query, filters: [...this.query.filters, parsed.filter] });
  }

  private setQuery(query: QueryView): void {
    this.query = query;
    this.renderQuery();
    this.setStatus('Loading…');
    this.host.post({ type: 'query', query });
  }

  private renderQuery(): void {
    const columns = this.table?.columns ?? [];
    const chips = this.query.filters.map((f, i) =>
      this.chip(filterLabel(f, columns), `${f.column} ${f.op} ${f.value}`, () => {
        this.setQuery({ ...this.query, filters: this.query.filters.filter((_, j) => j !== i) });
      }),
    );
    if (this.query.text)
      chips.push(
        this.chip(`text: ${this.query.text}`, 'Rows whose label, message, commit or note contain this', () =>
          this.setQuery({ ...this.query, text: '' }),
        ),
      );
    if (chips.length > 1) {
      const clear = document.createElement('button');
      clear.type = 'button';
      clear.className = 'chip-clear';
      clear.textContent = 'Clear all';
      clear.addEventListener('click', () => this.setQuery({ ...this.query, filters: [], text: '' }));
      chips.push(clear);
    }
    this.chips.replaceChildren(...chips);
    this.starredBox.checked = this.query.starredOnly;
    this.allCommitsBox.checked = this.query.allCommits;
    this.grid.invalidate();
  }

  private chip(text: string, title: string, remove: () => void): HTMLElement {
    const chip = div('chip');
    const label = document.createElement('span');
    label.textContent = text;
    chip.title = title;
    const x = document.createElement('button');
    x.type = 'button';
    x.className = 'chip-x';
    x.textContent = '×';
    x.title = 'Remove this condition';
    x.addEventListener('click', remove);
    chip.append(label, x);
    return chip;
  }

  // ─── Layout, tabs, summary ─────────────────────────────────────────────────────────────

  private setLayout(layout: ColumnLayout, persist: boolean): void {
    this.layout = layout;
    if (this.table) this.grid.setColumns(this.table.columns, layout);
    this.picker.refresh();
    this.updateSummary();
    clearTimeout(this.layoutTimer);
    if (persist) this.layoutTimer = window.setTimeout(() => this.host.post({ type: 'layout', layout: this.layout }), 150);
  }

  private setTab(tab: 'table' | 'charts'): void {
    this.tab = tab;
    this.tablePane.hidden = tab !== 'table';
    this.chartsPane.hidden = tab !== 'charts';
    for (const [id, b] of this.tabButtons) {
      b.secondary = id !== tab;
      b.setAttribute('aria-pressed', String(id === tab));
    }
    if (tab === 'charts') this.charts.shown();
    else {
      this.charts.hidden();
      this.grid.invalidate();
    }
    this.scheduleSave();
  }

  private updateSummary(): void {
    const t = this.table;
    if (!t) return;
    const hidden = t.columns.filter((c) => this.layout.hidden.includes(c.id)).length;
    const base = t.baseline ? `; colours and Δ against ${t.baseline.label}` : '';
    const n = this.selection.size;
    this.summary.textContent = `${t.rowCount} row${t.rowCount === 1 ? '' : 's'} · ${t.columns.length - hidden} column${t.columns.length - hidden === 1 ? '' : 's'}${hidden ? ` (${hidden} hidden)` : ''}${n ? ` · ${n} selected` : ''}${base}`;
    for (const a of ACTIONS) this.actionButtons.get(a.action)!.disabled = n < a.min || n > a.max;
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    clearTimeout(this.statusTimer);
    if (text && text !== 'Loading…')
      this.statusTimer = window.setTimeout(() => {
        this.status.textContent = '';
      }, 6000);
  }

  private showMessage(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', error);
    this.message.hidden = !text;
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(
      () =>
        this.host.save({
          version: 1,
          folder: this.folder,
          tab: this.tab,
          delta: this.delta,
          scrollTop: this.grid.scrollTop,
          scrollLeft: this.grid.scrollLeft,
          selected: this.selection.size <= MAX_SAVED_SELECTION ? this.selection.list() : undefined,
        }),
      200,
    );
  }
}

function sameColumns(a: readonly ColumnInfo[], b: readonly ColumnInfo[]): boolean {
  return a.length === b.length && a.every((c, i) => c.id === b[i].id && c.numeric === b[i].numeric && c.direction === b[i].direction);
}

function div(className: string): HTMLDivElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}

export function readPersisted(raw: unknown): PersistedState {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  return {
    version: 1,
    folder: typeof s.folder === 'string' ? s.folder : undefined,
    tab: s.tab === 'charts' ? 'charts' : 'table',
    delta: s.delta === true,
    scrollTop: num(s.scrollTop),
    scrollLeft: num(s.scrollLeft),
    selected: Array.isArray(s.selected)
      ? s.selected.filter((id): id is string => typeof id === 'string').slice(0, MAX_SAVED_SELECTION)
      : undefined,
  };
}

export { LABEL_COLUMN };
