// Clear states instead of error toasts.
//  - A repository with no commits, a detached HEAD, no Git at all, a broken index, Restricted
//    Mode: the launcher opens one folder, and adding a second with updateWorkspaceFolders turns
//    the window into an untitled multi-root workspace, which reloads code-server's page and
//    restarts this host (tried: the suites then run a second time). So these build the real
//    FolderEngine and RunsTreeProvider (compiled from src/, with this host's `vscode`) over
//    temporary repositories and read the tree as VS Code would.
//  - A deleted baseline branch: on the demo folder, through the extension's own Runs tree and
//    lineage.compareWithBaseline.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { FolderEngine } from '../../../src/extension/folderEngine';
import { RunsTreeProvider } from '../../../src/extension/runs/runsTreeProvider';
import { valuesOf as valuesAt } from '../../../src/core/workspace/values';
import type { Engines } from '../../../src/extension/engines';
import {
  childItems,
  closeMetricDiffTabs,
  demoFolder,
  eventually,
  findTab,
  isMetricDiffTab,
  labelOf,
  lineageApi,
  lineageExtension,
  setLineageSetting,
  type LineageApi,
} from './inHost';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, '-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { encoding: 'utf8' });

describe('Clear states in the Runs tree (temporary repositories, real engine and provider)', () => {
  let tmp: string;
  let log: vscode.LogOutputChannel;
  const disposables: vscode.Disposable[] = [];

  /** A FolderEngine on `dir`, opened (and indexed when trusted), and a RunsTreeProvider over just it. */
  async function treeFor(dir: string, { trusted = true, index = true } = {}) {
    const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(dir), name: dir.split(/[\\/]/).pop()!, index: 1 };
    const engine = new FolderEngine(folder, lineageExtension().extensionPath, log);
    const changed = new vscode.EventEmitter<void>();
    const engines = { list: () => [engine], onDidChange: changed.event } as unknown as Engines;
    const tree = new RunsTreeProvider(engines, log);
    disposables.push(engine, changed, tree);
    await engine.open(trusted);
    if (trusted && index && engine.state.kind === 'ready') await engine.index();
    return { engine, tree };
  }

  /** Labels of the roots and of the first root's children. */
  async function shown(tree: RunsTreeProvider) {
    const roots = await childItems(tree);
    const children =
      roots[0] && roots[0].item.collapsibleState !== vscode.TreeItemCollapsibleState.None ? await childItems(tree, roots[0].node) : [];
    return { roots, children, labels: [...roots, ...children].map((r) => labelOf(r.item)) };
  }

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lineage-states-'));
    log = vscode.window.createOutputChannel('ML Lineage (engine state tests)', { log: true });
    disposables.push(log);
  });

  after(() => {
    for (const d of disposables.splice(0).reverse()) d.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a Git repository with no commits: the workspace node says so, no error', async () => {
    const dir = join(tmp, 'empty-repo');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'params.yaml'), 'lr: 0.1\n');
    const { engine, tree } = await treeFor(dir);
    assert.equal(engine.state.kind, 'ready', JSON.stringify(engine.state));
    const { roots, children, labels } = await shown(tree);
    assert.equal(roots.length, 1, `roots: ${JSON.stringify(labels)}`);
    assert.equal(roots[0].item.contextValue, 'lineage.workspace', `root: ${JSON.stringify(labels)}`);
    const message = children.find((c) => c.item.contextValue === 'lineage.message');
    assert.ok(message, `no explanatory item; shown: ${JSON.stringify(labels)}`);
    assert.match(labelOf(message.item), /No commits yet on main/);
    assert.ok(!labels.some((l) => /could not read|error|failed/i.test(l)), `an error is shown: ${JSON.stringify(labels)}`);
  });

  it('a clone with a detached HEAD: a "HEAD is detached" item and the detached commits listed', async () => {
    const dir = join(tmp, 'detached');
    git(tmp, 'clone', '-q', '--no-local', demoFolder().uri.fsPath, dir);
    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const { engine, tree } = await treeFor(dir);
    assert.equal(engine.state.kind, 'ready', JSON.stringify(engine.state));
    const { children, labels } = await shown(tree);
    const message = children.find((c) => c.item.contextValue === 'lineage.message');
    assert.ok(message, `no explanatory item; shown: ${JSON.stringify(labels)}`);
    assert.equal(labelOf(message.item), `HEAD is detached at ${head.slice(0, 8)}`);
    const detached = children.find((c) => labelOf(c.item) === 'HEAD (detached)');
    assert.ok(detached, `no "HEAD (detached)" node: ${JSON.stringify(labels)}`);
    const commits = await childItems(tree, detached.node);
    assert.ok(
      commits.length > 0 && commits[0].item.contextValue === 'lineage.commit',
      `the detached HEAD's commits: ${JSON.stringify(commits.map((c) => labelOf(c.item)))}`,
    );
    assert.ok(labels.includes('main'), `the clone's main branch is still listed: ${JSON.stringify(labels)}`);
  });

  it('a folder that is not a Git repository: a clear item, no error', async () => {
    const dir = join(tmp, 'no-git');
    mkdirSync(dir);
    // ML files (a dvc.yaml with a metric), so the folder is browsable rather than left to the welcome view.
    writeFileSync(
      join(dir, 'dvc.yaml'),
      'stages:\n  train:\n    cmd: python train.py\n    metrics:\n    - metrics.json:\n        cache: false\n',
    );
    writeFileSync(join(dir, 'metrics.json'), '{"acc": 0.5}\n');
    const { engine, tree } = await treeFor(dir);
    const { roots, labels } = await shown(tree);
    assert.equal(roots[0]?.item.contextValue, 'lineage.workspace', `the workspace node: ${JSON.stringify(labels)}`);
    assert.ok(engine.state.kind === 'ready' || engine.state.kind === 'failed', JSON.stringify(engine.state));
    assert.ok(
      labels.some((l) => /not a git repository/i.test(l)),
      `no "not a Git repository" item: ${JSON.stringify(labels)} (state ${JSON.stringify(engine.state)})`,
    );
    assert.ok(!labels.some((l) => /could not read/i.test(l)), `an error is shown: ${JSON.stringify(labels)}`);
  });

  it('an index file that cannot be opened: one item that offers Rebuild Index', async () => {
    const dir = join(tmp, 'broken-index');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    mkdirSync(join(dir, '.git', 'lineage'), { recursive: true });
    writeFileSync(
      join(dir, '.git', 'lineage', 'index.sqlite'),
      'this is not a SQLite database, just some bytes that are long enough to have a header'.repeat(20),
    );
    const { engine, tree } = await treeFor(dir);
    assert.equal(engine.state.kind, 'store-error', JSON.stringify(engine.state));
    const { roots, labels } = await shown(tree);
    assert.equal(roots.length, 1, JSON.stringify(labels));
    assert.match(labelOf(roots[0].item), /index cannot be opened.*rebuild/i);
    assert.equal(roots[0].item.command?.command, 'lineage.rebuildIndex');
    assert.ok(roots[0].item.tooltip, 'the tooltip carries the reason');
  });

  it('Restricted Mode with no index yet: a shield item that explains why, linking to Workspace Trust', async () => {
    const dir = join(tmp, 'untrusted');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    const { engine, tree } = await treeFor(dir, { trusted: false });
    assert.equal(engine.state.kind, 'untrusted-empty', JSON.stringify(engine.state));
    const { roots, labels } = await shown(tree);
    assert.match(labelOf(roots[0].item), /Restricted Mode/, JSON.stringify(labels));
    assert.equal(roots[0].item.command?.command, 'workbench.trust.manage');
  });
});

