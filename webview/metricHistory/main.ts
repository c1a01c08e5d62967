// Browser entry of the Metric History webview (bundled to dist/webview/metricHistory.js).
import '../shared/litNonce';
import type { HostMessage, WebviewMessage } from '../../src/protocol/metricHistory';
import { readPersisted, type HistoryPersisted } from './model';
import { MetricHistoryApp } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: HistoryPersisted): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>(['init', 'delta', 'loading', 'error', 'revealed', 'exported', 'stepsAppend', 'live']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = new MetricHistoryApp(
    root,
    { post: (m) => vscode.postMessage(m), save: (s) => vscode.setState(s) },
    readPersisted(vscode.getState()),
  );
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (data && typeof data === 'object' && HOST_TYPES.has(data.type as HostMessage['type'])) app.handle(data as HostMessage);
  });
  vscode.postMessage({ type: 'ready' });
}
