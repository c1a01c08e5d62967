// Host side of the Experiments table: one panel per workspace folder. The page says `ready`
// after every (re)load and gets `init` (the table, the saved layout and query, the first
// rows); then it asks for windows of rows as it scrolls. Index changes (new commits, runs
// that log new values) reopen the model with the same query and post `table` with the rows
// the page last asked for, so values change in place. Bursts of index events coalesce.
import * as vscode from 'vscode';
import type {
  ColumnInfo,
  ColumnLayout,
  HostMessage,
  QueryView,
  RenderedReport,
  RowAction,
  TableInfo,
  TableRow,
  WebviewMessage,
} from '../../protocol/experiments';
import { arrangeColumns, MAX_COMPARE } from '../../protocol/experiments';
import { webviewShell, makeNonce } from '../webview/html';
import { chartPanelOptions, messageOf } from '../webview/livePanel';
import { parseWebviewMessage } from './messages';
import { historyMetrics, orderForDiff, TableSession, type TableSource } from './tableSession';
import { rowsAsCsv, rowsAsMarkdown } from './tableText';

/** Rows sent with `init` (the first screen and a margin) before the page asks for any. */
const FIRST_ROWS = 100;
/** Columns sent with `init`, from the left of the saved layout. */
const FIRST_COLUMNS = 40;
/** Index events within this time reopen the table once. */
const RELOAD_DELAY_MS = 300;

export interface ExperimentsSource extends TableSource {
  /** One panel per key (the folder's URI). */
  readonly key: string;
  readonly onDidChangeIndex: vscode.Event<void>;
  /** Resolves once the folder's index is open (rejects when it cannot be). */
  whenReady(): Promise<void>;
  setMark(rowId: string, mark: { starred?: boolean; note?: string }): void;
  loadLayout(): ColumnLayout;
  saveLayout(layout: ColumnLayout): Thenable<void>;
  loadQuery(): QueryView;
  saveQuery(query: QueryView): Thenable<void>;
}

/** What the selection actions do outside the page (other panels, Git, the Runs view). */
export interface RowActions {
  compare(oldRow: TableRow, newRow: TableRow): Promise<void>;
  plots(rows: TableRow[]): Promise<void>;
  history(rows: TableRow[], metrics: ColumnInfo[]): Promise<void>;
  lineage(row: TableRow): Promise<void>;
  checkout(row: TableRow): Promise<void>;
  open(row: TableRow): Promise<void>;
  editNote(row: TableRow): Promise<string | undefined>;
  copy(text: string): Thenable<void>;
}

export class ExperimentsPanel {
  static readonly viewType = 'lineage.experiments';
  private static readonly open = new Map<string, ExperimentsPanel>();

  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private live = false;
  private disposed = false;
  private readonly session: TableSession;
  private error: string | undefined;
  private loading: Promise<void> | undefined;
  private reloadQueued = false;
  private reloadTimer: NodeJS.Timeout | undefined;
  private lastWindow: { offset: number; count: number; columns: string[] | null } | undefined;
  private layout: ColumnLayout;
  private rendered: (RenderedReport & { at: number }) | undefined;
  private readonly openedAt = Date.now();
  private firstRowsAt: number | undefined;
  private readonly times: { ready?: number; table?: number; init?: number } = {};
  private posted: TableInfo | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners = new Set<(message: HostMessage) => void>();
  private readonly renderListeners = new Set<(report: RenderedReport) => void>();

