// Reproduce from the editor, in a real VS Code extension host on the demo repository. The
// demo's own stages need pandas/torch, so the suite adds a small nested project
// (repro-e2e/dvc.yaml) whose commands are plain shell, runs its stages as `lineage` Tasks
// through vscode.tasks, and checks what a person would see: the exit code, dvc.lock, the
// Pipelines view state, CodeLens, the problem matcher's diagnostics and the DAG webview.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/protocol/pipelineDag';
import type { LineageTestApi } from '../../../src/extension/testApi';
import { ReproCodeLensProvider } from '../../../src/extension/repro/reproCodeLens';
import { ReproTaskProvider } from '../../../src/extension/repro/reproTasks';
import { activateLineage, childItems, demoFolder, eventually, labelOf, lineageApi, type TreeProvider } from './inHost';

const PROJECT = 'repro-e2e';
const DVC_YAML = `stages:
  copy:
    cmd: mkdir -p out && cat input.txt > out/copy.txt && echo copied input.txt
    deps:
      - input.txt
    outs:
      - out
  fail:
    cmd: echo about to fail && exit 3
    deps:
      - input.txt
    outs:
      - fail.txt
  slow:
    cmd: echo started && sleep 30 && echo never > slow.txt
    outs:
      - slow.txt
`;
const address = (stage: string) => `${PROJECT}/dvc.yaml:${stage}`;

type Api = Pick<LineageTestApi, 'repro' | 'pipelinesTree' | 'whenIndexed'>;

