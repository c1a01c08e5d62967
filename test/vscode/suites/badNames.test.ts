// Metric names are file content: `<img src=x onerror=alert(1)>`, or quotes and a newline, must
// reach the Runs tree as text — plain descriptions, tooltips that escape them and allow no HTML,
// no trusted links. (The webview side is checked in visualChecks.mjs, in the real browser.)
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { childItems, demoFolder, eventually, lineageApi, setLineageSetting, type LineageApi } from './inHost';

export const EVIL_KEY = '<img src=x onerror=alert(1)>';
export const QUOTED_KEY = 'say "hi" & \'bye\'\nsecond line';

/** The markdown has no HTML tag a CommonMark parser would keep as HTML (e.g. `<img ` / `<img/`). */
function assertNoHtmlTag(markdown: string): void {
  assert.doesNotMatch(markdown, /<img[\s/>]/i, `raw <img tag in the tooltip markdown: ${JSON.stringify(markdown)}`);
  assert.doesNotMatch(markdown, /<[a-z][a-z0-9-]*(\s|\/?>)/i, `raw HTML tag in the tooltip markdown: ${JSON.stringify(markdown)}`);
}

function assertSafeTooltip(tooltip: vscode.TreeItem['tooltip']): string {
  assert.ok(
    tooltip instanceof vscode.MarkdownString || (typeof tooltip === 'object' && tooltip !== null && 'value' in tooltip),
    `tooltip is not a MarkdownString: ${JSON.stringify(tooltip)}`,
  );
  const md = tooltip as vscode.MarkdownString;
  assert.ok(!md.isTrusted, `isTrusted is ${JSON.stringify(md.isTrusted)}`);
  assert.ok(!md.supportHtml, `supportHtml is ${JSON.stringify(md.supportHtml)}`);
  return md.value;
}

describe('Metric names with markup, quotes and newlines in the Runs tree', () => {
  let api: LineageApi | undefined;
  let original: string | undefined;
  const file = () => join(demoFolder().uri.fsPath, 'eval', 'metrics.json');

  const workspaceItem = async () => {
    const roots = await childItems(api!.runsTree);
    const ws = roots.find((r) => r.item.contextValue === 'lineage.workspace');
    assert.ok(ws, `no workspace node among the roots: ${JSON.stringify(roots.map((r) => r.item.label))}`);
    return ws.item;
  };

  before(async function () {
    api = (await lineageApi<LineageApi>('whenIndexed', 'refresh', 'runsTree', 'diffSource')) as LineageApi | undefined;
    if (!api) return this.skip();
    await api.whenIndexed();
    original = readFileSync(file(), 'utf8');
    writeFileSync(file(), JSON.stringify({ ...JSON.parse(original), [EVIL_KEY]: 0.5, [QUOTED_KEY]: 0.25 }, null, 4) + '\n');
    await api.refresh();
  });

  after(async () => {
    await setLineageSetting('headlineMetric', undefined).catch(() => {});
    if (original !== undefined) {
      writeFileSync(file(), original);
      await api?.refresh();
    }
  });

  it('the index keeps both names exactly (the Metric Diff rows carry them)', async () => {
    const keysNow = async () =>
      (await api!.diffSource.load('main', 'workspace')).rows.filter((r) => r.file === 'eval/metrics.json').map((r) => r.key);
    // refresh() may resolve before a run that read the new file (see engineStates.test.ts): wait for it.
    const keys = await eventually(
      async () => {
        const k = await keysNow();
        return k.includes(EVIL_KEY) && k;
      },
      'the new keys in the index',
      10000,
    ).catch(keysNow);
    assert.ok(keys.includes(EVIL_KEY), `no row ${JSON.stringify(EVIL_KEY)}: ${JSON.stringify(keys)}`);
    assert.ok(keys.includes(QUOTED_KEY), `no row ${JSON.stringify(QUOTED_KEY)}: ${JSON.stringify(keys)}`);
  });

  it('as the headline metric, <img src=x onerror=alert(1)> is plain text in the description and escaped in the tooltip', async () => {
    await setLineageSetting('headlineMetric', EVIL_KEY);
    const item = await workspaceItem();
    assert.equal(typeof item.description, 'string');
    assert.ok(
      (item.description as string).includes(EVIL_KEY),
      `description ${JSON.stringify(item.description)} does not show the name as text`,
    );
    assert.ok(typeof item.label === 'string' || !item.label?.highlights, 'label is plain');
    const value = assertSafeTooltip(item.tooltip);
    assert.ok(value.includes('onerror'), `the tooltip does not mention the metric: ${JSON.stringify(value)}`);
    assertNoHtmlTag(value);
  });

  it('a name with quotes and a newline: one line in the description, escaped in the tooltip', async () => {
    await setLineageSetting('headlineMetric', QUOTED_KEY);
    const item = await workspaceItem();
    const description = String(item.description ?? '');
    assert.ok(description.includes('say "hi" & \'bye\' second line'), `description ${JSON.stringify(description)}`);
    assert.ok(!/[\n\r]/.test(description), 'the description is one line');
    const value = assertSafeTooltip(item.tooltip);
    assert.ok(value.includes('hi') && value.includes('second'), `the tooltip does not mention the metric: ${JSON.stringify(value)}`);
    assertNoHtmlTag(value);
  });

  it("a name with a newline keeps the tooltip's bold label on one line", async () => {
    await setLineageSetting('headlineMetric', QUOTED_KEY);
    const value = assertSafeTooltip((await workspaceItem()).tooltip);
    assert.match(value, /\*\*say[^\n]*second[^\n]*:\*\*/, `the bold label is split across lines: ${JSON.stringify(value)}`);
  });
});
