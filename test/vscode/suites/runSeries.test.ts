// MLflow runs in Metric History inside the extension host, on the demo repository: "Show Metric
// History…" on a run node of the Runs view adds the run's step series (as many points as its
// metric files hold), and a RUNNING file-store run is followed live: a line the training
// appends reaches the panel, and the following stops once meta.yaml says the run ended.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { demoFolder, eventually, lineageApi } from './inHost';

interface StepLineLike {
  rev: string;
  name: string;
  points: [number, number][];
}
interface RunShownLike {
  rev: string;
  id: string;
  status: string;
  live: boolean;
}
interface HistoryStateLike {
  steps: StepLineLike[];
  runs?: RunShownLike[];
}
interface HistoryPanelLike {
  ready: Promise<void>;
  settled(): Promise<void>;
  postedState(): HistoryStateLike | undefined;
  onDidPost(listener: (m: { type: string; [k: string]: unknown }) => void): vscode.Disposable;
  liveStatus(): { live: boolean; detail: string; following: string[] };
  dispose(): void;
}
interface RunNodeLike {
  kind: string;
  engine?: unknown;
  sha?: string;
  ext?: { source: string; id: string; git: { commit: string | null } };
  group?: { source: string };
}
interface Api {
  whenIndexed(): Promise<void>;
  refresh(): Promise<void>;
  runsTree: {
    getChildren(node?: RunNodeLike): RunNodeLike[];
    getTreeItem(node: RunNodeLike): vscode.TreeItem;
    findCommit(engine: unknown, sha: string): RunNodeLike | undefined;
  };
  charts: { metricHistoryPanels(): readonly HistoryPanelLike[] };
}

const EXPERIMENT = 'mlruns/1';
const KEYS = ['accuracy', 'loss'];

/** Lines in an MLflow file-store metric file (`<timestamp> <value> <step>` each). */
function metricLines(runDir: string, key: string): string[] {
  return readFileSync(join(runDir, 'metrics', key), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean);
}

/** The MLflow run nodes of the Runs view, as it lists them under their experiment. */
function mlflowRunNodes(api: Api): RunNodeLike[] {
  const workspace = api.runsTree.getChildren().find((n) => n.kind === 'workspace');
  assert.ok(workspace, 'no workspace node in the Runs view');
  const groups = api.runsTree.getChildren(workspace).filter((n) => n.kind === 'runGroup' && n.group?.source === 'mlflow');
  return groups.flatMap((g) => api.runsTree.getChildren(g)).filter((n) => n.kind === 'extRun' && n.ext?.source === 'mlflow');
}

async function openRun(api: Api, node: RunNodeLike): Promise<HistoryPanelLike> {
  await vscode.commands.executeCommand('lineage.showMetricHistory', node);
  const panel = await eventually(() => api.charts.metricHistoryPanels()[0], 'a Metric History panel');
  await panel.ready;
  await panel.settled();
  return panel;
}

const runLine = (panel: HistoryPanelLike, id: string, key: string) =>
  panel.postedState()?.steps.find((s) => s.rev === `run:mlflow:${id}` && s.name === key);

