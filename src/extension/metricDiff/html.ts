// The Metric Diff webview's HTML: the shared shell with the strict nonce CSP. It takes no table
// data at all: rows, names and labels only ever reach the page through postMessage and are
// rendered with textContent. Pure (no vscode import), tested in Node.
import { makeNonce, webviewShell, type HtmlInputs } from '../webview/html';

export { makeNonce };

export function buildMetricDiffHtml(inputs: HtmlInputs): string {
  return webviewShell(inputs, 'Metric Diff');
}
