// Metric History and Plots inside the extension host, on the demo repository: the panels open
// from the commands, the webviews report what they drew (points per dataset), a commit of the
// history chart is revealed in the Runs view, the workspace's edits arrive as deltas, and
// exports are written. What a person sees in Chromium is in chartChecks.mjs.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { demoFolder, eventually, lineageApi } from './inHost';

interface PanelLike<S, R> {
  ready: Promise<void>;
  settled(): Promise<void>;
  postedState(): S | undefined;
  lastRendered(): R | undefined;
  onDidPost(listener: (m: { type: string; [k: string]: unknown }) => void): vscode.Disposable;
  dispose(): void;
  panel: vscode.WebviewPanel;
}
interface HistoryStateLike {
  lines: { label: string; rev: string; points: { sha: string; value: number }[] }[];
  steps: { label: string; name: string; points: unknown[] }[];
}
interface PlotsStateLike {
  revisions: { label: string }[];
  plots: {
    id: string;
    kind: string;
    title: string;
    series: { revision: string; points: unknown[] }[];
    matrices: { revision: string; total: number; counts: number[][] }[];
  }[];
}
type HistoryPanel = PanelLike<HistoryStateLike, { charts: { id: string; kind: string; points: Record<string, number> }[]; ms: number }> & {
  revealPoint(sha: string, rev: string): Promise<boolean>;
  setSelection(s: unknown): Promise<void>;
};
type PlotsPanel = PanelLike<PlotsStateLike, { plots: { id: string; kind: string; points: Record<string, number> }[]; ms: number }>;
interface ChartsApi {
  showMetricHistory(arg?: unknown): Promise<HistoryPanel | undefined>;
  showPlots(arg?: unknown): Promise<PlotsPanel | undefined>;
  setSaveTarget(target: ((name: string, format: string) => Promise<vscode.Uri | undefined>) | undefined): void;
  saveExport?: unknown;
}
interface Api {
  whenIndexed(): Promise<void>;
  refresh(): Promise<void>;
  charts: ChartsApi;
}

