// Browser entry of the Plots webview (bundled to dist/webview/plots.js): wires the VS Code API
// to the page, restores what was saved, says `ready`.
import '../shared/litNonce';
import type { HostMessage, PlotsPersisted, WebviewMessage } from '../../src/protocol/plots';
import { readPersisted } from './model';
import { PlotsApp } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PlotsPersisted): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>(['init', 'delta', 'loading', 'error', 'exported']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = new PlotsApp(root, { post: (m) => vscode.postMessage(m), save: (s) => vscode.setState(s) }, readPersisted(vscode.getState()));
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (data && typeof data === 'object' && HOST_TYPES.has(data.type as HostMessage['type'])) app.handle(data as HostMessage);
  });
  vscode.postMessage({ type: 'ready' });
}