describe('FolderEngine.index() asked while a run is in flight', () => {
  let tmp: string;
  const disposables: vscode.Disposable[] = [];
  after(() => {
    for (const d of disposables.splice(0).reverse()) d.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('resolves only after a run that started after the call (sees a file written before it)', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'lineage-queued-'));
    const dir = join(tmp, 'repo');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(
      join(dir, 'dvc.yaml'),
      'stages:\n  train:\n    cmd: python train.py\n    metrics:\n    - metrics.json:\n        cache: false\n',
    );
    writeFileSync(join(dir, 'metrics.json'), '{"acc": 0.5}\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'first');
    const log = vscode.window.createOutputChannel('ML Lineage (queued run test)', { log: true });
    const engine = new FolderEngine({ uri: vscode.Uri.file(dir), name: 'repo', index: 1 }, lineageExtension().extensionPath, log);
    disposables.push(log, engine);
    await engine.open(true);
    let second: Promise<unknown> | undefined;
    const first = engine.index({
      onProgress: (p) => {
        if (p.phase !== 'done' || second) return;
        writeFileSync(join(dir, 'metrics.json'), '{"acc": 0.75}\n');
        second = engine.index();
      },
    });
    await eventually(() => second !== undefined, 'the second index() call', 10000);
    await second;
    const acc = () => valuesAt(engine.store!, 'workspace', 'metrics').values['metrics.json']?.acc;
    const seen = acc();
    await first;
    assert.equal(
      seen,
      0.75,
      `index() resolved before a run that read the file written before the call (acc ${seen}; after the queued run: ${acc()})`,
    );
  });
});

