// Host side of the Metric History webview: one panel per folder; its selection (metrics,
// revisions, step-series revisions) is changed from the page or by commands.
import * as vscode from 'vscode';
import type { HistorySelection, HistoryState, HostMessage, RenderedChart, WebviewMessage } from '../../protocol/metricHistory';
import { applyStepAppends, sameMetric } from '../../protocol/metricHistory';
import { buildChartHtml, makeNonce } from '../webview/chartHtml';
import { LivePanel, chartPanelOptions } from '../webview/livePanel';
import { saveExport, type SaveTarget } from '../webview/exportFile';
import { computeHistoryDelta } from './historyDelta';
import { parseHistoryMessage, selectionFromSavedState } from './messages';
import type { HistoryDataSource } from './historySource';
import type { LiveSignal } from '../../core/workspace/live';
import { LiveFeed, type LiveUpdate } from './liveFeed';
import { appendsOf, liveDirsOf, withLiveSeries, WORKSPACE_REV } from './liveSteps';
import type { ExternalRun } from '../../core/runs/types';
import { RunLiveFeed, problemText, type RunLiveUpdate } from './runLiveFeed';
import { runAppends, withRun } from './runSeriesSource';

export class MetricHistoryPanel extends LivePanel<HistoryState, HostMessage> {
  static readonly viewType = 'lineage.metricHistory';
  private static readonly open = new Set<MetricHistoryPanel>();
  private current: HistorySelection;
  private rendered: { charts: RenderedChart[]; ms: number } | undefined;
  private readonly renderedListeners = new Set<(r: { charts: RenderedChart[]; ms: number }) => void>();
  /** Follows the workspace's DVCLive folders while its step series are shown. */
  private readonly liveFeed: LiveFeed | undefined;
  /** Follows the shown MLflow/W&B runs that are running. */
  private readonly runFeed: RunLiveFeed | undefined;
  private livePosted: string | undefined;

  /** Opens the folder's panel, or shows the selection in the one already open. */
  static show(
    extensionUri: vscode.Uri,
    source: HistoryDataSource,
    selection: HistorySelection,
    saveTarget?: () => SaveTarget | undefined,
  ): MetricHistoryPanel {
    const existing = [...MetricHistoryPanel.open].find((p) => p.source === source);
    if (existing) {
      existing.panel.reveal();
      // The runs overlaid stay unless the caller chose runs.
      void existing.setSelection({ ...selection, runs: selection.runs ?? existing.current.runs });
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      MetricHistoryPanel.viewType,
      'Metric History',
      vscode.ViewColumn.Active,
      chartPanelOptions(extensionUri),
    );
    return new MetricHistoryPanel(panel, extensionUri, source, selection, saveTarget);
  }

