// Host side of the Metric Diff webview: one panel per pair of revisions. The webview says
// `ready` after every (re)load — first open, shown again after being hidden (its context is
// not retained), window reload — and gets the whole state in `init`; after that, index
// changes arrive as `delta` messages. Nothing is posted before `ready`.
import * as vscode from 'vscode';
import type { DiffState, HostMessage, RevisionPair, WebviewMessage } from '../../protocol/metricDiff';
import { buildMetricDiffHtml, makeNonce } from './html';
import { parseWebviewMessage, revisionsFromSavedState } from './messages';
import { computeDelta } from './stateDelta';
import { WORKSPACE } from '../../core/workspace/revision';

export interface DiffDataSource {
  load(oldRev: string, newRev: string): Promise<DiffState>;
  readonly onDidChangeIndex: vscode.Event<void>;
  pickRevision(side: 'old' | 'new'): Promise<string | undefined>;
  copyMarkdown(oldRev: string, newRev: string, rowIds: string[]): Promise<void>;
}

/** Revisions used when a restored panel carries no readable state (as the CLI's defaults). */
const FALLBACK_REVISIONS: RevisionPair = { old: 'HEAD', new: WORKSPACE };

export class MetricDiffPanel {
  static readonly viewType = 'lineage.metricDiff';
  private static readonly open = new Set<MetricDiffPanel>();

  /** Resolves at the webview's first `ready` message. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  /** The webview has said `ready` since it was last (re)loaded, so posts reach it. */
  private live = false;
  private revs: RevisionPair;
  /** The latest table loaded for `revs`, or the reason it could not be loaded. */
  private state: DiffState | undefined;
  private error: string | undefined;
  private posted: DiffState | undefined;
  /** Each load gets a number; results of superseded loads are dropped. */
  private generation = 0;
  private loading: Promise<void> | undefined;
  private reloadQueued = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners = new Set<(message: HostMessage) => void>();

  /** Opens (or reveals) the comparison of two revisions. */
  static show(extensionUri: vscode.Uri, source: DiffDataSource, oldRev: string, newRev: string): MetricDiffPanel {
    for (const existing of MetricDiffPanel.open) {
      if (existing.revs.old === oldRev && existing.revs.new === newRev) {
        existing.panel.reveal();
        return existing;
      }
    }
    const panel = vscode.window.createWebviewPanel(
      MetricDiffPanel.viewType,
      titleOf({ old: oldRev, new: newRev }),
      vscode.ViewColumn.Active,
      MetricDiffPanel.options(extensionUri),
    );
    return new MetricDiffPanel(panel, extensionUri, source, { old: oldRev, new: newRev });
  }

