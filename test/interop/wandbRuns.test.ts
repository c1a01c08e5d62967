// Real wandb offline runs (wandb 0.31, WANDB_MODE=offline) in a Git repository made here: our
// reader must find every param, every metric step, the summary, tags and the Git commit wandb
// recorded, and agree with wandb's own reader of the log (`wandb leet inspect --summary --json`).

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonPython } from '../../src/core/python/jsonPython';
import type { ExternalRun, MetricPoint } from '../../src/core/runs/types';
import { readWandbDir } from '../../src/core/wandb/wandbRuns';
import { GitFixture } from '../helpers/gitFixture';
import { assertSameValues, flatten, runTool, describeTool, toolJson } from './helpers';
import { interopEnv, interopTool } from './tools';

const REMOTE = 'https://example.com/lineage/interop.git';

const TRAIN = `import json, sys, wandb
mode = sys.argv[1]
config = {"lr": 0.01, "epochs": 5, "model": {"layers": 3, "act": "relu", "dropout": {"p": 0.1}}, "flag": True, "opt": None, "label": "ünï"}
run = wandb.init(project="lineage-interop", name="run-" + mode, tags=["interop", mode], config=config)
history = []
for i in range(6):
    step = i * 5
    row = {"train/loss": 1.0 / (i + 1), "val": {"acc": i / 10}, "lr": 0.01 * (0.9 ** i)}
    if i == 2:
        row["train/loss"] = float("nan")
    if i == 4:
        row["val"]["acc"] = float("inf")
    run.log(row, step=step)
    history.append({"step": step, "row": row})
run.summary["best_acc"] = 0.42
expected = {"id": run.id, "project": run.project, "name": run.name, "tags": list(run.tags), "config": config, "history": history, "summary": {"best_acc": 0.42}}
with open("expected-" + mode + ".json", "w") as f:
    json.dump(expected, f)
run.finish(exit_code=0 if mode == "ok" else 3)
`;

interface Expected {
  id: string;
  project: string;
  name: string;
  tags: string[];
  config: Record<string, unknown>;
  history: { step: number; row: Record<string, unknown> }[];
  summary: Record<string, number>;
}

/** wandb's JSON output writes non-finite numbers as strings. */
function finite(v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v;
}

describe('interop: wandb offline runs read by lineage', function () {
  this.timeout(180000);
  let repo: GitFixture;
  let head: string;
  let runs: ExternalRun[];

  before(async () => {
    // Both tools must exist: a missing one fails the suite instead of skipping it.
    interopTool('python');
    interopTool('wandb');
    repo = GitFixture.create();
    repo.git('remote', 'add', 'origin', REMOTE);
    head = repo.commit('training script', { 'train.py': TRAIN, '.gitignore': 'wandb/\nexpected-*.json\n' });
    for (const mode of ['ok', 'bad']) {
      const r = runTool('python', ['train.py', mode], repo.dir, interopEnv({ WANDB_DIR: repo.dir, WANDB_MODE: 'offline' }));
      assert.equal(r.status, 0, describeTool(r));
    }
    const result = await readWandbDir(repo.dir, 'wandb');
    assert.deepEqual(result.problems, []);
    runs = result.runs;
  });
  after(() => repo?.cleanup());

  function expected(mode: string): Expected {
    const r = parseJsonPython(readFileSync(join(repo.dir, `expected-${mode}.json`), 'utf8'));
    assert.ok(r.ok);
    return r.value as unknown as Expected;
  }

  for (const mode of ['ok', 'bad']) {
    it(`reads every param, metric step, summary value, tag and the Git commit of the "${mode}" run`, () => {
      const want = expected(mode);
      const run = runs.find((r) => r.id === want.id);
      assert.ok(run, `run ${want.id} not found among ${runs.map((r) => r.location).join(', ')}`);

      assertSameValues('params (config, flattened)', flatten(want.config), run.params);

      const series: Record<string, [number, number][]> = {};
      for (const { step, row } of want.history) {
        for (const [key, value] of Object.entries(flatten(row))) (series[key] ??= []).push([step, value as number]);
      }
      const ours = Object.fromEntries(
        Object.entries(run.series).map(([k, pts]: [string, MetricPoint[]]) => [k, pts.map((p) => [p.step, p.value])]),
      );
      assertSameValues('series (every step)', series, ours);
      for (const points of Object.values(run.series))
        for (const p of points)
          assert.ok(p.timestamp !== null && Math.abs(p.timestamp - Date.now()) < 3600_000, `timestamp ${p.timestamp}`);

      const metrics: Record<string, unknown> = {};
      for (const [key, points] of Object.entries(series)) metrics[key] = points[points.length - 1][1];
      Object.assign(metrics, want.summary);
      assertSameValues('metrics (summary)', metrics, run.metrics);

      assertSameValues(
        'run',
        {
          experiment: want.project,
          name: want.name,
          labels: want.tags,
          status: mode === 'ok' ? 'finished' : 'failed',
          git: { commit: head, branch: null, remote: REMOTE },
        },
        { experiment: run.experiment, name: run.name, labels: run.labels, status: run.status, git: run.git },
      );
      assert.match(String(run.environment?.python), /^CPython 3\./);
      assert.ok((run.environment?.requirements as string[]).includes('wandb==0.31.0'), 'requirements.txt read');
      assert.ok(
        run.startTime !== null && run.endTime !== null && run.endTime >= run.startTime,
        `start ${run.startTime} end ${run.endTime}`,
      );
    });
  }

  it("agrees with wandb's own reader of each log (wandb leet inspect --summary --json)", () => {
    const folders = readdirSync(join(repo.dir, 'wandb')).filter((n) => n.startsWith('offline-run-'));
    assert.equal(folders.length, 2);
    for (const folder of folders) {
      const theirs = toolJson<{
        run_id: string;
        project: string;
        name: string;
        tags: string[];
        state: string;
        config: Record<string, unknown>;
        summary: Record<string, unknown>;
      }>('wandb', ['leet', 'inspect', '--summary', '--json', join('wandb', folder)], repo.dir);
      const run = runs.find((r) => r.location === `wandb/${folder}`)!;
      const summary = Object.fromEntries(Object.entries(flatten(theirs.summary)).filter(([k]) => !k.startsWith('_')));
      assertSameValues(
        `${folder}: wandb leet vs lineage`,
        {
          id: theirs.run_id,
          experiment: theirs.project,
          name: theirs.name,
          labels: theirs.tags,
          status: theirs.state,
          params: flatten(theirs.config),
          metrics: summary,
        },
        {
          id: run.id,
          experiment: run.experiment,
          name: run.name,
          labels: run.labels,
          status: run.status,
          params: run.params,
          metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, v]) => [k, finite(v)])),
        },
      );
    }
  });
});
