// The Lineage Card webview's HTML: the shared shell with the strict nonce CSP; the card itself
// only ever arrives by postMessage. Pure (no vscode import), tested in Node.
import { makeNonce, webviewShell, type HtmlInputs } from '../webview/html';

export { makeNonce };

export function buildLineageCardHtml(inputs: HtmlInputs): string {
  return webviewShell(inputs, 'Lineage Card');
}
