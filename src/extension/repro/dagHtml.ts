// The Pipeline DAG webview's HTML: a fixed shell with the same strict nonce CSP as the Metric
// Diff (default-src 'none'; scripts by nonce only). No graph data is in the HTML: it arrives
// by postMessage and is drawn with DOM APIs. Pure, tested in Node; also checks webview input.
import { makeNonce, webviewShell } from '../webview/html';
import type { WebviewMessage } from '../../protocol/pipelineDag';

export { makeNonce };

export interface DagHtmlInputs {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function buildPipelineDagHtml(inputs: DagHtmlInputs): string {
  return webviewShell(inputs, 'Pipeline DAG');
}

const MAX_ADDRESS = 4096;
const MAX_PROBLEMS = 100000;

/** Webview messages are untrusted input: anything malformed is dropped. */
export function parseDagMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'openProblem' && Number.isInteger(m.index) && (m.index as number) >= 0 && (m.index as number) < MAX_PROBLEMS)
    return { type: 'openProblem', index: m.index as number };
  if (
    (m.type === 'reveal' || m.type === 'reproduce') &&
    typeof m.address === 'string' &&
    m.address.length > 0 &&
    m.address.length <= MAX_ADDRESS &&
    !/[\0\r\n]/.test(m.address)
  ) {
    return { type: m.type, address: m.address };
  }
  return undefined;
}
