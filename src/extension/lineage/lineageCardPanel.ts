// Host side of the Lineage Card webview: one panel per model version. The lifecycle (ready,
// whole card, reload on index changes) is LivePanel's; a changed card is posted whole (it is
// small). Links from the page are acted on only when the card shown holds them.
import * as vscode from 'vscode';
import { lineageCardMarkdown } from '../../core/lineage/markdown';
import type { LineageCard } from '../../core/lineage/types';
import type { CardLink, CardView, HostMessage, WebviewMessage } from '../../protocol/lineageCard';
import { LivePanel, chartPanelOptions } from '../webview/livePanel';
import { cardView, linkAllowed } from './cardView';
import { buildLineageCardHtml, makeNonce } from './html';
import { parseLineageMessage } from './messages';

/** Where a card comes from and what its links do (src/extension/lineage/lineageCommands.ts). */
export interface LineageCardSource {
  /** Identifies the model version (folder, artifact, version): one panel each. */
  readonly key: string;
  readonly title: string;
  readonly onDidChangeIndex: vscode.Event<void>;
  load(): Promise<LineageCard>;
  open(link: CardLink): Promise<void>;
}

export interface CardState {
  view: CardView;
  markdown: string;
}

export class LineageCardPanel extends LivePanel<CardState, HostMessage> {
  static readonly viewType = 'lineage.lineageCard';
  private static readonly open = new Map<string, LineageCardPanel>();

  static show(extensionUri: vscode.Uri, source: LineageCardSource): LineageCardPanel {
    const existing = LineageCardPanel.open.get(source.key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      LineageCardPanel.viewType,
      `Lineage: ${source.title}`,
      vscode.ViewColumn.Active,
      chartPanelOptions(extensionUri),
    );
    return new LineageCardPanel(panel, extensionUri, source);
  }

  static panels(): readonly LineageCardPanel[] {
    return [...LineageCardPanel.open.values()];
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly source: LineageCardSource,
  ) {
    super(panel, source.onDidChangeIndex);
    LineageCardPanel.open.set(source.key, this);
    this.disposables.push(
      new vscode.Disposable(() => {
        if (LineageCardPanel.open.get(source.key) === this) LineageCardPanel.open.delete(source.key);
      }),
    );
    const webview = panel.webview;
    webview.options = chartPanelOptions(extensionUri);
    this.disposables.push(webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    webview.html = buildLineageCardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'lineageCard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'lineageCard.css')).toString(),
      nonce: makeNonce(),
    });
    void this.load();
  }

  protected async fetch(): Promise<CardState> {
    const card = await this.source.load();
    return { view: cardView(card), markdown: lineageCardMarkdown(card) };
  }

  protected initMessage(state: CardState): HostMessage {
    return { type: 'card', card: state.view };
  }

  protected errorMessage(message: string): HostMessage {
    return { type: 'error', message };
  }

  protected loadingMessage(): HostMessage {
    return { type: 'loading', title: this.source.title };
  }

  protected deltaMessage(prev: CardState, next: CardState): HostMessage | undefined {
    return JSON.stringify(prev.view) === JSON.stringify(next.view) ? undefined : { type: 'card', card: next.view };
  }

  /** The Markdown of the card shown, as "Copy as Markdown" puts it on the clipboard. */
  markdown(): string | undefined {
    return this.state?.markdown;
  }

  /** Handles a message as the webview sends it (untrusted: parsed and checked first). */
  receive(raw: unknown): Promise<void> {
    return this.onMessage(parseLineageMessage(raw));
  }

  private async onMessage(message: WebviewMessage | undefined): Promise<void> {
    if (!message || this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.onReady();
        return;
      case 'copyMarkdown':
        if (!this.state) return;
        await vscode.env.clipboard.writeText(this.state.markdown);
        this.post({ type: 'copied' });
        return;
      case 'open':
        if (!this.state || !linkAllowed(this.state.view, message.link)) return;
        try {
          await this.source.open(message.link);
        } catch (error) {
          void vscode.window.showWarningMessage(`ML Lineage: ${(error as Error).message}`);
        }
        return;
    }
  }
}
