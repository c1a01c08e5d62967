// Host side of the Plots webview: one panel per folder, showing the dvc.yaml plots of one or
// several revisions. The lifecycle (ready, init, deltas) is LivePanel's.
import * as vscode from 'vscode';
import type { HostMessage, PlotsState, RenderedPlot, WebviewMessage } from '../../protocol/plots';
import { buildChartHtml, makeNonce } from '../webview/chartHtml';
import { LivePanel, chartPanelOptions } from '../webview/livePanel';
import { parsePlotsMessage, plotRevisionsFromSavedState } from './messages';
import { computePlotsDelta } from './plotsDelta';
import type { PlotsDataSource } from './plotsSource';
import { saveExport, type SaveTarget } from '../webview/exportFile';
import { WORKSPACE } from '../../core/workspace/revision';

export const DEFAULT_PLOT_REVISIONS = [WORKSPACE, 'HEAD'];

export class PlotsPanel extends LivePanel<PlotsState, HostMessage> {
  static readonly viewType = 'lineage.plots';
  private static readonly open = new Set<PlotsPanel>();
  private revs: string[];
  private rendered: { plots: RenderedPlot[]; ms: number } | undefined;
  private readonly renderedListeners = new Set<(r: { plots: RenderedPlot[]; ms: number }) => void>();

  static show(
    extensionUri: vscode.Uri,
    source: PlotsDataSource,
    revisions: string[],
    saveTarget?: () => SaveTarget | undefined,
  ): PlotsPanel {
    const existing = [...PlotsPanel.open].find((p) => p.source === source);
    if (existing) {
      existing.panel.reveal();
      void existing.setRevisions(revisions);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PlotsPanel.viewType, 'Plots', vscode.ViewColumn.Active, chartPanelOptions(extensionUri));
    return new PlotsPanel(panel, extensionUri, source, revisions, saveTarget);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: PlotsDataSource, state: unknown): PlotsPanel {
    return new PlotsPanel(panel, extensionUri, source, plotRevisionsFromSavedState(state) ?? DEFAULT_PLOT_REVISIONS);
  }

  static panels(): readonly PlotsPanel[] {
    return [...PlotsPanel.open];
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: PlotsDataSource,
    revisions: string[],
    private readonly saveTarget?: () => SaveTarget | undefined,
  ) {
    super(panel, source.onDidChangeIndex);
    this.revs = [...revisions];
    PlotsPanel.open.add(this);
    this.disposables.push(new vscode.Disposable(() => PlotsPanel.open.delete(this)));
    const webview = panel.webview;
    webview.options = chartPanelOptions(extensionUri);
    panel.title = this.title();
    this.disposables.push(webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    webview.html = buildChartHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'plots.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'charts.css')).toString(),
      nonce: makeNonce(),
      title: 'Plots',
      dataImages: true,
    });
    void this.load();
  }

  get revisions(): string[] {
    return [...this.revs];
  }

  /** What the webview last reported drawing (chart points per dataset), for tests. */
  lastRendered(): { plots: RenderedPlot[]; ms: number } | undefined {
    return this.rendered;
  }

  onDidRender(listener: (r: { plots: RenderedPlot[]; ms: number }) => void): vscode.Disposable {
    this.renderedListeners.add(listener);
    return new vscode.Disposable(() => this.renderedListeners.delete(listener));
  }

  async setRevisions(revisions: string[]): Promise<void> {
    this.revs = [...revisions];
    this.panel.title = this.title();
    this.state = undefined;
    this.error = undefined;
    this.post({ type: 'loading', revisions: this.revisions });
    await this.load();
  }

  protected fetch(): Promise<PlotsState> {
    return this.source.load(this.revisions);
  }

  protected initMessage(state: PlotsState): HostMessage {
    return { type: 'init', state };
  }

  protected errorMessage(message: string): HostMessage {
    return { type: 'error', revisions: this.revisions, message };
  }

  protected loadingMessage(): HostMessage {
    return { type: 'loading', revisions: this.revisions };
  }

  protected deltaMessage(prev: PlotsState, next: PlotsState): HostMessage | undefined {
    return computePlotsDelta(prev, next);
  }

  /** Handles a message as the webview sends it (untrusted: parsed first); resolves when handled. */
  receive(raw: unknown): Promise<void> {
    return this.onMessage(parsePlotsMessage(raw));
  }

  private async onMessage(message: WebviewMessage | undefined): Promise<void> {
    if (!message || this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.onReady();
        return;
      case 'pickRevisions': {
        const revs = await this.source.pickRevisions(this.revisions);
        if (revs && !this.disposed) await this.setRevisions(revs);
        return;
      }
      case 'export': {
        const file = await saveExport(message, this.source.folder, this.saveTarget?.());
        if (file) this.post({ type: 'exported', file });
        return;
      }
      case 'rendered':
        this.rendered = { plots: message.plots, ms: message.ms };
        for (const l of this.renderedListeners) l(this.rendered);
        return;
    }
  }

  private title(): string {
    return `Plots: ${this.revs.map((r) => r.replace(/^refs\/(heads|tags)\//, '')).join(', ')}`;
  }
}

/** Restores the Plots panel after a window reload, with the revisions the webview saved. */
export function registerPlotsSerializer(context: vscode.ExtensionContext, source: () => Promise<PlotsDataSource>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PlotsPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      PlotsPanel.revive(panel, context.extensionUri, await source(), state);
    },
  });
}
