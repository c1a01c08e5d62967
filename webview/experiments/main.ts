// Browser entry of the Experiments webview (bundled to dist/webview/experiments.js): wires the
// VS Code API to the page, restores the tab, Δ mode and scroll from getState, says `ready`.
import '../shared/litNonce';
import type { HostMessage, PersistedState, WebviewMessage } from '../../src/protocol/experiments';
import { ExperimentsApp, readPersisted } from './app';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>([
  'init',
  'table',
  'rows',
  'loading',
  'error',
  'status',
  'compare',
  'points',
  'correlation',
  'scroll',
]);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = new ExperimentsApp(
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
