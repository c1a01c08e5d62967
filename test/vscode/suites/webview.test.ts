// Webviews as this host makes them: the Metric Diff HTML must accept the host's real
// `webview.cspSource` (desktop VS Code, code-server and vscode.dev format it differently), and
// the Metric Diff command must open a panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { buildMetricDiffHtml, makeNonce } from '../../../src/extension/metricDiff/html';
import { activateLineage } from './inHost';

describe('Metric Diff webview in this host', () => {
  it("builds its HTML with this host's webview.cspSource", () => {
    const panel = vscode.window.createWebviewPanel('lineageTest.cspProbe', 'CSP probe', vscode.ViewColumn.Active, { enableScripts: false });
    try {
      const { cspSource } = panel.webview;
      const html = buildMetricDiffHtml({
        cspSource,
        nonce: makeNonce(),
        scriptUri: 'https://example.invalid/a.js',
        styleUri: 'https://example.invalid/a.css',
      });
      assert.ok(html.includes(cspSource), `the CSP does not name the host's cspSource ${JSON.stringify(cspSource)}`);
    } catch (error) {
      throw new Error(`${(error as Error).message} (this host's cspSource: ${JSON.stringify(panel.webview.cspSource)})`);
    } finally {
      panel.dispose();
    }
  });

  it('lineage.compareWithBaseline opens the Metric Diff panel', async function () {
    await activateLineage();
    if (!(await vscode.commands.getCommands(true)).includes('lineage.compareWithBaseline')) return this.skip();
    await vscode.commands.executeCommand('lineage.compareWithBaseline');
    const tab = await new Promise<vscode.Tab | undefined>((resolve) => {
      const find = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && /metricDiff/i.test(t.input.viewType));
      const deadline = Date.now() + 15000;
      const poll = () => {
        const t = find();
        if (t || Date.now() > deadline) resolve(t);
        else setTimeout(poll, 200);
      };
      poll();
    });
    assert.ok(tab, 'no Metric Diff webview tab after lineage.compareWithBaseline');
    await vscode.window.tabGroups.close(tab);
  });

  // ─── Place for the panel's postedState() checks (rows, better/worse, 20,000 keys) once the
  // test API exposes the open panel. ──────────────────────────────────────────────────────
});
