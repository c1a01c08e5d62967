// The HTML shell every webview page shares: a fixed page with a strict CSP. Pure (no vscode
// import) so it is tested in Node. It takes no data at all: whatever a page shows only ever
// reaches it through postMessage.
import { randomBytes } from 'node:crypto';

export interface HtmlInputs {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/webview/<page>.js)`, as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/<page>.css)`, as a string. */
  styleUri: string;
  /** From makeNonce(), a fresh one per page load. */
  nonce: string;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters from a CSPRNG (62-symbol alphabet, about 190 bits). */
export function makeNonce(length = 32): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps the distribution uniform (248 = 4 * 62).
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    if (bytes[i] < 248) out += NONCE_ALPHABET[bytes[i] % 62];
  }
  return out.length === length ? out : makeNonce(length);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource} 'nonce-${nonce}'`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** media/webviewBase.css (what every page shares) sits beside each page's own sheet in media/. */
export function baseStyleUri(styleUri: string): string {
  return styleUri.replace(/[^/]+$/, 'webviewBase.css');
}

/**
 * The one HTML shell of every webview: a fixed page with a strict CSP (the caller may pass a
 * stricter or wider one), one nonce'd script and one stylesheet. No data is in the markup.
 */
export function webviewShell(inputs: HtmlInputs, title: string, csp = contentSecurityPolicy(inputs.cspSource, inputs.nonce)): string {
  if (!/^[A-Za-z0-9+/=_-]{32,}$/.test(inputs.nonce)) throw new Error('nonce must be 32+ base64/alphanumeric characters');
  // cspSource is a list of CSP source expressions ("'self' https://*.vscode-cdn.net" in
  // code-server); a semicolon, double quote or newline would end or break the directive.
  if (/[;"\r\n<>]/.test(inputs.cspSource)) throw new Error('unexpected characters in cspSource');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(baseStyleUri(inputs.styleUri))}">
<link rel="stylesheet" href="${attr(inputs.styleUri)}">
<title>${attr(title)}</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${attr(inputs.nonce)}" src="${attr(inputs.scriptUri)}"></script>
</body>
</html>
`;
}