describe("A deleted baseline branch (demo folder, the extension's own tree and command)", () => {
  const BRANCH = 'lineage-test-baseline';
  let api: LineageApi | undefined;
  const demo = () => demoFolder().uri.fsPath;
  const workspaceChildren = async () => {
    const roots = await childItems(api!.runsTree);
    const ws = roots.find((r) => r.item.contextValue === 'lineage.workspace');
    assert.ok(ws, `no workspace node: ${JSON.stringify(roots.map((r) => labelOf(r.item)))}`);
    return childItems(api!.runsTree, ws.node);
  };

  before(async function () {
    api = (await lineageApi<LineageApi>('whenIndexed', 'refresh', 'runsTree', 'diffSource')) as LineageApi | undefined;
    if (!api) return this.skip();
    await api.whenIndexed();
  });

  after(async () => {
    await setLineageSetting('baselineBranch', undefined).catch(() => {});
    try {
      git(demo(), 'branch', '-q', '-D', BRANCH);
    } catch {
      /* already gone */
    }
    await api?.refresh();
    await closeMetricDiffTabs();
  });

  it('the Runs tree shows a warning item with "Set Baseline Branch…", and Compare with Baseline does not throw', async () => {
    git(demo(), 'branch', '-q', BRANCH, 'main');
    await setLineageSetting('baselineBranch', BRANCH);
    await api!.refresh();
    let items = await eventually(
      async () => {
        const i = await workspaceChildren();
        return i.some((c) => labelOf(c.item) === BRANCH) && i;
      },
      `branch ${BRANCH} in the Runs tree`,
      10000,
    ).catch(workspaceChildren);
    assert.ok(!items.some((c) => /does not exist/.test(labelOf(c.item))), 'no warning while the branch exists');
    assert.ok(
      items.some((c) => labelOf(c.item) === BRANCH),
      `the branch is listed: ${JSON.stringify(items.map((c) => labelOf(c.item)))}`,
    );

    git(demo(), 'branch', '-q', '-D', BRANCH);
    await api!.refresh();
    items = await eventually(
      async () => {
        const i = await workspaceChildren();
        return !i.some((c) => labelOf(c.item) === BRANCH) && i;
      },
      `branch ${BRANCH} gone from the Runs tree`,
      10000,
    ).catch(workspaceChildren);
    const labels = items.map((c) => labelOf(c.item));
    const warning = items.find((c) => /does not exist/.test(labelOf(c.item)));
    assert.ok(warning, `no item about the missing baseline: ${JSON.stringify(labels)}`);
    assert.match(labelOf(warning.item), new RegExp(`Baseline branch "${BRANCH}" does not exist`));
    assert.equal(warning.item.command?.command, 'lineage.setBaselineBranch');
    assert.ok(!labels.includes(BRANCH), 'the deleted branch is no longer listed');
    assert.ok(labels.includes('main'), `the other branches are still there: ${JSON.stringify(labels)}`);

    // The command resolves (errors inside it would be a toast; the panel shows load errors itself).
    await closeMetricDiffTabs();
    await vscode.commands.executeCommand('lineage.compareWithBaseline');
    const tab = await findTab(isMetricDiffTab);
    assert.ok(tab, 'Compare with Baseline opened no panel');
    assert.ok(tab.label.includes(BRANCH), tab.label);
    // What that panel shows: one clear line naming the missing revision.
    await assert.rejects(api!.diffSource.load(BRANCH, 'workspace'), (error: Error) => {
      assert.match(error.message, new RegExp(`unknown revision "${BRANCH}"`));
      assert.ok(!error.message.includes('\n'), 'one line');
      return true;
    });
  });
});
