// Live runs inside the extension host, on the demo repository: with Metric History open on the
// workspace's DVCLive series, a step appended to a TSV (as DVCLive appends it) reaches the
// panel as a `stepsAppend` message through the file watcher and tail reading, without a
// whole-state post, and the webview draws it; a rewritten TSV replaces the series.
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { demoFolder, eventually, lineageApi } from './inHost';

interface Posted {
  type: string;
  [k: string]: unknown;
}
interface StepLineLike {
  rev: string;
  name: string;
  points: [number, number][];
}
interface LivePanelLike {
  ready: Promise<void>;
  settled(): Promise<void>;
  postedState(): { steps: StepLineLike[] } | undefined;
  lastRendered(): { charts: { id: string; kind: string; points: Record<string, number> }[] } | undefined;
  onDidPost(listener: (m: Posted) => void): vscode.Disposable;
  liveStatus(): { live: boolean; detail: string; following: string[] };
  dispose(): void;
}
interface Api {
  whenIndexed(): Promise<void>;
  charts: { showMetricHistory(arg?: unknown): Promise<LivePanelLike | undefined> };
}

const SERIES = 'dvclive/plots/metrics/train/acc.tsv';
const CHART = 'steps:train%2Facc';

/** The row DVCLive would write next: the header's columns, one step past the last row. */
function nextRow(tsv: string, value: number): { row: string; step: number } {
  const rows = tsv.split(/\r?\n/).filter(Boolean);
  const header = rows[0].split('\t');
  const last = rows[rows.length - 1].split('\t');
  const step = Number(last[header.indexOf('step')]) + 1;
  const cells = header.map((h) =>
    h === 'step' ? String(step) : h === 'timestamp' ? String(Number(last[header.indexOf('timestamp')]) + 7000) : String(value),
  );
  return { row: cells.join('\t'), step };
}

describe('Live runs: DVCLive steps reach an open Metric History panel', function () {
  this.timeout(120000);
  let api: Api | undefined;

  before(async function () {
    api = (await lineageApi<Api>('whenIndexed', 'charts')) as Api | undefined;
    if (!api?.charts) return this.skip();
    await api.whenIndexed();
  });

  it('an appended step arrives as a delta and is drawn; a rewritten TSV replaces the series', async () => {
    const file = join(demoFolder().uri.fsPath, SERIES);
    const original = readFileSync(file, 'utf8');
    const panel = (await api!.charts.showMetricHistory({
      metrics: [{ file: 'eval/metrics.json', key: 'accuracy' }],
      revisions: [{ rev: 'refs/heads/main', label: 'main' }],
    }))!;
    const posted: Posted[] = [];
    const sub = panel.onDidPost((m) => posted.push(m));
    try {
      await panel.ready;
      await panel.settled();
      const drawn = await eventually(
        () => panel.lastRendered()?.charts.find((c) => c.id === CHART)?.points.workspace,
        'the workspace train/acc series drawn',
        30000,
      );
      const workspaceAcc = () => panel.postedState()?.steps.find((s) => s.rev === 'workspace' && s.name === 'train/acc');
      assert.equal(workspaceAcc()!.points.length, drawn);
      assert.ok(panel.liveStatus().following.includes('dvclive'), `following ${JSON.stringify(panel.liveStatus().following)}`);

      posted.length = 0;
      const { row, step } = nextRow(original, 0.987654);
      appendFileSync(file, `${row}\n`);
      await eventually(
        () => {
          const last = workspaceAcc()?.points.at(-1);
          return last !== undefined && last[0] === step && last[1] === 0.987654;
        },
        `step ${step} of train/acc in the panel's state`,
        10000,
      );
      const append = posted.find((m) => m.type === 'stepsAppend') as
        { appends: { name: string; points: [number, number][]; reset: boolean }[] } | undefined;
      assert.ok(append, `no stepsAppend posted: ${JSON.stringify(posted.map((m) => m.type))}`);
      const acc = append.appends.find((a) => a.name === 'train/acc');
      assert.deepEqual([acc?.points, acc?.reset], [[[step, 0.987654]], false], 'only the new point is sent');
      assert.ok(!posted.some((m) => m.type === 'init'), 'the whole state was posted again');
      assert.ok(
        posted.some((m) => m.type === 'live' && m.live === true),
        'the live badge was not switched on',
      );
      await eventually(
        () => panel.lastRendered()?.charts.find((c) => c.id === CHART)?.points.workspace === drawn + 1,
        'the webview drawing the new point',
        10000,
      );

      // DVCLive rewrites its TSVs when a run resumes: the series is replaced, not appended to.
      posted.length = 0;
      writeFileSync(file, original);
      await eventually(
        () => workspaceAcc()?.points.length === drawn && workspaceAcc()!.points.every(([s]) => s !== step),
        'the rewritten series in place of the old one',
        10000,
      );
      assert.ok(
        posted.some((m) => m.type === 'stepsAppend' && (m.appends as { reset: boolean }[]).some((a) => a.reset)),
        `no reset posted: ${JSON.stringify(posted.map((m) => m.type))}`,
      );
    } finally {
      sub.dispose();
      writeFileSync(file, original);
      panel.dispose();
    }
  });
});
