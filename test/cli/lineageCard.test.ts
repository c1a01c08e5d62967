// `lineage lineage MODEL[@VERSION|#STAGE]` end to end: dist/cli.js over real repositories whose
// registry is annotated Git tags made here with `git tag -a` (GTO's grammar), and the demo.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, expectOk, expectUsageError, runCli } from '../helpers/runCli';
import { generateDemoRepo } from '../../src/demo/demoRepo';
import { writeLineageProject, type LineageRepo } from '../core/lineage/lineageFixture';
import type { LineageCard } from '../../src/core/lineage/types';

describe('lineage lineage (CLI)', function () {
  this.timeout(120000);
  let repo: GitFixture;
  let project: LineageRepo;

  before(() => {
    repo = GitFixture.create();
    project = writeLineageProject(repo);
    repo.commit('Declare the model', { 'artifacts.yaml': 'sentiment:\n  type: model\n  path: models/model\n' });
    repo.git('tag', '-a', 'sentiment@v1.0.0', '-m', 'Registering artifact sentiment version v1.0.0', project.shas[0]);
    repo.git('tag', '-a', 'sentiment@v1.1.0', '-m', 'Registering artifact sentiment version v1.1.0', project.shas[1]);
    repo.git('tag', '-a', 'sentiment#prod#3', '-m', 'Assigning stage prod to artifact sentiment version v1.0.0', project.shas[0]);
  });
  after(() => repo.cleanup());

  const run = (args: string[]) => runCli(['lineage', ...args], { repo: repo.dir, store: `${repo.dir}.sqlite` });

  it('prints the five sections and the completeness line for the latest version', () => {
    const out = expectOk(run(['sentiment']));
    assert.match(out, /^sentiment v1\.1\.0 {2}commit [0-9a-f]{12} {2}path models\/model\n/);
    for (const section of [
      'Code',
      'Data',
      'Hyperparameters',
      'Metrics (change since v1.0.0)',
      'Environment',
      'MLflow model  models/model/MLmodel (dvc-cache)',
    ])
      assert.ok(out.includes(`\n${section}\n`), `${section}\n${out}`);
    assert.match(out, /metrics\.json {2}accuracy {2}0\.8 → 0\.9 {2}▲ \+0\.1 ✅/);
    assert.match(out, /data\/raw\.csv {2}[0-9a-f]{32} \(data\/raw\.csv\.dvc\)/);
    assert.match(out, /\n4 of 5 answered — environment unknown: .*reproduce with ML Lineage \(lineage repro\) or log it with MLflow\n$/);
  });

  it('resolves @VERSION and #STAGE, and prints JSON and Markdown', () => {
    const json = JSON.parse(expectOk(run(['sentiment#prod', '--json']))) as LineageCard;
    assert.equal(json.model.version, 'v1.0.0');
    assert.equal(json.model.commit, project.shas[0]);
    assert.equal(json.model.path, 'models/model');
    assert.equal(json.metrics?.previous, null);
    assert.deepEqual(
      json.completeness.missing.map((m) => m.question),
      ['environment'],
    );
    const md = expectOk(run(['sentiment@1.1.0', '--md']));
    assert.match(md, /^## Lineage of sentiment v1\.1\.0\n/);
    assert.match(md, /\| metrics\.json \| accuracy \| 0\.9 \| 0\.8 \| ▲ \+0\.1 ✅ \|/);
  });

  it('says what exists when the reference is wrong, with exit code 2', () => {
    assert.match(expectUsageError(run(['sentiment@v9'])), /sentiment has no version "v9"; versions: v1\.1\.0, v1\.0\.0/);
    assert.match(expectUsageError(run(['sentiment#qa'])), /stages: prod \(v1\.0\.0\)/);
    assert.match(expectUsageError(run(['other'])), /no model "other" in the registry; models: sentiment/);
    assert.match(expectUsageError(run(['--json'])), /one model reference/);
    assert.match(expectUsageError(run(['sentiment', '--json', '--md'])), /exclude each other/);
  });

  it("answers for the demo repository's production model, raw data from its .dvc file in the local cache", async () => {
    const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lineage-card-demo-')));
    try {
      await generateDemoRepo(path.join(tmp, 'demo'));
      const r = runCli(['lineage', 'classifier#prod', '--json'], { repo: path.join(tmp, 'demo'), store: path.join(tmp, 'demo.sqlite') });
      const card = JSON.parse(expectOk(r)) as LineageCard;
      assert.equal(card.model.version, 'v1.1.0', describeRun(r));
      assert.deepEqual(card.data?.producedBy, ['evaluate']);
      const raw = card.data?.deps.find((d) => d.path === 'data/raw.csv');
      assert.equal(raw?.producedBy, null);
      assert.equal(raw?.dvcFile?.path, 'data/raw.csv.dvc');
      assert.equal(raw?.inCache, 'yes');
      assert.ok(card.data?.deps.every((d) => !d.path.endsWith('.py')));
      assert.equal(card.metrics?.previous?.version, 'v1.0.0');
      // The demo logs an MLflow run at that commit, with the model's python_env.yaml: the
      // environment is answered from it (the demo has no lineage repro record).
      assert.equal(card.completeness.answered, 5, JSON.stringify(card.completeness.missing));
      const env = card.environment?.records.find((e) => e.source === 'mlflow');
      assert.ok(env, JSON.stringify(card.environment));
      assert.ok(env.packages.includes('scikit-learn==1.5.2') || env.facts.some(([, v]) => v.includes('3.11.9')), JSON.stringify(env));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