  /** Adopts a panel VS Code restored after a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: DiffDataSource, revisions: RevisionPair): MetricDiffPanel {
    return new MetricDiffPanel(panel, extensionUri, source, revisions);
  }

  /** Every open Metric Diff panel (for tests and commands such as Copy Diff as Markdown). */
  static panels(): readonly MetricDiffPanel[] {
    return [...MetricDiffPanel.open];
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: DiffDataSource,
    revisions: RevisionPair,
  ) {
    this.revs = { ...revisions };
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    MetricDiffPanel.open.add(this);
    const webview = panel.webview;
    webview.options = MetricDiffPanel.options(extensionUri);
    panel.title = titleOf(this.revs);
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(parseWebviewMessage(raw))),
      panel.onDidChangeViewState(() => {
        // A hidden webview without retained context is torn down; it says `ready` again when shown.
        if (!panel.visible) this.live = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChangeIndex(() => this.reload()),
    );
    webview.html = buildMetricDiffHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'metricDiff.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'metricDiff.css')).toString(),
      nonce: makeNonce(),
    });
    void this.load();
  }

  /** The revisions this panel compares, as given to DiffDataSource.load. */
  get revisions(): RevisionPair {
    return { ...this.revs };
  }

  /** The last state posted to the webview (the `init` state with any deltas applied). */
  postedState(): DiffState | undefined {
    return this.posted;
  }

  /** The last load error shown in the webview, if the table could not be loaded. */
  lastError(): string | undefined {
    return this.error;
  }

  /** Called with every message posted to the webview (tests in the extension host). */
  onDidPost(listener: (message: HostMessage) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** Resolves when no load is running or queued. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  /** Compares other revisions in this panel. */
  async setRevisions(oldRev: string, newRev: string): Promise<void> {
    this.revs = { old: oldRev, new: newRev };
    this.panel.title = titleOf(this.revs);
    this.state = undefined;
    this.error = undefined;
    this.post({ type: 'loading', revisions: this.revisions });
    await this.load();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live = false;
    MetricDiffPanel.open.delete(this);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.listeners.clear();
    this.panel.dispose();
  }

  private onMessage(message: WebviewMessage | undefined): void {
    if (!message || this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.live = true;
        this.resolveReady();
        this.sendWhole();
        return;
      case 'swap':
        void this.setRevisions(this.revs.new, this.revs.old);
        return;
      case 'pickRevision':
        void this.pick(message.side);
        return;
      case 'copyMarkdown':
        void this.copy(message.rowIds);
        return;
    }
  }

  private async pick(side: 'old' | 'new'): Promise<void> {
    const picked = await this.source.pickRevision(side);
    if (picked === undefined || this.disposed) return;
    await this.setRevisions(side === 'old' ? picked : this.revs.old, side === 'new' ? picked : this.revs.new);
  }

  private async copy(rowIds: string[]): Promise<void> {
    try {
      await this.source.copyMarkdown(this.revs.old, this.revs.new, rowIds);
      this.post({ type: 'copied', count: rowIds.length });
    } catch (error) {
      void vscode.window.showErrorMessage(`ML Lineage: could not copy the table: ${messageOf(error)}`);
    }
  }

  /** Loads the table for the current revisions and posts it whole (init) or as the error. */
  private load(): Promise<void> {
    const generation = ++this.generation;
    const revs = this.revisions;
    const run = (async () => {
      try {
        const state = await this.source.load(revs.old, revs.new);
        if (generation !== this.generation || this.disposed) return;
        this.state = state;
        this.error = undefined;
      } catch (error) {
        if (generation !== this.generation || this.disposed) return;
        this.state = undefined;
        this.error = messageOf(error);
      }
      this.sendWhole();
    })();
    this.track(run);
    return run;
  }

  /** After an index change: reload and post only what changed. Coalesces bursts of changes. */
  private reload(): void {
    if (this.disposed) return;
    if (this.loading) {
      this.reloadQueued = true;
      return;
    }
    const generation = ++this.generation;
    const revs = this.revisions;
    const run = (async () => {
      let next: DiffState;
      try {
        next = await this.source.load(revs.old, revs.new);
      } catch (error) {
        if (generation !== this.generation || this.disposed) return;
        this.state = undefined;
        this.error = messageOf(error);
        this.sendWhole();
        return;
      }
      if (generation !== this.generation || this.disposed) return;
      const previous = this.state;
      this.state = next;
      this.error = undefined;
      if (!previous || !this.live || !this.posted) {
        // Nothing comparable on the page: the next `ready` (or this one) gets the whole state.
        this.sendWhole();
        return;
      }
      const delta = computeDelta(previous, next);
      if (delta) {
        this.post(delta);
        this.posted = next;
      }
    })();
    this.track(run);
  }

  private track(run: Promise<void>): void {
    const tracked = run.finally(() => {
      if (this.loading !== tracked) return;
      this.loading = undefined;
      if (this.reloadQueued && !this.disposed) {
        this.reloadQueued = false;
        this.reload();
      }
    });
    this.loading = tracked;
  }

  private sendWhole(): void {
    if (!this.live) return;
    if (this.state) {
      this.post({ type: 'init', revisions: this.revisions, state: this.state });
      this.posted = this.state;
    } else if (this.error !== undefined) {
      this.post({ type: 'error', revisions: this.revisions, message: this.error });
    } else {
      this.post({ type: 'loading', revisions: this.revisions });
    }
  }

  private post(message: HostMessage): void {
    if (!this.live || this.disposed) return;
    void this.panel.webview.postMessage(message);
    for (const listener of this.listeners) listener(message);
  }
}

/** Restores Metric Diff panels after a window reload, from the revisions the webview saved in its state. */
export function registerMetricDiffSerializer(context: vscode.ExtensionContext, source: DiffDataSource): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(MetricDiffPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      MetricDiffPanel.revive(panel, context.extensionUri, source, revisionsFromSavedState(state) ?? FALLBACK_REVISIONS);
    },
  });
}

function titleOf(revs: RevisionPair): string {
  return `Metric Diff: ${revs.old} ↔ ${revs.new}`;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/)[0] || 'unknown error';
}
