import { strict as assert } from 'node:assert';
import { buildMetricDiffHtml } from '../../src/extension/metricDiff/html';
import { baseStyleUri, contentSecurityPolicy, makeNonce } from '../../src/extension/webview/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const inputs = (nonce = makeNonce()) => ({
  cspSource: CSP_SOURCE,
  scriptUri: `${CSP_SOURCE}/ext/dist/webview/metricDiff.js`,
  styleUri: `${CSP_SOURCE}/ext/media/metricDiff.css`,
  nonce,
});

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  return m[1].replace(/&#39;|&apos;/g, "'");
}

describe('metric diff webview HTML', () => {
  it('has exactly the strict CSP: nothing by default, scripts by nonce, styles from the webview source', () => {
    const i = inputs();
    const html = buildMetricDiffHtml(i);
    assert.equal(cspOf(html), `default-src 'none'; script-src 'nonce-${i.nonce}'; style-src ${CSP_SOURCE} 'nonce-${i.nonce}'`);
    assert.equal(contentSecurityPolicy(CSP_SOURCE, i.nonce), cspOf(html));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('uses a fresh nonce of 32+ random characters on every script tag', () => {
    const nonces = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const nonce = makeNonce();
      assert.match(nonce, /^[A-Za-z0-9]{32,}$/);
      nonces.add(nonce);
    }
    assert.equal(nonces.size, 200);
    const i = inputs();
    const html = buildMetricDiffHtml(i);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.ok(scripts.length >= 1);
    for (const tag of scripts) assert.ok(tag.includes(`nonce="${i.nonce}"`), tag);
    // The only script is the bundle; no inline script bodies.
    assert.deepEqual(html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g), [`<script nonce="${i.nonce}" src="${i.scriptUri}"></script>`]);
  });

  it('has no inline event handlers, style attributes or style elements', () => {
    const html = buildMetricDiffHtml(inputs());
    assert.doesNotMatch(html, /\son\w+\s*=/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /javascript:/i);
  });

  it('is a fixed shell: no table data is ever interpolated (rows arrive by postMessage only)', () => {
    const a = inputs();
    const b = {
      cspSource: 'https://other.example',
      scriptUri: 'https://other.example/s.js',
      styleUri: 'https://other.example/s.css',
      nonce: makeNonce(40),
    };
    const shell = (i: typeof a, html: string) =>
      html
        .split(i.nonce)
        .join('NONCE')
        .split(i.scriptUri)
        .join('SCRIPT')
        .split(i.styleUri)
        .join('STYLE')
        .split(baseStyleUri(i.styleUri))
        .join('BASE')
        .split(i.cspSource)
        .join('SOURCE');
    assert.equal(shell(a, buildMetricDiffHtml(a)), shell(b, buildMetricDiffHtml(b)));
    // The builder takes nothing else: its input type has exactly these fields.
    assert.deepEqual(Object.keys(a).sort(), ['cspSource', 'nonce', 'scriptUri', 'styleUri']);
    assert.match(buildMetricDiffHtml(a), /<div id="app" class="app"><\/div>/);
    // The shared sheet loads first, from beside the page's own, so the page's rules win.
    assert.match(
      buildMetricDiffHtml(a),
      /href="[^"]*\/media\/webviewBase\.css">\n<link rel="stylesheet" href="[^"]*\/media\/metricDiff\.css">/,
    );
  });

  it('refuses a weak nonce and escapes URIs in attributes', () => {
    assert.throws(() => buildMetricDiffHtml({ ...inputs(), nonce: 'short' }), /nonce/);
    assert.throws(() => buildMetricDiffHtml({ ...inputs(), cspSource: "x'; script-src *" }), /cspSource/);
    // code-server's webview.cspSource is a quoted keyword plus a host pattern.
    assert.match(
      buildMetricDiffHtml({ ...inputs(), cspSource: "'self' https://*.vscode-cdn.net" }),
      /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-/,
    );
    const html = buildMetricDiffHtml({ ...inputs(), scriptUri: 'https://x/a"><img src=x onerror=alert(1)>.js' });
    assert.doesNotMatch(html, /<img/);
    assert.ok(html.includes('a&quot;&gt;&lt;img src=x'));
  });
});