const git = (...args: string[]) =>
  execFileSync('git', ['-C', demoFolder().uri.fsPath, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/**
 * Commits on main's first-parent chain whose eval/metrics.json holds a numeric accuracy, read
 * with Git alone (one cat-file --batch), independent of the index.
 */
function mainCommitsWithAccuracy(): string[] {
  const shas = git('rev-list', '--first-parent', 'main').split('\n').filter(Boolean);
  const out = execFileSync('git', ['-C', demoFolder().uri.fsPath, 'cat-file', '--batch'], {
    input: shas.map((s) => `${s}:eval/metrics.json`).join('\n') + '\n',
    maxBuffer: 64 * 1024 * 1024,
  });
  const found: string[] = [];
  let at = 0;
  for (const sha of shas) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString('utf8');
    at = nl + 1;
    if (header.endsWith('missing')) continue;
    const size = Number(header.split(' ')[2]);
    const body = out.subarray(at, at + size).toString('utf8');
    at += size + 1;
    try {
      if (typeof (JSON.parse(body) as { accuracy?: unknown }).accuracy === 'number') found.push(sha);
    } catch {
      /* unparsable at that commit: no point */
    }
  }
  return found;
}

describe('Charts: Metric History and Plots webviews', function () {
  this.timeout(120000);
  let api: Api | undefined;
  const opened: { dispose(): void }[] = [];

  before(async function () {
    api = (await lineageApi<Api>('whenIndexed', 'charts')) as Api | undefined;
    if (!api?.charts) return this.skip();
    await api.whenIndexed();
  });

  after(() => {
    api?.charts.setSaveTarget(undefined);
    for (const p of opened) p.dispose();
  });

  it('Metric History of accuracy on main: one point per commit on main that has it, drawn by the webview', async () => {
    const expected = mainCommitsWithAccuracy();
    assert.ok(expected.length > 100, `the demo's main has ${expected.length} commits with accuracy`);
    const panel = (await api!.charts.showMetricHistory({
      metrics: [{ file: 'eval/metrics.json', key: 'accuracy' }],
      revisions: [{ rev: 'refs/heads/main', label: 'main' }],
    }))!;
    opened.push(panel);
    await panel.ready;
    const rendered = await eventually(
      () => panel.lastRendered()?.charts.find((c) => c.kind === 'history' && c.points.main !== undefined),
      'the webview drawing the history chart',
      30000,
    );
    assert.equal(rendered.points.main, expected.length, 'points drawn = commits on main with a numeric accuracy');
    const state = panel.postedState()!;
    const line = state.lines.find((l) => l.label === 'main')!;
    assert.deepEqual(
      line.points.map((p) => p.sha),
      [...expected].reverse(),
      'oldest first, exactly those commits',
    );
    assert.equal(
      line.points[line.points.length - 1].value,
      (JSON.parse(git('show', 'main:eval/metrics.json')) as { accuracy: number }).accuracy,
    );
    // The DVCLive step series of the workspace come along.
    const steps = panel
      .lastRendered()!
      .charts.filter((c) => c.kind === 'steps')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(steps, ['steps:train%2Facc', 'steps:train%2Floss']);
    process.stdout.write(`      history chart drawn in ${panel.lastRendered()!.ms} ms (webview report)\n`);
  });

  it('a point reveals its commit in the Runs view, even one beyond the first page of commits', async () => {
    const panel = (await api!.charts.showMetricHistory({
      metrics: [{ file: 'eval/metrics.json', key: 'accuracy' }],
      revisions: [{ rev: 'refs/heads/main', label: 'main' }],
    }))!;
    await panel.settled();
    const oldest = panel.postedState()!.lines[0].points[0].sha;
    assert.equal(await panel.revealPoint(oldest, 'refs/heads/main'), true, `the oldest commit ${oldest.slice(0, 8)} was not revealed`);
    assert.equal(await panel.revealPoint('0'.repeat(40), 'refs/heads/main'), false);
  });

  it('several branches overlay, and an edit of the workspace metrics arrives as a delta', async () => {
    const file = join(demoFolder().uri.fsPath, 'eval', 'metrics.json');
    const original = readFileSync(file, 'utf8');
    const panel = (await api!.charts.showMetricHistory({
      metrics: [{ file: 'eval/metrics.json', key: 'accuracy' }],
      revisions: [
        { rev: 'refs/heads/main', label: 'main' },
        { rev: 'refs/heads/feature/bigger-model', label: 'feature/bigger-model' },
        { rev: 'workspace', label: 'workspace' },
      ],
    }))!;
    await panel.settled();
    await eventually(
      () => panel.lastRendered()?.charts.some((c) => c.points['feature/bigger-model'] !== undefined && c.points.workspace !== undefined),
      'three datasets drawn',
      30000,
    );
    const branchCount = git('rev-list', '--first-parent', '--count', 'feature/bigger-model').trim();
    assert.ok(panel.postedState()!.lines.find((l) => l.label === 'feature/bigger-model')!.points.length <= Number(branchCount));
    const deltas: { type: string }[] = [];
    const sub = panel.onDidPost((m) => deltas.push(m));
    try {
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), accuracy: 0.99 }, null, 4) + '\n');
      await api!.refresh();
      const last = await eventually(
        () => {
          const ws = panel.postedState()!.lines.find((l) => l.label === 'workspace');
          return ws && ws.points[ws.points.length - 1]?.value === 0.99 && ws;
        },
        'the edited accuracy on the workspace line',
        20000,
      );
      assert.equal(last.points[last.points.length - 1].value, 0.99);
      assert.ok(
        deltas.some((m) => m.type === 'delta'),
        `no delta posted: ${JSON.stringify(deltas.map((m) => m.type))}`,
      );
      assert.ok(!deltas.some((m) => m.type === 'init'), 'the whole state was posted again instead of a delta');
    } finally {
      sub.dispose();
      writeFileSync(file, original);
      await api!.refresh();
    }
  });

  it('Plots of main and a branch: the ROC (linear family) and the confusion matrix are drawn for both', async () => {
    const panel = (await api!.charts.showPlots(['main', 'feature/bigger-model']))!;
    opened.push(panel);
    await panel.ready;
    const rendered = await eventually(
      () => (panel.lastRendered()?.plots.length ? panel.lastRendered() : undefined),
      'the webview drawing the plots',
      30000,
    );
    const state = panel.postedState()!;
    assert.deepEqual(
      state.revisions.map((r) => r.label),
      ['main', 'feature/bigger-model'],
    );
    const roc = state.plots.find((p) => p.id === 'roc')!;
    assert.equal(roc.kind, 'line');
    assert.equal(roc.title, 'ROC');
    const rocRows = (rev: string) => git('show', `${rev}:eval/plots/roc.csv`).trim().split('\n').length - 1;
    assert.deepEqual(rendered.plots.find((p) => p.id === 'roc')!.points, {
      main: rocRows('main'),
      'feature/bigger-model': rocRows('feature/bigger-model'),
    });
    const confusion = state.plots.find((p) => p.kind === 'confusion')!;
    const csvRows = (rev: string) => git('show', `${rev}:eval/plots/confusion.csv`).trim().split('\n').slice(1);
    for (const m of confusion.matrices) {
      const rows = csvRows(m.revision);
      assert.equal(m.total, rows.length);
      // Diagonal = rows whose actual equals predicted.
      const diagonal = m.counts.reduce((n, row, i) => n + (row[i] ?? 0), 0);
      assert.equal(
        diagonal,
        rows.filter((r) => {
          const [a, p] = r.split(',');
          return a === p;
        }).length,
      );
    }
    assert.deepEqual(
      rendered.plots.find((p) => p.kind === 'confusion')!.points,
      Object.fromEntries(confusion.matrices.map((m) => [m.revision, m.total])),
    );
    process.stdout.write(`      ${state.plots.length} plots drawn in ${rendered.ms} ms (webview report)\n`);
  });

  it('an edited plot file in the workspace updates an open Plots panel by delta', async () => {
    const file = join(demoFolder().uri.fsPath, 'eval', 'plots', 'roc.csv');
    const original = readFileSync(file, 'utf8');
    const panel = (await api!.charts.showPlots(['workspace', 'HEAD']))!;
    await panel.settled();
    await eventually(
      () =>
        panel
          .postedState()
          ?.revisions.map((r) => r.label)
          .join() === 'workspace,HEAD' && panel.postedState(),
      'workspace and HEAD loaded',
      20000,
    );
    const posted: { type: string; upserts?: { id: string }[] }[] = [];
    const sub = panel.onDidPost((m) => posted.push(m as never));
    try {
      writeFileSync(file, 'fpr,tpr,threshold\n0,0,1\n0.5,0.97,0.5\n1,1,0\n');
      await api!.refresh();
      await eventually(
        () =>
          panel
            .postedState()!
            .plots.find((p) => p.id === 'roc')!
            .series.find((s) => s.revision === 'workspace')!.points.length === 3,
        'the 3-row ROC of the workspace',
        20000,
      );
      const delta = posted.find((m) => m.type === 'delta');
      assert.ok(delta, `no delta: ${JSON.stringify(posted.map((m) => m.type))}`);
      assert.ok(delta.upserts!.some((p) => p.id === 'roc'));
      assert.ok(!delta.upserts!.some((p) => p.id.includes('confusion')), 'an unchanged plot was sent again');
    } finally {
      sub.dispose();
      writeFileSync(file, original);
      await api!.refresh();
    }
  });

  it('lineage.showPlots and lineage.showMetricHistory are registered commands with a palette entry', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['lineage.showPlots', 'lineage.showMetricHistory']) assert.ok(commands.includes(id), id);
  });

  it('exports go where the save dialog says: CSV text as is, PNG bytes from the data: URI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-export-'));
    try {
      const panel = (await api!.charts.showPlots(['main']))!;
      await panel.settled();
      const saved: string[] = [];
      api!.charts.setSaveTarget(async (name) => {
        const uri = vscode.Uri.file(join(dir, name));
        saved.push(uri.fsPath);
        return uri;
      });
      // The webview's export button posts this message; here it is posted the same way a page would.
      const png = 'data:image/png;base64,' + Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
      const posted: string[] = [];
      const sub = panel.onDidPost((m) => {
        if (m.type === 'exported') posted.push(String(m.file));
      });
      await (panel as unknown as { receive(m: unknown): Promise<void> }).receive({ type: 'export', format: 'png', name: 'ROC', data: png });
      await (panel as unknown as { receive(m: unknown): Promise<void> }).receive({
        type: 'export',
        format: 'csv',
        name: 'ROC',
        data: 'rev,x\r\nmain,1\r\n',
      });
      sub.dispose();
      assert.deepEqual(
        saved.map((f) => f.slice(dir.length + 1)),
        ['ROC.png', 'ROC.csv'],
      );
      assert.deepEqual(readFileSync(join(dir, 'ROC.png')).subarray(0, 8), Buffer.from('89504e470d0a1a0a', 'hex'));
      assert.equal(readFileSync(join(dir, 'ROC.csv'), 'utf8'), 'rev,x\r\nmain,1\r\n');
      assert.equal(posted.length, 2);
      assert.ok(existsSync(join(dir, 'ROC.png')));
    } finally {
      api!.charts.setSaveTarget(undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
