// The Pipeline DAG webview's HTML: a fixed shell with the same strict nonce CSP as the Metric
// Diff (default-src 'none'; scripts by nonce only). No graph data is in the HTML: it arrives
// by postMessage and is drawn with DOM APIs. Pure, tested in Node; also checks webview input.
import { contentSecurityPolicy, makeNonce } from '../metricDiff/html';
import type { WebviewMessage } from '../../protocol/pipelineDag';

export { makeNonce };

export interface DagHtmlInputs { cspSource: string; scriptUri: string; styleUri: string; nonce: string }

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildPipelineDagHtml(inputs: DagHtmlInputs): string {
  if (!/^[A-Za-z0-9+/=_-]{32,}$/.test(inputs.nonce)) throw new Error('nonce must be 32+ base64/alphanumeric characters');
  if (/[;"\r\n<>]/.test(inputs.cspSource)) throw new Error('unexpected characters in cspSource');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(inputs.cspSource, inputs.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(inputs.styleUri)}">
<title>Pipeline DAG</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${attr(inputs.nonce)}" src="${attr(inputs.scriptUri)}"></script>
</body>
</html>
`;
}

const MAX_ADDRESS = 4096;

/** Webview messages are untrusted input: anything malformed is dropped. */
export function parseDagMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if ((m.type === 'reveal' || m.type === 'reproduce') && typeof m.address === 'string' && m.address.length > 0 && m.address.length <= MAX_ADDRESS && !/[\0\r\n]/.test(m.address)) {
    return { type: m.type, address: m.address };
  }
  return undefined;
}

