import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChartHtml, chartContentSecurityPolicy, makeNonce } from '../../src/extension/webview/chartHtml';
import { parsePlotsMessage, plotRevisionsFromSavedState } from '../../src/extension/plots/messages';
import { safeFileName } from '../../src/extension/webview/messages';

const ROOT = join(__dirname, '..', '..', '..');
const inputs = (o: Partial<Parameters<typeof buildChartHtml>[0]> = {}) => ({
  cspSource: "'self' https://*.vscode-cdn.net",
  scriptUri: 'https://file+.vscode-resource/dist/webview/plots.js',
  styleUri: 'https://file+.vscode-resource/media/charts.css',
  nonce: makeNonce(),
  title: 'Plots',
  dataImages: true,
  ...o,
});

describe('chart webview HTML (Plots, Metric History)', () => {
  it('has a strict CSP: nonce scripts only, styles from the webview source, data: images only where asked', () => {
    const nonce = makeNonce();
    assert.equal(
      chartContentSecurityPolicy('vscode-src', nonce, true),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src vscode-src 'nonce-${nonce}'; img-src data:`,
    );
    assert.match(chartContentSecurityPolicy('vscode-src', nonce, false), /img-src 'none'$/);
    const html = buildChartHtml(inputs({ nonce }));
    assert.ok(!/unsafe-inline|unsafe-eval/.test(html));
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://file+.vscode-resource/dist/webview/plots.js">`));
    assert.ok(!/style=/.test(html), 'no inline style attributes');
  });

  it('refuses a weak nonce and a cspSource that would break out of the directive', () => {
    assert.throws(() => buildChartHtml(inputs({ nonce: 'short' })), /nonce/);
    assert.throws(() => buildChartHtml(inputs({ cspSource: "x; script-src 'unsafe-inline'" })), /cspSource/);
  });

  it('the bundled pages (Chart.js included) call no eval or new Function', function () {
    for (const name of ['plots', 'metricHistory']) {
      let js: string;
      try {
        js = readFileSync(join(ROOT, 'dist', 'webview', `${name}.js`), 'utf8');
      } catch {
        return this.skip(); // not built in this checkout
      }
      assert.ok(!/\beval\(|new Function\(/.test(js), `${name}.js calls eval or new Function`);
    }
  });
});

describe('chart webview messages (untrusted input)', () => {
  it('accepts PNG exports only as base64 data: URIs, CSV as text, with a safe file name', () => {
    assert.deepEqual(parsePlotsMessage({ type: 'export', format: 'png', name: 'ROC', data: 'data:image/png;base64,iVBORw0KGgo=' }), {
      type: 'export',
      format: 'png',
      name: 'ROC.png',
      data: 'data:image/png;base64,iVBORw0KGgo=',
    });
    assert.equal(parsePlotsMessage({ type: 'export', format: 'png', name: 'x', data: 'data:text/html;base64,PHA+' }), undefined);
    assert.equal(parsePlotsMessage({ type: 'export', format: 'png', name: 'x', data: 'data:image/png;base64,<script>' }), undefined);
    assert.equal(parsePlotsMessage({ type: 'export', format: 'exe', name: 'x', data: '' }), undefined);
    assert.equal(parsePlotsMessage({ type: 'export', format: 'csv', name: '', data: 'a' }), undefined);
    assert.deepEqual(parsePlotsMessage({ type: 'export', format: 'csv', name: '../../etc/passwd', data: 'a,b' }), {
      type: 'export',
      format: 'csv',
      name: 'etc-passwd.csv',
      data: 'a,b',
    });
    assert.equal(safeFileName('a:b*c?.CSV', 'csv'), 'a-b-c-.CSV');
    assert.equal(safeFileName('...', 'png'), 'plot.png');
  });

  it('parses rendered reports and drops anything malformed', () => {
    assert.deepEqual(parsePlotsMessage({ type: 'rendered', plots: [{ id: 'roc', kind: 'line', points: { main: 3 } }], ms: 12 }), {
      type: 'rendered',
      plots: [{ id: 'roc', kind: 'line', points: { main: 3 } }],
      ms: 12,
    });
    assert.equal(parsePlotsMessage({ type: 'rendered', plots: [{ id: 'roc', kind: 'pie', points: {} }], ms: 1 }), undefined);
    assert.equal(parsePlotsMessage({ type: 'rendered', plots: [{ id: 'roc', kind: 'line', points: { a: 'x' } }], ms: 1 }), undefined);
    assert.equal(parsePlotsMessage({ type: 'nope' }), undefined);
    assert.equal(parsePlotsMessage('ready'), undefined);
    assert.deepEqual(parsePlotsMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  });

  it('restores revisions from saved state only when they are plausible revision names', () => {
    assert.deepEqual(plotRevisionsFromSavedState({ revisions: ['workspace', 'HEAD'] }), ['workspace', 'HEAD']);
    assert.equal(plotRevisionsFromSavedState({ revisions: [] }), undefined);
    assert.equal(plotRevisionsFromSavedState({ revisions: ['a\nb'] }), undefined);
    assert.equal(plotRevisionsFromSavedState({ revisions: Array(17).fill('HEAD') }), undefined);
    assert.equal(plotRevisionsFromSavedState(undefined), undefined);
  });
});
