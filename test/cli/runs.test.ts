// `lineage runs` and run revisions in `metrics diff` / `params diff`, through the bundled CLI
// (dist/cli.js) over a real Git repository with real MLflow file-store folders.

import { strict as assert } from 'node:assert';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, expectOk, expectUsageError, runCli, type CliOptions } from '../helpers/runCli';
import { writeMlflowRun } from '../core/runs/mlflowFolders';
import { parseJsonPython } from '../../src/core/python/jsonPython';

const LINKED = 'aa11bb22cc33dd44ee55ff6677889900';
const LOOSE = 'bb22cc33dd44ee55ff6677889900aa11';

describe('lineage runs (dist/cli.js)', function () {
  this.timeout(120000);
  let repo: GitFixture;
  let tmp: string;
  let head: string;
  let opts: CliOptions;

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lineage-cli-runs-')));
    repo = GitFixture.create();
    head = repo.commit('train', {
      'metrics.json': '{"acc": 0.8, "loss": 0.4}\n',
      'params.yaml': 'lr: 0.01\nepochs: 10\n',
      'dvc.yaml': 'metrics:\n- metrics.json\nparams:\n- params.yaml\n',
    });
    writeMlflowRun(repo.dir, 'mlruns', {
      id: LINKED,
      name: 'bright-fox',
      experiment: 'churn',
      start: Date.UTC(2025, 0, 2, 9, 30),
      params: { lr: '0.02', epochs: '10' },
      metrics: {
        acc: [
          [1, '0.7', 0],
          [2, '0.9', 1],
        ],
        loss: [[1, 'nan', 0]],
      },
      tags: { 'mlflow.source.git.commit': head },
    });
    writeMlflowRun(repo.dir, 'mlruns', {
      id: LOOSE,
      name: 'lone-owl',
      experiment: 'churn',
      start: Date.UTC(2025, 0, 3, 9, 30),
      params: { lr: '0.05', epochs: '10' },
      metrics: { acc: [[1, '0.85', 0]] },
    });
    opts = { repo: repo.dir, store: path.join(tmp, 'index.sqlite'), env: { MLFLOW_TRACKING_URI: '', MLFLOW_TRACKING_TOKEN: '' } };
  });
  after(() => {
    repo.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists runs newest first with experiment, status, commit or "unlinked", start and headline metrics', () => {
    const out = expectOk(runCli(['runs'], opts));
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0], /^Source\s+Experiment\s+Run\s+Status\s+Commit\s+Started \(UTC\)\s+acc\s+loss$/);
    assert.match(
      lines[1],
      new RegExp(`^mlflow\\s+churn\\s+lone-owl \\(${LOOSE.slice(0, 8)}\\)\\s+finished\\s+unlinked\\s+2025-01-03 09:30\\s+0\\.85\\s+—$`),
    );
    assert.match(
      lines[2],
      new RegExp(
        `^mlflow\\s+churn\\s+bright-fox \\(${LINKED.slice(0, 8)}\\)\\s+finished\\s+${head.slice(0, 7)}\\s+2025-01-02 09:30\\s+0\\.9\\s+NaN$`,
      ),
    );
    assert.equal(lines.length, 3);
  });

  it('filters by commit and source; --json prints full runs with non-finite values as strings', () => {
    const byCommit = JSON.parse(expectOk(runCli(['runs', '--commit', 'HEAD', '--json'], opts))) as {
      id: string;
      metrics: Record<string, unknown>;
      series: Record<string, unknown[]>;
      git: { commit: string };
    }[];
    assert.deepEqual(
      byCommit.map((r) => r.id),
      [LINKED],
    );
    assert.deepEqual(byCommit[0].metrics, { acc: 0.9, loss: 'NaN' });
    assert.equal(byCommit[0].series.acc.length, 2);
    assert.equal(byCommit[0].git.commit, head);
    assert.equal(
      expectOk(runCli(['runs', '--source', 'wandb'], opts)),
      'No W&B runs found (looked for mlruns/, mlflow.db, wandb/ and .wandb/).\n',
    );
    expectUsageError(runCli(['runs', '--source', 'comet'], opts));
  });

  it('diffs two runs, and a run against a commit, with DVC diff semantics', () => {
    // DVC's --json writes NaN bare (Python's json), which JSON.parse refuses: read it as Python does.
    const parsed = parseJsonPython(expectOk(runCli(['metrics', 'diff', `mlflow:${LINKED}`, 'mlflow:churn/lone-owl', '--json'], opts)));
    assert.ok(parsed.ok);
    const runs = parsed.value as { metrics: Record<string, { old: unknown; new: unknown; diff?: number }> };
    assert.ok(Number.isNaN(runs.metrics.loss.old) && runs.metrics.loss.new === null, JSON.stringify(runs));
    assert.equal(runs.metrics.acc.old, 0.9);
    assert.equal(runs.metrics.acc.new, 0.85);
    assert.ok(Math.abs(runs.metrics.acc.diff! + 0.05) < 1e-12, JSON.stringify(runs));
    const params = JSON.parse(expectOk(runCli(['params', 'diff', 'HEAD', `mlflow:${LINKED}`, '--json'], opts)));
    // MLflow logged "10" for epochs: equal to params.yaml's 10, so only lr changed.
    assert.deepEqual(params, { params: { lr: { old: 0.01, new: 0.02, diff: 0.01 } } });
    const table = expectOk(runCli(['metrics', 'diff', 'HEAD', `mlflow:${LINKED.slice(0, 10)}`], opts));
    assert.match(table, /metrics\s+acc\s+0\.8\s+0\.9\s+0\.1/, table);
    assert.match(table.split('\n')[0], /HEAD\s+mlflow:aa11bb22cc\s+Change/, table);
  });

  it('names an unknown or malformed run, and a non-http tracking URI, as usage errors', () => {
    const unknown = expectUsageError(runCli(['metrics', 'diff', 'mlflow:nope', 'HEAD'], opts));
    assert.match(unknown, /unknown run "mlflow:nope"/);
    const uri = expectUsageError(runCli(['runs', '--mlflow-uri', 'file:///tmp/mlruns'], opts));
    assert.match(uri, /not an http\(s\) server/);
  });

  it('reports what a reader could not read as warnings, and still lists the rest', () => {
    repo.write({ [`mlruns/1/${LOOSE}/metrics/bad`]: '1 not-a-number 0\n' });
    const r = runCli(['runs'], opts);
    assert.equal(r.status, 0, describeRun(r));
    assert.match(r.stderr, /^warning: mlruns\/1\/bb22cc33dd44ee55ff6677889900aa11\/metrics\/bad(:1)?: .+/m, describeRun(r));
    assert.match(r.stdout, /bright-fox/);
    repo.remove(`mlruns/1/${LOOSE}/metrics/bad`);
  });
});
