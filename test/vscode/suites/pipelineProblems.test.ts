// Pipelines that cannot be evaluated or are refused, in a real VS Code extension host on the
// demo repository: the error is on the Pipelines view, in the Problems panel, on CodeLens and
// in the Tasks list, never "up to date"; and Reproduce through the command is refused with an
// error (the notification's text is checked on screen by visualChecks.mjs), a non-zero exit
// code, nothing removed and no dvc.lock written. Each test adds a small nested project and
// removes it: any problem in the workspace refuses every run, the other suites' included.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LineageTestApi } from '../../../src/extension/testApi';
import type { ReproRefusal } from '../../../src/extension/repro/reproModel';
import { activateLineage, childItems, demoFolder, eventually, labelOf, lineageApi, type TreeProvider } from './inHost';

type Api = Pick<LineageTestApi, 'repro' | 'pipelinesTree' | 'whenIndexed'>;

const OK_STAGE = 'stages:\n  ok:\n    cmd: echo ok > ok.txt\n    outs:\n      - ok.txt:\n          cache: false\n';
const BAD_STAGE = '  train:\n    cmd: python train.py --lr ${lr}\n    outs:\n      - model.pkl\n';

/** Every file under `dir` with its content, to prove a refused run touched nothing. */
function snapshotFiles(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, snapshotFiles(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

describe('Pipeline problems in the editor (invalid and refused pipelines)', function () {
  this.timeout(60000);
  let api: Api;
  let root: string;
  const dirs: string[] = [];

  const engine = () => api.repro.engines.list()[0];
  const tree = () => api.pipelinesTree as unknown as TreeProvider;

  /** The Pipelines view's rows under one dvc.yaml node, and that node. */
  async function projectRows(file: string) {
    const project = (await childItems(tree())).find((r) => labelOf(r.item) === file);
    if (!project) return undefined;
    return { project: project.item, rows: (await childItems(tree(), project.node)).map((r) => r.item) };
  }

  function makeProject(name: string, files: Record<string, string>): string {
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    dirs.push(dir);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    api.repro.model.invalidate(0);
    return dir;
  }

  before(async function () {
    await activateLineage();
    const found = await lineageApi<Api>('repro', 'pipelinesTree');
    if (!found?.repro?.diagnostics) return this.skip();
    api = found as Api;
    await api.whenIndexed();
    root = demoFolder().uri.fsPath;
  });

  afterEach(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const t of vscode.window.terminals) if (/Reproduce/.test(t.name)) t.dispose();
    if (!api) return;
    api.repro.model.invalidate(0);
    // The next suite starts from a workspace without problems, diagnostics included.
    await eventually(async () => (await api.repro.model.pipelines(engine())).problems.length === 0, 'no pipeline problems left');
    await api.repro.diagnostics.settled();
  });

  it('an undefined ${var}: the error on the stage rows, the file node and in the Problems panel at line and column; never "up to date"', async () => {
    // First a readable pipeline whose stage is up to date (its dvc.lock written by hand)...
    const md5 = createHash('md5').update('ok\n').digest('hex');
    const dir = makeProject('problems-var', {
      'dvc.yaml': OK_STAGE,
      'ok.txt': 'ok\n',
      'dvc.lock': `schema: '2.0'\nstages:\n  ok:\n    cmd: echo ok > ok.txt\n    outs:\n    - path: ok.txt\n      hash: md5\n      md5: ${md5}\n      size: 3\n`,
    });
    await eventually(
      async () => (await projectRows('problems-var/dvc.yaml'))?.rows.find((r) => labelOf(r) === 'ok')?.description === 'up to date',
      'ok up to date before the bad stage',
    );

    // ...then a stage that cannot be rendered: the file cannot be evaluated.
    writeFileSync(join(dir, 'dvc.yaml'), OK_STAGE + BAD_STAGE);
    api.repro.model.invalidate(0);
    const problem = await eventually(
      async () => (await api.repro.model.pipelines(engine())).problems.find((p) => p.file === 'problems-var/dvc.yaml'),
      'the undefined-variable problem',
    );
    assert.match(problem.message, /lr/);
    assert.equal(problem.line, 8, 'the cmd line of the train stage');

    const shown = await eventually(async () => {
      const r = await projectRows('problems-var/dvc.yaml');
      return r?.rows.some((row) => labelOf(row) === 'train') && r;
    }, 'the train problem under problems-var/dvc.yaml');
    assert.equal((shown.project.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(String(shown.project.description), /1 problem|^error: /);
    const trainRow = shown.rows.find((r) => labelOf(r) === 'train')!;
    assert.match(String(trainRow.description), /^error: .*lr/);
    assert.equal((trainRow.iconPath as vscode.ThemeIcon).id, 'error');
    // A click opens dvc.yaml with the caret on the problem.
    const [uri, options] = trainRow.command!.arguments as [vscode.Uri, { selection: vscode.Range }];
    assert.ok(uri.fsPath.endsWith(join('problems-var', 'dvc.yaml')));
    assert.deepEqual([options.selection.start.line, options.selection.start.character], [problem.line! - 1, (problem.column ?? 1) - 1]);
    // The readable stage of the same file (if the engine lists it) is in doubt too, never "up to date".
    const okRow = shown.rows.find((r) => labelOf(r) === 'ok');
    if (okRow) assert.match(String(okRow.description), /^error: stage 'train'/);
    for (const row of [shown.project, ...shown.rows]) assert.doesNotMatch(String(row.description), /up to date/);

    // The Problems panel, at the problem's line and column.
    await api.repro.diagnostics.settled();
    const diags = vscode.languages.getDiagnostics(vscode.Uri.file(join(dir, 'dvc.yaml')));
    const diag = diags.find((d) => d.source === 'ML Lineage');
    assert.ok(diag, JSON.stringify(diags));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /stage 'train'.*lr/);
    assert.deepEqual([diag.range.start.line, diag.range.start.character], [problem.line! - 1, (problem.column ?? 1) - 1]);

    // Tasks and CodeLens say it too.
    const pipelineTask = (await vscode.tasks.fetchTasks({ type: 'lineage' })).find((t) => t.name === 'Reproduce pipeline');
    assert.match(String(pipelineTask?.detail), /^1 problem, cannot run: problems-var\/dvc\.yaml:/);
    // The CodeLens command reads the document's model: it must be open.
    await vscode.workspace.openTextDocument(vscode.Uri.file(join(dir, 'dvc.yaml')));
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        vscode.Uri.file(join(dir, 'dvc.yaml')),
        10,
      )) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => /^\$\(error\) stage 'train'.*lr/.test(t)),
      JSON.stringify(titles),
    );
    if (okRow)
      assert.ok(
        titles.some((t) => /^▶ Reproduce · error: /.test(t)),
        JSON.stringify(titles),
      );
    assert.ok(!titles.some((t) => /up to date/.test(t)), JSON.stringify(titles));

    // Fixed and saved: the diagnostic goes, the stage is up to date again.
    writeFileSync(join(dir, 'dvc.yaml'), OK_STAGE);
    api.repro.model.invalidate(0);
    await eventually(
      async () => (await projectRows('problems-var/dvc.yaml'))?.rows.find((r) => labelOf(r) === 'ok')?.description === 'up to date',
      'ok up to date after the fix',
    );
    await api.repro.diagnostics.settled();
    assert.deepEqual(
      vscode.languages.getDiagnostics(vscode.Uri.file(join(dir, 'dvc.yaml'))).filter((d) => d.source === 'ML Lineage'),
      [],
    );
  });

  it('`outs: [.]`: Reproduce through the command is refused with an error, exit code 2, nothing removed, no dvc.lock', async () => {
    const dir = makeProject('problems-refused', {
      'dvc.yaml': 'stages:\n  wipe:\n    cmd: echo ran > ran.txt\n    deps:\n      - keep.txt\n    outs:\n      - .\n',
      'keep.txt': 'keep me\n',
      'data/nested.txt': 'me too\n',
    });
    const problem = await eventually(
      async () => (await api.repro.model.pipelines(engine())).problems.find((p) => p.file === 'problems-refused/dvc.yaml'),
      'the refusal of an out that holds dvc.yaml',
    );
    const before = snapshotFiles(dir);
    const rootLock = readFileSync(join(root, 'dvc.lock'), 'utf8');

    const refusals: ReproRefusal[] = [];
    const subs = [api.repro.model.onDidRefuse((r) => refusals.push(r))];
    const ended = new Promise<number | undefined>((resolve) =>
      subs.push(
        vscode.tasks.onDidEndTaskProcess((e) => {
          if (e.execution.task.name === 'Reproduce pipeline') resolve(e.exitCode);
        }),
      ),
    );
    try {
      await vscode.commands.executeCommand('lineage.reproducePipeline', { folder: demoFolder().uri.toString() });
      const exitCode = await Promise.race([
        ended,
        new Promise<string>((resolve) => setTimeout(() => resolve('no end of the task within 30 s'), 30000)),
      ]);
      assert.equal(exitCode, 2);
    } finally {
      subs.forEach((s) => s.dispose());
    }
    // The refusal reached the notification's listener with the problem, as the engine gave it.
    assert.equal(refusals.length, 1);
    assert.ok(
      refusals[0].problems.some((p) => p.file === problem.file && p.message === problem.message),
      JSON.stringify(refusals[0].problems),
    );

    assert.deepEqual(snapshotFiles(dir), before, 'a refused run changed files');
    assert.ok(!existsSync(join(dir, 'dvc.lock')) && !existsSync(join(dir, 'ran.txt')));
    assert.equal(readFileSync(join(root, 'dvc.lock'), 'utf8'), rootLock);

    // The stage's row says it is refused, in error colors.
    const rows = await eventually(
      async () => (await projectRows('problems-refused/dvc.yaml'))?.rows,
      'the refused project in the Pipelines view',
    );
    const wipe = rows.find((r) => labelOf(r) === 'wipe');
    assert.ok(wipe, rows.map(labelOf).join(', '));
    assert.match(String(wipe.description), /^(refused|error): /);
    assert.equal((wipe.iconPath as vscode.ThemeIcon).id, 'error');
  });
});
