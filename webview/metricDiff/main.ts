// Browser entry of the Metric Diff webview (bundled to dist/webview/metricDiff.js): wires the
// VS Code API to the page, restores filters and scroll from getState, says `ready`.
import '../shared/litNonce';
import type { HostMessage, PersistedState, WebviewMessage } from '../../src/protocol/metricDiff';
import { readPersisted } from './model';
import { MetricDiffApp } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>(['init', 'delta', 'loading', 'error', 'copied']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = new MetricDiffApp(
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