describe('Reproduce in the editor (lineage tasks, CodeLens, Pipelines view, DAG)', function () {
  this.timeout(60000);
  let api: Api;
  let root: string;
  let dir: string;
  const lockFile = () => join(dir, 'dvc.lock');
  const lockText = () => (existsSync(lockFile()) ? readFileSync(lockFile(), 'utf8') : '');

  /** The Pipelines view's description for one of the test project's stages. */
  async function treeState(stage: string): Promise<string | undefined> {
    const tree = api.pipelinesTree as unknown as TreeProvider;
    const project = (await childItems(tree)).find((r) => labelOf(r.item) === `${PROJECT}/dvc.yaml`);
    if (!project) return undefined;
    const row = (await childItems(tree, project.node)).find((r) => labelOf(r.item) === stage);
    return row && typeof row.item.description === 'string' ? row.item.description : undefined;
  }

  async function findTask(name: string): Promise<vscode.Task> {
    return eventually(
      async () => (await vscode.tasks.fetchTasks({ type: 'lineage' })).find((t) => t.name === name),
      `the task "${name}"`,
      15000,
    );
  }

  /** Starts a task and resolves with its exit code (onDidEndTaskProcess) and how long it took. */
  async function runTask(
    name: string,
    whileRunning?: (execution: vscode.TaskExecution) => Promise<void>,
  ): Promise<{ exitCode: number | undefined; ms: number }> {
    const task = await findTask(name);
    const started = Date.now();
    const ended = new Promise<number | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`task "${name}" did not end within 45 s`));
      }, 45000);
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name !== name) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e.exitCode);
      });
    });
    const execution = await vscode.tasks.executeTask(task);
    if (whileRunning) await whileRunning(execution);
    const exitCode = await ended;
    // The run's own refresh (statuses, then the folder's index) has settled.
    await api.repro.model.settled();
    return { exitCode, ms: Date.now() - started };
  }

  async function lensTitles(uri: vscode.Uri): Promise<{ line: number; title: string; command?: string }[]> {
    // The command reads the document's model: it must be open.
    await vscode.workspace.openTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
    return lenses
      .filter((l) => l.command && /Reproduce/.test(l.command.title))
      .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command }));
  }

  before(async function () {
    await activateLineage();
    const found = await lineageApi<Api>('repro', 'pipelinesTree');
    if (!found?.repro) return this.skip();
    api = found as Api;
    // The first index of the demo is not part of what these tests time.
    await api.whenIndexed();
    root = demoFolder().uri.fsPath;
    dir = join(root, PROJECT);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dvc.yaml'), DVC_YAML);
    writeFileSync(join(dir, 'input.txt'), 'first line\n');
    api.repro.model.invalidate(0);
    await findTask(`Reproduce ${address('copy')}`);
  });

  after(async () => {
    if (!dir) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const t of vscode.window.terminals) if (/Reproduce/.test(t.name)) t.dispose();
    rmSync(dir, { recursive: true, force: true });
    api?.repro.model.invalidate(0);
  });

  it('offers a task per stage of every dvc.yaml, plus "Reproduce pipeline"', async () => {
    const names = (await vscode.tasks.fetchTasks({ type: 'lineage' })).map((t) => t.name);
    for (const n of [
      'Reproduce pipeline',
      'Reproduce prepare',
      'Reproduce train@small',
      'Reproduce evaluate',
      `Reproduce ${address('copy')}`,
      `Reproduce ${address('fail')}`,
    ]) {
      assert.ok(names.includes(n), `no task "${n}" in ${JSON.stringify(names)}`);
    }
    const copy = await findTask(`Reproduce ${address('copy')}`);
    assert.equal(copy.source, 'lineage');
    assert.deepEqual(copy.definition, { type: 'lineage', stage: address('copy') });
    assert.deepEqual(copy.problemMatchers, ['$lineage-repro']);
    assert.equal(copy.detail, 'never run');
  });

  it('runs a stage through the Task API: exit 0, dvc.lock written; after a dep edit the tree says changed, after the run up to date', async function () {
    const first = await runTask(`Reproduce ${address('copy')}`);
    assert.equal(first.exitCode, 0, `first run exited ${first.exitCode}`);
    assert.match(lockText(), /^schema: '2\.0'\nstages:\n {2}copy:\n/);
    assert.equal(readFileSync(join(dir, 'out', 'copy.txt'), 'utf8'), 'first line\n');
    await eventually(
      async () => (await treeState('copy')) === 'up to date',
      'the Pipelines view to show copy up to date after the first run',
    );
    const lockBefore = lockText();

    // Edit the dep as a person does: in an editor, then save.
    const input = vscode.Uri.file(join(dir, 'input.txt'));
    const doc = await vscode.workspace.openTextDocument(input);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(input, doc.positionAt(doc.getText().length), 'second line\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const saved = Date.now();
    assert.ok(await doc.save());
    const changed = await eventually(
      async () => {
        const s = await treeState('copy');
        return s?.startsWith('changed') && s;
      },
      'the Pipelines view to show copy changed after saving input.txt',
      10000,
    );
    const changedMs = Date.now() - saved;
    // Paths are repository-relative, as `dvc status` prints them from the root.
    assert.equal(changed, 'changed: deps repro-e2e/input.txt');

    const second = await runTask(`Reproduce ${address('copy')}`);
    assert.equal(second.exitCode, 0);
    const lockAfter = lockText();
    assert.notEqual(lockAfter, lockBefore, 'dvc.lock did not change for the edited dep');
    const md5Of = (text: string) => /- path: input\.txt\n\s+hash: md5\n\s+md5: ([0-9a-f]{32})/.exec(text)?.[1];
    assert.ok(
      md5Of(lockBefore) && md5Of(lockAfter) && md5Of(lockBefore) !== md5Of(lockAfter),
      `input.txt md5 ${md5Of(lockBefore)} -> ${md5Of(lockAfter)}`,
    );
    assert.equal(readFileSync(join(dir, 'out', 'copy.txt'), 'utf8'), 'first line\nsecond line\n');
    assert.equal(
      await eventually(async () => (await treeState('copy')) === 'up to date' && 'up to date', 'copy up to date after the second run'),
      'up to date',
    );
    // The figures, in the spec report.
    this.test!.title += ` [first run ${first.ms} ms, changed shown ${changedMs} ms after save, second run ${second.ms} ms]`;
  });

  it("a failing stage: its exit code is the task's, dvc.lock is untouched, the tree and Problems say so", async () => {
    const before = lockText();
    const run = await runTask(`Reproduce ${address('fail')}`);
    assert.equal(run.exitCode, 3);
    assert.equal(lockText(), before, 'dvc.lock changed after a failed stage');
    assert.ok(!/\n {2}fail:/.test(lockText()));
    assert.equal(
      await eventually(async () => {
        const s = await treeState('fail');
        return s === 'failed (exit 3)' && s;
      }, 'fail shown as failed'),
      'failed (exit 3)',
    );
    // The $lineage-repro problem matcher turned the ERROR line into a diagnostic on the stage's line.
    const diags = await eventually(
      () => {
        const d = vscode.languages.getDiagnostics(vscode.Uri.file(join(dir, 'dvc.yaml')));
        return d.length > 0 && d;
      },
      'a diagnostic on repro-e2e/dvc.yaml',
      10000,
    );
    assert.match(diags[0].message, /stage 'repro-e2e\/dvc\.yaml:fail' failed \(exit code 3\)/);
    assert.equal(diags[0].range.start.line, 7);
  });

  it('cancelling the task (Terminate Task) stops the command and writes no lock entry', async () => {
    const run = await runTask(`Reproduce ${address('slow')}`, async (execution) => {
      await eventually(async () => (await treeState('slow')) === 'running…', 'slow shown as running', 10000);
      execution.terminate();
    });
    assert.ok(run.ms < 15000, `the task took ${run.ms} ms: the command was not stopped`);
    assert.ok(run.exitCode === 130 || run.exitCode === undefined, `exit code ${run.exitCode}`);
    assert.ok(!/\n {2}slow:/.test(lockText()), 'a lock entry for the cancelled stage');
    assert.ok(!existsSync(join(dir, 'slow.txt')));
    await eventually(async () => (await treeState('slow')) === 'never run', 'slow back to never run');
  });

  it('CodeLens over each stage says its state; in Restricted Mode it says why it cannot run', async () => {
    const uri = vscode.Uri.file(join(dir, 'dvc.yaml'));
    const lenses = await eventually(async () => {
      const l = await lensTitles(uri);
      return l.length === 3 && l;
    }, 'three CodeLens on repro-e2e/dvc.yaml');
    assert.deepEqual(
      lenses.map((l) => [l.line, l.title]),
      [
        [1, '▶ Reproduce · up to date'],
        [7, '▶ Reproduce · failed (exit 3)'],
        [13, '▶ Reproduce · never run'],
      ],
    );
    assert.ok(lenses.every((l) => l.command === 'lineage.reproduceStage'));

    // The demo's foreach stages share their group's line: each lens names its stage.
    const demo = (await lensTitles(vscode.Uri.file(join(root, 'dvc.yaml')))).map((l) => l.title);
    assert.ok(
      demo.some((t) => t.startsWith('▶ Reproduce train@small · ')) && demo.some((t) => t.startsWith('▶ Reproduce train@large · ')),
      JSON.stringify(demo),
    );
    assert.ok(
      demo.some((t) => /^▶ Reproduce · /.test(t)),
      JSON.stringify(demo),
    );

    const doc = await vscode.workspace.openTextDocument(uri);
    const untrusted = await new ReproCodeLensProvider(api.repro.engines, api.repro.model, () => false).provideCodeLenses(
      doc,
      new vscode.CancellationTokenSource().token,
    );
    assert.deepEqual(
      untrusted.map((l) => l.command?.title),
      ['Reproduce needs a trusted workspace', 'Reproduce needs a trusted workspace', 'Reproduce needs a trusted workspace'],
    );
    assert.ok(untrusted.every((l) => l.command?.command === 'workbench.trust.manage'));
    assert.deepEqual(await new ReproTaskProvider(api.repro.engines, api.repro.model, () => false).provideTasks(), []);
  });

  it('Show Stage Status opens a read-only dvc status-like document', async () => {
    await vscode.commands.executeCommand('lineage.showStageStatus', { folder: demoFolder().uri.toString(), address: address('fail') });
    const editor = await eventually(
      () => vscode.window.activeTextEditor?.document.uri.scheme === 'lineage-status' && vscode.window.activeTextEditor,
      'the status document',
    );
    const text = editor.document.getText();
    assert.match(text, /repro-e2e\/dvc\.yaml:fail: {2}\(failed \(exit 3\)\)/);
    assert.match(text, /last run: failed to run: echo about to fail && exit 3, exited with 3/);
  });

  it('Show Pipeline DAG draws stages and files, outs linked to the stages that read them; a saved dep updates states in place', async () => {
    await vscode.commands.executeCommand('lineage.showPipelineDag');
    const panel = await eventually(() => api.repro.dagPanels()[0], 'a Pipeline DAG panel');
    await panel.ready;
    const graph = await eventually(() => panel.postedGraph(), 'the graph posted to the webview');
    const ids = graph.nodes.map((n) => n.id);
    for (const id of [
      'stage:prepare',
      'stage:featurize',
      'stage:train@small',
      'stage:evaluate',
      `stage:${address('copy')}`,
      'file:data/features',
      `file:${PROJECT}/out`,
    ])
      assert.ok(ids.includes(id), `no node ${id}`);
    const edges = graph.edges.map((e) => `${e.from} -> ${e.to}`);
    assert.ok(edges.includes('file:data/features -> stage:train@small'), edges.join('\n'));
    assert.ok(edges.includes(`stage:${address('copy')} -> file:${PROJECT}/out`));
    assert.equal(graph.nodes.find((n) => n.id === `stage:${address('fail')}`)?.state, 'failed');
    assert.equal(graph.nodes.find((n) => n.id === `stage:${address('copy')}`)?.state, 'up-to-date');

    // A saved dep changes a state, not the shape: the webview gets a `states` update, no new layout.
    const posted: HostMessage[] = [];
    const sub = panel.onDidPost((m) => posted.push(m));
    try {
      const input = vscode.Uri.file(join(dir, 'input.txt'));
      const doc = await vscode.workspace.openTextDocument(input);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(input, doc.positionAt(doc.getText().length), 'third line\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      const update = await eventually(() => posted.find((m) => m.type === 'states'), 'a states update after saving input.txt', 10000);
      assert.ok(
        update.type === 'states' &&
          update.updates.some(
            (u) => u.id === `stage:${address('copy')}` && u.state === 'changed' && u.detail === 'deps repro-e2e/input.txt',
          ),
        JSON.stringify(update),
      );
      assert.ok(!posted.some((m) => m.type === 'graph'), 'a whole new graph for a state change');
    } finally {
      sub.dispose();
      panel.dispose();
    }
  });
});