describe('Run series: MLflow runs in Metric History', function () {
  this.timeout(120000);
  let api: Api | undefined;
  let copied: string | undefined;

  before(async function () {
    api = (await lineageApi<Api>('whenIndexed', 'refresh', 'runsTree', 'charts')) as Api | undefined;
    if (!api?.charts?.metricHistoryPanels) return this.skip();
    await api.whenIndexed();
    for (const p of api.charts.metricHistoryPanels()) p.dispose();
  });

  afterEach(() => {
    for (const p of api?.charts.metricHistoryPanels() ?? []) p.dispose();
  });

  after(async () => {
    if (copied && existsSync(copied)) {
      rmSync(copied, { recursive: true, force: true });
      await api?.refresh();
    }
  });

  it("a finished run's accuracy and loss series, one point per line of its metric files", async () => {
    const node = mlflowRunNodes(api!)[0];
    assert.ok(node?.ext, 'no MLflow run in the Runs view');
    const runDir = join(demoFolder().uri.fsPath, EXPERIMENT, node.ext.id);
    const panel = await openRun(api!, node);
    for (const key of KEYS) {
      const expected = metricLines(runDir, key).length;
      assert.ok(expected > 1, `${key} of run ${node.ext.id} has ${expected} lines`);
      const line = await eventually(() => runLine(panel, node.ext!.id, key), `the run's ${key} series in the panel's state`);
      assert.equal(line.points.length, expected, `${key} points`);
      assert.deepEqual(
        line.points.map(([step]) => step),
        metricLines(runDir, key).map((l) => Number(l.split(' ')[2])),
        `${key} steps`,
      );
    }
    const shown = panel.postedState()!.runs?.find((r) => r.id === node.ext!.id);
    assert.deepEqual([shown?.status, shown?.live, panel.liveStatus().live], ['finished', false, false]);
  });

  it("the Runs view shows a run's commit in the experiment's listing, not again under the commit", () => {
    const runs = mlflowRunNodes(api!);
    const linked = runs
      .map((n) => ({ n, commit: n.ext!.git.commit && api!.runsTree.findCommit(n.engine, n.ext!.git.commit) }))
      .find((x) => x.commit);
    assert.ok(linked?.commit, 'no MLflow run linked to a commit the Runs view lists');
    const short = linked.n.ext!.git.commit!.slice(0, 8);
    const inGroup = String(api!.runsTree.getTreeItem(linked.n).description);
    assert.ok(inGroup.includes(` · ${short} · `), `in the experiment: ${inGroup}`);
    const underCommit = api!.runsTree.getChildren(linked.commit).find((c) => c.kind === 'extRun' && c.ext?.id === linked.n.ext!.id);
    assert.ok(underCommit, `run ${linked.n.ext!.id} not listed under commit ${short}`);
    const described = String(api!.runsTree.getTreeItem(underCommit).description);
    assert.ok(described.startsWith(`${inGroup.split(' · ')[0]} · `) && !described.includes(short), `under the commit: ${described}`);
  });

  it('a running run is followed: an appended line arrives, and following stops when it ends', async () => {
    const root = join(demoFolder().uri.fsPath, EXPERIMENT);
    const source = readdirSync(root).find((d) => /^[0-9a-f]{32}$/.test(d) && existsSync(join(root, d, 'metrics', 'accuracy')));
    assert.ok(source, `no run folder in ${EXPERIMENT}`);
    const id = randomBytes(16).toString('hex');
    copied = join(root, id);
    cpSync(join(root, source), copied, { recursive: true });
    const meta = join(copied, 'meta.yaml');
    const now = Date.now();
    const running = readFileSync(meta, 'utf8')
      .split('\n')
      .map((l) => {
        if (/^(run_id|run_uuid):/.test(l)) return l.replace(source, id);
        if (l.startsWith('status:')) return 'status: 1';
        if (l.startsWith('end_time:')) return 'end_time: null';
        if (l.startsWith('start_time:')) return `start_time: ${now}`;
        return l;
      })
      .join('\n');
    writeFileSync(meta, running);

    await api!.refresh();
    const node = await eventually(
      async () => {
        const found = mlflowRunNodes(api!).find((n) => n.ext?.id === id);
        if (!found) await api!.refresh();
        return found;
      },
      `run ${id} in the Runs view`,
      30000,
    );
    const panel = await openRun(api!, node);
    const posted: { type: string; [k: string]: unknown }[] = [];
    const sub = panel.onDidPost((m) => posted.push(m));
    try {
      await eventually(
        () => panel.liveStatus().live && panel.postedState()?.runs?.find((r) => r.id === id)?.live,
        'the run followed as running',
        20000,
      );
      assert.ok(panel.liveStatus().detail.includes('Following a running run'), panel.liveStatus().detail);
      const before = runLine(panel, id, 'accuracy')!.points;
      const step = before.at(-1)![0] + 1;
      appendFileSync(join(copied, 'metrics', 'accuracy'), `${now + 1000} 0.987654 ${step}\n`);
      await eventually(
        () => {
          const last = runLine(panel, id, 'accuracy')?.points.at(-1);
          return last !== undefined && last[0] === step && last[1] === 0.987654;
        },
        `step ${step} of the run's accuracy in the panel's state`,
        20000,
      );
      assert.equal(runLine(panel, id, 'accuracy')!.points.length, before.length + 1);
      // The follower appends the point; an index run the file watcher starts may deliver it
      // first as a delta (a running run is re-read on every sync). Either way it arrives once.
      assert.ok(
        posted.some((m) => m.type === 'stepsAppend' || m.type === 'delta'),
        `the point was never posted: ${JSON.stringify(posted.map((m) => m.type))}`,
      );
      assert.ok(!posted.some((m) => m.type === 'live' && m.live === false), 'the live badge went off while the run ran');

      writeFileSync(meta, running.replace(/^status: 1$/m, 'status: 3').replace(/^end_time: null$/m, `end_time: ${now + 2000}`));
      await eventually(() => !panel.liveStatus().live, 'the following to stop', 20000);
      await eventually(() => posted.some((m) => m.type === 'live' && m.live === false), 'the live badge switched off', 10000);
      assert.deepEqual(panel.liveStatus().following, []);
    } finally {
      sub.dispose();
    }
  });
});
