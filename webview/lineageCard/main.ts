// Browser entry of the Lineage Card webview (bundled to dist/webview/lineageCard.js): wires the
// VS Code API to the page and says `ready`.
import '../shared/litNonce';
import type { HostMessage, WebviewMessage } from '../../src/protocol/lineageCard';
import { LineageCardView } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>(['loading', 'card', 'error', 'copied']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const view = new LineageCardView(root, (m) => vscode.postMessage(m));
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (data && typeof data === 'object' && HOST_TYPES.has(data.type as HostMessage['type'])) view.handle(data as HostMessage);
  });
  vscode.postMessage({ type: 'ready' });
}