  /** Shows a run's step series: added to the folder's panel, or in a new one showing only them. */
  static showRun(
    extensionUri: vscode.Uri,
    source: HistoryDataSource,
    run: Pick<ExternalRun, 'source' | 'id' | 'name'>,
    saveTarget?: () => SaveTarget | undefined,
  ): MetricHistoryPanel {
    const existing = [...MetricHistoryPanel.open].find((p) => p.source === source);
    const selection = withRun(existing?.current ?? { metrics: [], revisions: [], stepRevisions: [] }, run);
    return MetricHistoryPanel.show(extensionUri, source, selection, saveTarget);
  }

  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    source: HistoryDataSource,
    state: unknown,
    fallback: HistorySelection,
  ): MetricHistoryPanel {
    return new MetricHistoryPanel(panel, extensionUri, source, selectionFromSavedState(state) ?? fallback);
  }

  static panels(): readonly MetricHistoryPanel[] {
    return [...MetricHistoryPanel.open];
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: HistoryDataSource,
    selection: HistorySelection,
    private readonly saveTarget?: () => SaveTarget | undefined,
  ) {
    super(panel, source.onDidChangeIndex);
    this.current = clone(selection);
    MetricHistoryPanel.open.add(this);
    this.disposables.push(new vscode.Disposable(() => MetricHistoryPanel.open.delete(this)));
    const webview = panel.webview;
    webview.options = chartPanelOptions(extensionUri);
    panel.title = this.title();
    this.disposables.push(webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    if (source.folder) {
      this.liveFeed = new LiveFeed(source.folder, (update) => this.onLiveUpdate(update));
      this.disposables.push(this.liveFeed);
      this.runFeed = new RunLiveFeed(source.folder, (updates) => this.onRunUpdate(updates));
      this.disposables.push(this.runFeed);
    }
    webview.html = buildChartHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'metricHistory.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'charts.css')).toString(),
      nonce: makeNonce(),
      title: 'Metric History',
      dataImages: false,
    });
    void this.load();
  }

  get selection(): HistorySelection {
    return clone(this.current);
  }

  lastRendered(): { charts: RenderedChart[]; ms: number } | undefined {
    return this.rendered;
  }

  onDidRender(listener: (r: { charts: RenderedChart[]; ms: number }) => void): vscode.Disposable {
    this.renderedListeners.add(listener);
    return new vscode.Disposable(() => this.renderedListeners.delete(listener));
  }

  async setSelection(selection: HistorySelection): Promise<void> {
    this.current = clone(selection);
    this.panel.title = this.title();
    this.post({ type: 'loading' });
    await this.load();
  }

  /** Adds metrics to what is shown (a second "Show Metric History" on another key). */
  async addMetrics(selection: HistorySelection): Promise<void> {
    const metrics = [...this.current.metrics];
    for (const m of selection.metrics) if (!metrics.some((x) => sameMetric(x, m))) metrics.push(m);
    await this.setSelection({ ...selection, metrics });
  }

  protected async fetch(): Promise<HistoryState> {
    const loaded = await this.source.load(this.selection);
    // Runs first (it awaits), DVCLive last (synchronous, right before the panel takes the state).
    const state = this.runFeed && !this.disposed ? await this.runFeed.withRuns(loaded) : loaded;
    const runRevs = new Set(state.runs?.map((r) => r.rev));
    const live = this.withLive({ ...state, steps: state.steps.filter((s) => !runRevs.has(s.rev)) });
    return { ...live, steps: [...live.steps, ...state.steps.filter((s) => runRevs.has(s.rev))] };
  }

  /** Whether a run is writing the shown series, and which DVCLive folders are followed. */
  liveStatus(): { live: boolean; detail: string; following: string[] } {
    const signal = this.liveFeed?.live ?? { live: false };
    const runs = this.runFeed?.running ?? [];
    const detail = [
      liveDetail(signal),
      runs.length ? `Following ${runs.length === 1 ? 'a running run' : `${runs.length} running runs`}: ${runs.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('. ');
    return { live: signal.live || runs.length > 0, detail, following: [...(this.liveFeed?.dirs ?? []), ...(this.runFeed?.dirs ?? [])] };
  }

  /** The workspace's series of followed folders as the files hold them now (the index may lag behind). */
  private withLive(state: HistoryState): HistoryState {
    const feed = this.liveFeed;
    const choice = state.selection.stepRevisions.find((r) => r.rev === WORKSPACE_REV);
    if (!feed || !choice || this.disposed) {
      feed?.stop();
      this.postLive();
      return state;
    }
    const dirs = liveDirsOf(state.steps);
    feed.follow(dirs);
    const next = withLiveSeries(
      state,
      choice,
      feed.readAll().flatMap((r) => r.series),
    );
    next.problems = [...new Set([...next.problems, ...feed.problems])];
    this.postLive();
    return next;
  }

  /** New points of a live run: appended to the page's charts, and to the state a reload compares with. */
  private onLiveUpdate(update: LiveUpdate): void {
    if (this.disposed) return;
    const choice = this.current.stepRevisions.find((r) => r.rev === WORKSPACE_REV);
    const appends = choice ? appendsOf(choice, update.deltas) : [];
    const problems = update.problems.length ? [...new Set([...(this.state?.problems ?? []), ...this.liveFeed!.problems])] : undefined;
    if (appends.length || problems) {
      for (const s of new Set([this.state, this.postedState()])) {
        if (!s) continue;
        s.steps = applyStepAppends(s.steps, appends);
        if (problems) s.problems = problems;
      }
      this.post({ type: 'stepsAppend', appends, ...(problems ? { problems } : {}) });
    }
    this.postLive();
  }

  /** New points of followed MLflow/W&B runs, as onLiveUpdate handles DVCLive's. */
  private onRunUpdate(updates: RunLiveUpdate[]): void {
    if (this.disposed) return;
    const appends = updates.flatMap((u) => runAppends(u.run, u.deltas));
    const found = updates.flatMap((u) => u.problems.map((p) => problemText(u.run, p)));
    const problems = found.length ? [...new Set([...(this.state?.problems ?? []), ...found])] : undefined;
    for (const s of new Set([this.state, this.postedState()])) {
      if (!s) continue;
      s.steps = applyStepAppends(s.steps, appends);
      if (problems) s.problems = problems;
      if (s.runs) s.runs = s.runs.map((r) => updates.find((u) => u.run.rev === r.rev)?.run ?? r);
    }
    if (appends.length || problems) this.post({ type: 'stepsAppend', appends, ...(problems ? { problems } : {}) });
    this.postLive();
  }

  private postLive(force = false): void {
    const { live, detail } = this.liveStatus();
    const key = `${live}\0${detail}`;
    if (!force && key === this.livePosted) return;
    this.livePosted = key;
    this.post({ type: 'live', live, detail });
  }

  protected initMessage(state: HistoryState): HostMessage {
    return { type: 'init', state };
  }

  protected errorMessage(message: string): HostMessage {
    return { type: 'error', message };
  }

  protected loadingMessage(): HostMessage {
    return { type: 'loading' };
  }

  protected deltaMessage(prev: HistoryState, next: HistoryState): HostMessage | undefined {
    return computeHistoryDelta(prev, next);
  }

  /** Handles a message as the webview sends it (untrusted: parsed first); resolves when handled. */
  receive(raw: unknown): Promise<void> {
    return this.onMessage(parseHistoryMessage(raw));
  }

  /** What a click on a point does: reveal the commit in the Runs view (false: not on a listed branch). */
  async revealPoint(sha: string, rev: string): Promise<boolean> {
    const found = await this.source.reveal(sha, rev);
    this.post({ type: 'revealed', sha, found });
    if (!found) void vscode.window.setStatusBarMessage(`ML Lineage: ${sha.slice(0, 8)} is not on a branch the Runs view lists`, 4000);
    return found;
  }

  private async onMessage(message: WebviewMessage | undefined): Promise<void> {
    if (!message || this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.onReady();
        this.postLive(true);
        return;
      case 'select':
        await this.setSelection(message.selection);
        return;
      case 'pickRevisions': {
        const steps = message.target === 'steps';
        const current = steps ? this.current.stepRevisions : this.current.revisions;
        const picked = await this.source.pickRevisions(steps ? 'Step series (DVCLive) of…' : 'Metric history along…', current);
        if (!picked || this.disposed) return;
        // Revisions already shown keep their place (and color); new ones come after.
        const kept = current.filter((c) => picked.some((p) => p.rev === c.rev));
        const ordered = [...kept, ...picked.filter((p) => !kept.some((c) => c.rev === p.rev))];
        await this.setSelection(steps ? { ...this.current, stepRevisions: ordered } : { ...this.current, revisions: ordered });
        return;
      }
      case 'reveal':
        await this.revealPoint(message.sha, message.rev);
        return;
      case 'export': {
        const file = await saveExport(message, this.source.folder, this.saveTarget?.());
        if (file) this.post({ type: 'exported', file });
        return;
      }
      case 'rendered':
        this.rendered = { charts: message.charts, ms: message.ms };
        for (const l of this.renderedListeners) l(this.rendered);
        return;
    }
  }

  private title(): string {
    const keys = this.current.metrics.map((m) => m.key);
    if (!keys.length && this.current.runs?.length) keys.push(...this.current.runs.map((r) => r.label));
    return `Metric History: ${keys.length ? keys.slice(0, 3).join(', ') + (keys.length > 3 ? '…' : '') : 'steps'}`;
  }
}

function liveDetail(signal: LiveSignal): string {
  switch (signal.reason) {
    case 'dvclive-signal':
      return `A DVCLive run (pid ${signal.pid}) is writing${signal.step !== undefined ? `, step ${signal.step}` : ''}`;
    case 'mlflow-running':
      return 'An MLflow run is RUNNING';
    case 'recent-write':
      return 'Step series files were written moments ago';
    default:
      return '';
  }
}

function clone(s: HistorySelection): HistorySelection {
  return {
    metrics: s.metrics.map((m) => ({ ...m })),
    revisions: s.revisions.map((r) => ({ ...r })),
    stepRevisions: s.stepRevisions.map((r) => ({ ...r })),
    ...(s.runs ? { runs: s.runs.map((r) => ({ ...r })) } : {}),
  };
}

export function registerMetricHistorySerializer(
  context: vscode.ExtensionContext,
  source: () => Promise<{ source: HistoryDataSource; fallback: HistorySelection }>,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(MetricHistoryPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const s = await source();
      MetricHistoryPanel.revive(panel, context.extensionUri, s.source, state, s.fallback);
    },
  });
}