  /** Opens (or reveals) the table of a folder. */
  static show(extensionUri: vscode.Uri, source: ExperimentsSource, actions: RowActions): ExperimentsPanel {
    const existing = ExperimentsPanel.open.get(source.key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ExperimentsPanel.viewType, `Experiments: ${source.folder}`, vscode.ViewColumn.Active, {
      ...chartPanelOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    return new ExperimentsPanel(panel, extensionUri, source, actions);
  }

  /** Adopts a panel VS Code restored after a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: ExperimentsSource, actions: RowActions): ExperimentsPanel {
    ExperimentsPanel.open.get(source.key)?.dispose();
    return new ExperimentsPanel(panel, extensionUri, source, actions);
  }

  static panels(): readonly ExperimentsPanel[] {
    return [...ExperimentsPanel.open.values()];
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: ExperimentsSource,
    private readonly actions: RowActions,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    ExperimentsPanel.open.set(source.key, this);
    this.layout = source.loadLayout();
    this.session = new TableSession(source, source.loadQuery());
    const webview = panel.webview;
    webview.options = chartPanelOptions(extensionUri);
    panel.title = `Experiments: ${source.folder}`;
    panel.iconPath = new vscode.ThemeIcon('table');
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.live = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChangeIndex(() => this.scheduleReload()),
    );
    webview.html = webviewShell(
      {
        cspSource: webview.cspSource,
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'experiments.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'experiments.css')).toString(),
        nonce: makeNonce(),
      },
      'Experiments',
    );
    // Opening the model overlaps with the page loading its script.
    this.track(this.openTable());
  }

  get key(): string {
    return this.source.key;
  }

  /** The table last posted to the page (tests). */
  postedTable(): TableInfo | undefined {
    return this.posted;
  }

  get query(): QueryView {
    return this.session.query;
  }

  get columnLayout(): ColumnLayout {
    return this.layout;
  }

  lastError(): string | undefined {
    return this.error;
  }

  /** What the page last reported drawing. */
  lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  /** Milliseconds from opening the panel to the page's first report of rows drawn with data. */
  firstRowsMs(): number | undefined {
    return this.firstRowsAt === undefined ? undefined : this.firstRowsAt - this.openedAt;
  }

  /** Milliseconds from opening the panel to: the page's first `ready`, the table opened, `init` posted, first rows drawn. */
  timings(): { ready?: number; table?: number; init?: number; firstRows?: number } {
    const since = (t: number | undefined) => (t === undefined ? undefined : t - this.openedAt);
    return {
      ready: since(this.times.ready),
      table: since(this.times.table),
      init: since(this.times.init),
      firstRows: since(this.firstRowsAt),
    };
  }

  onDidPost(listener: (message: HostMessage) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  onDidRender(listener: (report: RenderedReport) => void): vscode.Disposable {
    this.renderListeners.add(listener);
    return new vscode.Disposable(() => this.renderListeners.delete(listener));
  }

  /** Resolves when no reload is running or queued. */
  async settled(): Promise<void> {
    while (this.loading || this.reloadTimer) {
      if (this.loading) await this.loading;
      else await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Scrolls the page's grid (tests; revealing a row). */
  scrollTo(top?: number, left?: number): void {
    this.post({ type: 'scroll', top, left });
  }

  /** Handles a message as the page sends it (untrusted: parsed first); resolves when handled. */
  receive(raw: unknown): Promise<void> {
    return this.onMessage(parseWebviewMessage(raw));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live = false;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    if (ExperimentsPanel.open.get(this.source.key) === this) ExperimentsPanel.open.delete(this.source.key);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.listeners.clear();
    this.renderListeners.clear();
    this.panel.dispose();
  }

  private async onMessage(message: WebviewMessage | undefined): Promise<void> {
    if (!message || this.disposed) return;
    try {
      switch (message.type) {
        case 'ready':
          this.times.ready ??= Date.now();
          this.live = true;
          this.resolveReady();
          if (this.loading) this.post({ type: 'loading' });
          else this.sendInit();
          return;
        case 'window':
          if (!this.session.opened || message.generation !== this.session.generation) return;
          if (message.columns === null || message.columns.length > 0)
            this.lastWindow = { offset: message.offset, count: message.count, columns: message.columns };
          this.post({ type: 'rows', ...this.session.window(message.offset, message.count, message.columns, message.requestId) });
          return;
        case 'query':
          this.session.setQuery(message.query);
          void this.source.saveQuery(message.query);
          await this.reloadNow();
          return;
        case 'layout':
          this.layout = message.layout;
          await this.source.saveLayout(message.layout);
          return;
        case 'star':
          this.source.setMark(message.rowId, { starred: message.starred });
          await this.reloadNow();
          return;
        case 'editNote': {
          const [row] = this.session.rowsById([message.rowId]);
          if (!row) return;
          const note = await this.actions.editNote(row);
          if (note === undefined || this.disposed) return;
          this.source.setMark(row.id, { note });
          await this.reloadNow();
          return;
        }
        case 'open': {
          const [row] = this.session.rowsById([message.rowId]);
          if (row) await this.actions.open(row);
          return;
        }
        case 'action':
          await this.act(message.action, message.rowIds, message.columns);
          return;
        case 'points':
          if (!this.session.opened) return;
          this.post({ type: 'points', ...this.session.points(message.columns, message.scope, message.rowIds, message.requestId) });
          return;
        case 'correlation': {
          if (!this.session.opened) return;
          const { n, entries } = this.session.correlation(message.metric, message.scope, message.rowIds);
          this.post({ type: 'correlation', requestId: message.requestId, metric: message.metric, scope: message.scope, n, entries });
          return;
        }
        case 'rendered':
          this.rendered = { ...message, at: Date.now() };
          if (this.firstRowsAt === undefined && message.filled > 0) this.firstRowsAt = Date.now();
          for (const l of this.renderListeners) l(message);
          return;
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`ML Lineage: ${messageOf(error)}`);
    }
  }

  private async act(action: RowAction, rowIds: string[], columnIds: string[]): Promise<void> {
    if (!this.session.opened) return;
    const rows = this.session.rowsById(rowIds);
    if (rows.length === 0) {
      this.post({ type: 'status', text: 'The selected rows are not in the table any more.' });
      return;
    }
    const byId = new Map(this.session.columns.map((c) => [c.id, c]));
    const columns = columnIds.map((id) => byId.get(id)).filter((c): c is ColumnInfo => c !== undefined);
    switch (action) {
      case 'compare':
        if (rows.length === 2) {
          const [a, b] = orderForDiff(rows, this.session.info().baselineId);
          await this.actions.compare(a, b);
        } else if (rows.length > 2 && rows.length <= MAX_COMPARE) {
          this.post({ type: 'compare', rows, baselineId: this.session.info().baselineId });
        } else {
          this.post({ type: 'status', text: `Compare takes 2 to ${MAX_COMPARE} rows; ${rows.length} are selected.` });
        }
        return;
      case 'plots':
        await this.actions.plots(rows);
        return;
      case 'history':
        await this.actions.history(
          rows,
          historyMetrics(
            this.session.query.sort.map((s) => byId.get(s.column)),
            columns,
          ),
        );
        return;
      case 'lineage':
        await this.actions.lineage(rows[0]);
        return;
      case 'checkout':
        await this.actions.checkout(rows[0]);
        return;
      case 'copyMarkdown':
      case 'copyCsv': {
        const shown = columns.length ? columns : this.visibleColumns();
        await this.actions.copy(action === 'copyCsv' ? rowsAsCsv(rows, shown) : rowsAsMarkdown(rows, shown));
        this.post({
          type: 'status',
          text: `Copied ${rows.length} row${rows.length === 1 ? '' : 's'} as ${action === 'copyCsv' ? 'CSV' : 'Markdown'}`,
        });
        return;
      }
    }
  }

  private visibleColumns(): ColumnInfo[] {
    const byId = new Map(this.session.columns.map((c) => [c.id, c]));
    const { pinned, rest } = arrangeColumns(this.session.columns, this.layout);
    return [...pinned, ...rest].map((id) => byId.get(id)!);
  }

  /** Opens the model (first load); the page gets it at `ready`, or now when it is already there. */
  private async openTable(): Promise<void> {
    try {
      await this.source.whenReady();
      if (this.disposed) return;
      this.session.reopen();
      this.times.table ??= Date.now();
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    }
    this.sendInit();
  }

  private sendInit(): void {
    if (!this.live || this.disposed) return;
    if (this.error !== undefined || !this.session.opened) {
      this.post(this.error !== undefined ? { type: 'error', message: this.error } : { type: 'loading' });
      return;
    }
    const table = this.session.info();
    const { pinned, rest } = arrangeColumns(table.columns, this.layout);
    const first = this.session.window(0, FIRST_ROWS, [...pinned, ...rest.slice(0, FIRST_COLUMNS)]);
    this.posted = table;
    this.times.init ??= Date.now();
    this.post({ type: 'init', table, layout: this.layout, query: this.session.query, window: first });
  }

  private scheduleReload(): void {
    if (this.disposed) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.reloadNow();
    }, RELOAD_DELAY_MS);
  }

  /** Reopens the table (a query, mark or index change) and posts it with the rows last asked for. */
  private reloadNow(): Promise<void> {
    if (this.loading) {
      this.reloadQueued = true;
      return this.loading;
    }
    const run = (async () => {
      try {
        await this.source.whenReady();
        if (this.disposed) return;
        const table = this.session.reopen();
        const hadError = this.error !== undefined;
        this.error = undefined;
        if (!this.live) return;
        if (hadError || !this.posted) {
          this.sendInit();
          return;
        }
        const w = this.lastWindow;
        this.posted = table;
        this.post({
          type: 'table',
          table,
          query: this.session.query,
          window: w ? this.session.window(w.offset, w.count, w.columns) : null,
        });
      } catch (error) {
        this.error = messageOf(error);
        this.post({ type: 'error', message: this.error });
      }
    })();
    this.track(run);
    return run;
  }

  private track(run: Promise<void>): void {
    const tracked = run.finally(() => {
      if (this.loading !== tracked) return;
      this.loading = undefined;
      if (this.reloadQueued && !this.disposed) {
        this.reloadQueued = false;
        void this.reloadNow();
      }
    });
    this.loading = tracked;
  }

  private post(message: HostMessage): void {
    if (!this.live || this.disposed) return;
    void this.panel.webview.postMessage(message);
    for (const listener of this.listeners) listener(message);
  }
}

/** Restores the Experiments panel after a window reload. */
export function registerExperimentsSerializer(
  source: (state: unknown) => Promise<{ extensionUri: vscode.Uri; source: ExperimentsSource; actions: RowActions } | undefined>,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ExperimentsPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const found = await source(state);
      if (!found) {
        panel.dispose();
        return;
      }
      ExperimentsPanel.revive(panel, found.extensionUri, found.source, found.actions);
    },
  });
}
