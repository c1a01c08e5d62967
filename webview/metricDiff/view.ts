// The Metric Diff page: revision headers, filters, summary and the virtual table. Holds the
// DOM; all decisions (what passes a filter, the order, the summary text) are in model.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type {
  DiffRow,
  HostMessage,
  KindFilter,
  PersistedState,
  RevisionLabel,
  RevisionPair,
  ViewOptions,
  WebviewMessage,
} from '../../src/protocol/metricDiff';
import { rowId } from '../../src/protocol/metricDiff';
import { filterRows, maxScrollTop, nextSort, RowSet, sortRows, summarize, summaryText } from './model';
import { ROW_HEIGHT, VirtualTable } from './table';

export interface AppHost {
  post(message: WebviewMessage): void;
  save(state: PersistedState): void;
}

const KIND_CHOICES: readonly { value: KindFilter; label: string }[] = [
  { value: 'all', label: 'Metrics and params' },
  { value: 'metric', label: 'Metrics' },
  { value: 'param', label: 'Params' },
];

export class MetricDiffApp {
  private readonly data = new RowSet();
  private options: ViewOptions;
  private revisions: RevisionPair | undefined;
  private pendingScroll: number | undefined;
  /** Rows sorted by the current sort, cached per data version. */
  private sorted: { version: number; sort: string; rows: DiffRow[] } | undefined;
  private shown: DiffRow[] = [];
  private hasData = false;
  private saveTimer = 0;
  private filterTimer = 0;
  private statusTimer = 0;

  private readonly table: VirtualTable;
  private readonly oldRev: RevisionHeader;
  private readonly newRev: RevisionHeader;
  private readonly textFilter = document.createElement('vscode-textfield');
  private readonly kindSelect = document.createElement('vscode-single-select');
  private readonly fileSelect = document.createElement('vscode-single-select');
  private readonly changedBox = document.createElement('vscode-checkbox');
  private readonly copyButton = document.createElement('vscode-button');
  private readonly summary = div('summary');
  private readonly status = div('status');
  private readonly message = div('message');
  private readonly problems = div('problems');
  private files: string[] = [];

