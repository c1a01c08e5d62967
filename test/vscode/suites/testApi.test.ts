// Through the API activate() returns for tests (src/extension/testApi.ts): the index, and the
// Runs tree as its provider hands it to VS Code. Each test skips (pending) while the member
// it needs is not exported, so the suite runs against any stage of the extension.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { demoFolder, lineageApi } from './inHost';

interface TreeProvider<T> {
  getChildren(node?: T): vscode.ProviderResult<T[]>;
  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem>;
}
interface Api {
  whenIndexed(): Promise<void>;
  engines(): { folder: string; readonly store: unknown; readonly state: unknown }[];
  runsTree: TreeProvider<unknown>;
}

const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** Labels of the tree's first `depth` levels, breadth first, as VS Code would ask for them. */
async function treeLabels<T>(tree: TreeProvider<T>, depth: number): Promise<string[]> {
  const labels: string[] = [];
  let level: (T | undefined)[] = [undefined];
  for (let d = 0; d < depth && level.length; d++) {
    const next: T[] = [];
    for (const parent of level) {
      for (const child of (await tree.getChildren(parent)) ?? []) {
        const item = await tree.getTreeItem(child);
        labels.push(labelOf(item));
        if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && next.length < 200) next.push(child);
      }
    }
    level = next;
  }
  return labels;
}

describe('ML Lineage test API', () => {
  it('whenIndexed() resolves with an index for the demo folder', async function () {
    const api = await lineageApi<Api>('whenIndexed', 'engines');
    if (!api?.whenIndexed || !api.engines) return this.skip();
    await api.whenIndexed();
    const engine = api.engines().find((e) => e.folder === demoFolder().uri.fsPath);
    assert.ok(engine, `no engine for ${demoFolder().uri.fsPath}: ${JSON.stringify(api.engines().map((e) => e.folder))}`);
    assert.ok(engine.store, `the demo folder has no open store (state ${JSON.stringify(engine.state)})`);
  });

  it('the Runs tree lists every demo branch', async function () {
    const api = await lineageApi<Api>('whenIndexed', 'runsTree');
    if (!api?.whenIndexed || !api.runsTree) return this.skip();
    await api.whenIndexed();
    const branches = execFileSync('git', ['-C', demoFolder().uri.fsPath, 'for-each-ref', '--format=%(refname:short)', 'refs/heads'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    assert.ok(branches.length > 1, 'the demo repository has several branches');
    const labels = await treeLabels(api.runsTree, 2);
    const missing = branches.filter((b) => !labels.includes(b));
    assert.deepEqual(missing, [], `branches missing from the Runs tree; its labels: ${JSON.stringify(labels.slice(0, 40))}`);
  });

  // ─── Place for the Metric Diff suite: run lineage.compareWithBaseline, then read what the
  // panel posted to its webview (postedState()) once the API exposes the open panel. ───────
});
