// Browser entry of the Pipeline DAG webview (bundled to dist/webview/pipelineDag.js): wires
// the VS Code API to the page, restores the zoom, says `ready`.
import type { HostMessage, PersistedState, WebviewMessage } from '../../src/protocol/pipelineDag';
import { DagView, readPersisted } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<HostMessage['type']>(['graph', 'states', 'error']);

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const view = new DagView(root, { post: (m) => vscode.postMessage(m), save: (s) => vscode.setState(s) }, readPersisted(vscode.getState()));
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (data && typeof data === 'object' && HOST_TYPES.has(data.type as HostMessage['type'])) view.handle(data as HostMessage);
  });
  vscode.postMessage({ type: 'ready' });
}