  constructor(
    root: HTMLElement,
    private readonly host: AppHost,
    persisted: PersistedState,
  ) {
    this.options = { ...persisted.options };
    this.revisions = persisted.revisions;
    this.pendingScroll = persisted.scrollTop;

    const revs = div('revisions');
    this.oldRev = new RevisionHeader('old', () => host.post({ type: 'pickRevision', side: 'old' }));
    this.newRev = new RevisionHeader('new', () => host.post({ type: 'pickRevision', side: 'new' }));
    const swap = document.createElement('vscode-button');
    swap.secondary = true;
    swap.textContent = '⇄ Swap';
    swap.title = 'Swap old and new';
    swap.addEventListener('click', () => host.post({ type: 'swap' }));
    revs.append(this.oldRev.element, swap, this.newRev.element);

    const filters = div('filters');
    this.textFilter.placeholder = 'Filter by file, key or value';
    this.textFilter.value = this.options.text;
    this.textFilter.setAttribute('aria-label', 'Filter rows');
    this.textFilter.className = 'text-filter';
    this.textFilter.addEventListener('input', () => {
      clearTimeout(this.filterTimer);
      this.filterTimer = window.setTimeout(() => this.update({ text: this.textFilter.value }), 80);
    });

    this.kindSelect.setAttribute('aria-label', 'Kind');
    for (const choice of KIND_CHOICES) this.kindSelect.append(option(choice.value, choice.label, choice.value === this.options.kind));
    this.kindSelect.addEventListener('change', () =>
      this.update({ kind: KIND_CHOICES.find((c) => c.value === this.kindSelect.value)?.value ?? 'all' }),
    );

    this.fileSelect.setAttribute('aria-label', 'File');
    this.fileSelect.className = 'file-select';
    this.fileSelect.addEventListener('change', () => {
      const index = Number(this.fileSelect.value);
      this.update({ file: index > 0 ? (this.files[index - 1] ?? '') : '' });
    });
    this.setFiles([]);

    this.changedBox.label = 'Only changed';
    this.changedBox.checked = this.options.onlyChanged;
    this.changedBox.addEventListener('change', () => this.update({ onlyChanged: this.changedBox.checked }));

    this.copyButton.textContent = 'Copy as Markdown';
    this.copyButton.title = 'Copy the rows shown as a Markdown table';
    this.copyButton.addEventListener('click', () => host.post({ type: 'copyMarkdown', rowIds: this.shown.map(rowId) }));

    filters.append(this.textFilter, this.kindSelect, this.fileSelect, this.changedBox, div('grow'), this.copyButton);

    const summaryLine = div('summary-line');
    this.summary.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    summaryLine.append(this.summary, this.status);

    this.table = new VirtualTable(
      (column) => this.update(nextSort(this.options, column)),
      () => this.scheduleSave(),
    );
    this.table.setSort(this.options.sort, this.options.descending);
    this.message.setAttribute('role', 'status');

    const header = div('top');
    header.append(revs, filters, summaryLine, this.problems);
    root.append(header, this.message, this.table.element);
    this.showMessage('Loading…', false);
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.setRevisions(message.revisions);
        this.data.reset(message.state);
        this.setLabels(message.state.old, message.state.new);
        this.hasData = true;
        this.refresh(true);
        return;
      case 'delta':
        if (!this.hasData) return;
        this.data.applyDelta(message.upserts, message.removed, message.improved, message.regressed, message.problems);
        this.setLabels(message.old, message.new);
        this.refresh(true);
        return;
      case 'loading':
        this.setRevisions(message.revisions);
        this.setStatus('Loading…');
        if (!this.hasData) this.showMessage('Loading…', false);
        return;
      case 'error':
        this.setRevisions(message.revisions);
        this.hasData = false;
        this.data.reset({
          old: { label: message.revisions.old, sha: '' },
          new: { label: message.revisions.new, sha: '' },
          rows: [],
          improved: 0,
          regressed: 0,
          problems: [],
        });
        this.oldRev.set({ label: message.revisions.old, sha: '' });
        this.newRev.set({ label: message.revisions.new, sha: '' });
        this.refresh(true);
        this.showMessage(message.message, true);
        return;
      case 'copied':
        this.setStatus(`Copied ${message.count} row${message.count === 1 ? '' : 's'} as Markdown`);
        return;
    }
  }

  private setRevisions(revisions: RevisionPair): void {
    this.revisions = { old: revisions.old, new: revisions.new };
    this.scheduleSave();
  }

  private setLabels(oldLabel: RevisionLabel, newLabel: RevisionLabel): void {
    this.oldRev.set(oldLabel);
    this.newRev.set(newLabel);
  }

  private update(change: Partial<ViewOptions>): void {
    this.options = { ...this.options, ...change };
    this.table.setSort(this.options.sort, this.options.descending);
    this.refresh(false);
    this.scheduleSave();
  }

  /** Recomputes the rows shown; `dataChanged` also rebuilds the file list and problems. */
  private refresh(dataChanged: boolean): void {
    if (dataChanged) {
      this.setFiles(this.data.files());
      this.problems.replaceChildren(
        ...this.data.problems.map((p) => {
          const line = div('problem');
          line.textContent = p;
          return line;
        }),
      );
    }
    const sortKey = `${this.options.sort}:${this.options.descending}`;
    if (!this.sorted || this.sorted.version !== this.data.version || this.sorted.sort !== sortKey) {
      this.sorted = {
        version: this.data.version,
        sort: sortKey,
        rows: sortRows(this.data.rows(), this.options.sort, this.options.descending),
      };
    }
    // Filtering keeps order, so the sorted list is filtered rather than re-sorted on every keystroke.
    this.shown = filterRows(this.sorted.rows, this.options);
    this.table.setRows(this.shown);
    const all = this.sorted.rows;
    this.summary.textContent = this.hasData ? summaryText(summarize(all, this.shown.length)) : '';
    this.copyButton.disabled = this.shown.length === 0;
    if (!this.hasData) return;
    if (all.length === 0) this.showMessage('Neither revision has metrics or params.', false);
    else if (this.shown.length === 0) this.showMessage('No rows match the filters.', false);
    else this.showMessage('', false);
    if (this.status.textContent === 'Loading…') this.setStatus('');
    if (this.pendingScroll !== undefined && this.shown.length > 0) {
      this.table.scrollTop = Math.min(this.pendingScroll, maxScrollTop(this.shown.length, ROW_HEIGHT, 0));
      this.pendingScroll = undefined;
    }
  }

  private setFiles(files: string[]): void {
    const same = files.length === this.files.length && files.every((f, i) => f === this.files[i]) && this.fileSelect.childElementCount > 0;
    if (same) return;
    this.files = files;
    if (this.options.file && !files.includes(this.options.file)) this.options = { ...this.options, file: '' };
    const selected = this.options.file ? files.indexOf(this.options.file) + 1 : 0;
    this.fileSelect.replaceChildren(
      option('0', 'All files', selected === 0),
      ...files.map((file, i) => option(String(i + 1), file, selected === i + 1)),
    );
  }

  private showMessage(text: string, isError: boolean): void {
    this.message.textContent = text;
    this.message.hidden = text === '';
    this.message.classList.toggle('error', isError);
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    clearTimeout(this.statusTimer);
    if (text) this.statusTimer = window.setTimeout(() => (this.status.textContent = ''), 4000);
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => {
      this.host.save({ version: 1, revisions: this.revisions, options: this.options, scrollTop: this.table.scrollTop });
    }, 150);
  }
}

class RevisionHeader {
  readonly element = div('revision');
  private readonly label = document.createElement('span');
  private readonly sha = document.createElement('span');
  private readonly subject = document.createElement('span');

  constructor(side: 'old' | 'new', pick: () => void) {
    this.element.classList.add(side);
    const badge = document.createElement('span');
    badge.className = 'side';
    badge.textContent = side === 'old' ? 'Old' : 'New';
    this.label.className = 'rev-label';
    this.sha.className = 'rev-sha';
    this.subject.className = 'rev-subject';
    const change = document.createElement('vscode-button');
    change.secondary = true;
    change.textContent = 'Change…';
    change.title = `Pick another ${side} revision`;
    change.addEventListener('click', pick);
    this.element.append(badge, this.label, this.sha, this.subject, change);
  }

  set(rev: RevisionLabel): void {
    this.label.textContent = rev.label;
    const short = rev.sha && rev.sha !== 'workspace' && rev.sha !== rev.label ? rev.sha.slice(0, 8) : '';
    this.sha.textContent = short;
    this.sha.hidden = short === '';
    this.subject.textContent = rev.subject ?? '';
    this.subject.hidden = !rev.subject;
    this.element.title = [rev.label, rev.sha, rev.subject].filter(Boolean).join('\n');
  }
}

function div(className: string): HTMLDivElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}

function option(value: string, label: string, selected: boolean): HTMLElement {
  const node = document.createElement('vscode-option');
  node.value = value;
  node.textContent = label;
  node.selected = selected;
  return node;
}
