import { strict as assert } from 'node:assert';
import { GitFixture } from '../../helpers/gitFixture';
import { readMlflowFileStore } from '../../../src/core/mlflow/mlflowFileStore';
import { readMlflowRegistry } from '../../../src/core/mlflow/mlflowLocalRegistry';

const RUN_A = 'a'.repeat(32);
const RUN_B = 'b'.repeat(32);
const RUN_C = 'c'.repeat(32);
const SHA = '0123456789abcdef0123456789abcdef01234567';

function runMeta(id: string, exp: string, extra = ''): string {
  return `artifact_uri: file:///nowhere/mlruns/${exp}/${id}/artifacts\nend_time: 1700000009000\nentry_point_name: ''\nexperiment_id: '${exp}'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: run-${id[0]}\nsource_type: 4\nstart_time: 1700000000000\nstatus: 3\ntags: []\nuser_id: alice\n${extra}`;
}

/** A file store as MLflow 2.x–3.x writes it, with one of each bad input next to good runs. */
function writeStore(repo: GitFixture): void {
  repo.write({
    'mlruns/0/meta.yaml': `artifact_location: file:///nowhere/mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n`,
    'mlruns/1/meta.yaml': `artifact_location: file:///nowhere/mlruns/1\nexperiment_id: '1'\nlifecycle_stage: active\nname: exp one\n`,
    [`mlruns/1/${RUN_A}/meta.yaml`]: runMeta(RUN_A, '1'),
    [`mlruns/1/${RUN_A}/params/lr`]: '0.01',
    [`mlruns/1/${RUN_A}/params/model/layers`]: '3',
    [`mlruns/1/${RUN_A}/params/weights`]: Buffer.from([0x01, 0x00, 0x02]),
    // Out of order on purpose; a two-field line is step 0; nan/inf as Python writes them.
    [`mlruns/1/${RUN_A}/metrics/loss`]: '1700000003000 0.5 2\n1700000001000 0.9 0\n1700000002000 0.7 1\n1700000004000 0.4 2\n',
    [`mlruns/1/${RUN_A}/metrics/old`]: '1700000001000 7.5\n',
    [`mlruns/1/${RUN_A}/metrics/weird`]: '1700000001000 nan 0\n1700000002000 inf 1\n1700000003000 -inf 2\n',
    [`mlruns/1/${RUN_A}/metrics/acc`]: '1700000001000 0.8 0\nthis is garbage\n1700000003000 0.85 1\n',
    [`mlruns/1/${RUN_A}/tags/mlflow.source.git.commit`]: SHA,
    [`mlruns/1/${RUN_A}/tags/mlflow.source.git.branch`]: 'main',
    [`mlruns/1/${RUN_A}/tags/mlflow.source.git.repoURL`]: 'git@example.com:team/repo.git',
    [`mlruns/1/${RUN_A}/tags/mlflow.source.name`]: 'train.py',
    [`mlruns/1/${RUN_A}/tags/mlflow.parentRunId`]: RUN_C,
    [`mlruns/1/${RUN_A}/tags/team/owner`]: 'vision',
    [`mlruns/1/${RUN_A}/tags/mlflow.log-model.history`]: JSON.stringify([
      {
        run_id: RUN_A,
        artifact_path: 'model',
        utc_time_created: '2024-01-01 00:00:00.000000',
        flavors: { python_function: {}, sklearn: {} },
        model_uuid: 'u1',
      },
    ]),
    [`mlruns/1/${RUN_A}/artifacts/model/MLmodel`]:
      'artifact_path: model\nflavors:\n  python_function: {}\n  sklearn: {}\nmlflow_version: 2.9.2\nmodel_uuid: u1\nutc_time_created: "2024-01-01 00:00:00.000000"\n',
    [`mlruns/1/${RUN_A}/artifacts/model/python_env.yaml`]: 'python: 3.11.7\nbuild_dependencies:\n- pip\n',
    [`mlruns/1/${RUN_A}/artifacts/model/requirements.txt`]: 'mlflow==2.9.2\n# comment\nscikit-learn==1.4.0\n',
    [`mlruns/1/${RUN_A}/artifacts/plots/roc.png`]: 'png',
    // A run with no meta.yaml: reported, the others still load.
    [`mlruns/1/${RUN_B}/params/lr`]: '0.02',
    // Deleted run, deleted experiment, and the trash: hidden.
    [`mlruns/1/${RUN_C}/meta.yaml`]: runMeta(RUN_C, '1').replace('lifecycle_stage: active', 'lifecycle_stage: deleted'),
    'mlruns/2/meta.yaml': `experiment_id: '2'\nlifecycle_stage: deleted\nname: gone\n`,
    [`mlruns/2/${RUN_B}/meta.yaml`]: runMeta(RUN_B, '2'),
    'mlruns/.trash/3/meta.yaml': `experiment_id: '3'\nlifecycle_stage: deleted\nname: trashed\n`,
    // MLflow 3 logged model, kept per experiment and pointing back at its run.
    'mlruns/1/models/m-1234/meta.yaml': `artifact_location: file:///nowhere/mlruns/1/models/m-1234/artifacts\nmodel_id: m-1234\nname: clf\nsource_run_id: ${RUN_A}\nstatus: 2\n`,
    'mlruns/1/models/m-1234/artifacts/MLmodel':
      'flavors:\n  python_function: {}\nmodel_id: m-1234\nmodel_uuid: m-1234\nutc_time_created: "2026-01-01 00:00:00"\n',
    // Registry.
    'mlruns/models/my model/meta.yaml': "aliases:\n  champion: '1'\ncreation_timestamp: 1700000000000\nname: my model\n",
    'mlruns/models/my model/aliases/champion': '1',
    'mlruns/models/my model/tags/deprecated': 'true',
    'mlruns/models/my model/version-1/meta.yaml': `creation_timestamp: 1700000001000\ncurrent_stage: Archived\nrun_id: ${RUN_A}\nsource: runs:/${RUN_A}/model\nversion: 1\n`,
    'mlruns/models/my model/version-2/meta.yaml': `creation_timestamp: 1700000002000\ncurrent_stage: Production\nrun_id: ${'d'.repeat(32)}\nsource: s3://bucket/m\nuser_id: bob\nversion: 2\n`,
    'mlruns/models/my model/version-3/source': 'no meta.yaml here',
  });
}

describe('MLflow file store reader', () => {
  let repo: GitFixture;
  beforeEach(() => {
    repo = GitFixture.create();
    writeStore(repo);
  });
  afterEach(() => repo.cleanup());

  it('reads runs with params, full metric series, tags, git, models, artifacts and environment', async () => {
    const { runs } = await readMlflowFileStore(repo.dir, 'mlruns');
    assert.deepEqual(
      runs.map((r) => r.id),
      [RUN_A],
    );
    const run = runs[0];
    assert.equal(run.location, 'mlruns');
    assert.equal(run.experiment, 'exp one');
    assert.equal(run.experimentId, '1');
    assert.equal(run.name, 'run-a');
    assert.equal(run.status, 'finished');
    assert.equal(run.user, 'alice');
    assert.equal(run.startTime, 1700000000000);
    assert.deepEqual(run.git, { commit: SHA, branch: 'main', remote: 'git@example.com:team/repo.git' });
    assert.equal(run.parentId, RUN_C);
    assert.deepEqual(run.params, { lr: '0.01', 'model/layers': '3' });
    assert.deepEqual(
      run.series.loss.map((p) => [p.step, p.value, p.timestamp]),
      [
        [0, 0.9, 1700000001000],
        [1, 0.7, 1700000002000],
        [2, 0.5, 1700000003000],
        [2, 0.4, 1700000004000],
      ],
    );
    assert.equal(run.metrics.loss, 0.4, 'latest = greatest (step, timestamp)');
    assert.deepEqual(run.series.old, [{ step: 0, value: 7.5, timestamp: 1700000001000 }]);
    assert.ok(Number.isNaN(run.series.weird[0].value));
    assert.deepEqual(
      run.series.weird.slice(1).map((p) => p.value),
      [Infinity, -Infinity],
    );
    assert.equal(run.metrics.weird, -Infinity);
    assert.deepEqual(
      run.series.acc.map((p) => p.value),
      [0.8, 0.85],
    );
    assert.equal(run.tags['team/owner'], 'vision');
    assert.deepEqual(run.artifacts, ['model/MLmodel', 'model/python_env.yaml', 'model/requirements.txt', 'plots/roc.png']);
    assert.deepEqual(run.models, [
      { artifactPath: 'model', flavors: ['python_function', 'sklearn'], modelUuid: 'u1', createdAt: '2024-01-01 00:00:00.000000' },
      { artifactPath: 'clf', flavors: ['python_function'], modelUuid: 'm-1234', createdAt: '2026-01-01 00:00:00' },
    ]);
    assert.deepEqual(run.environment, {
      source: 'train.py',
      mlflowVersion: '2.9.2',
      python: '3.11.7',
      requirements: ['mlflow==2.9.2', 'scikit-learn==1.4.0'],
    });
  });

  it('names the file (and line) of every bad input and keeps the rest', async () => {
    const { problems } = await readMlflowFileStore(repo.dir, 'mlruns');
    const text = problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.message}`).sort();
    assert.deepEqual(text, [
      `mlruns/1/${RUN_A}/metrics/acc:2 not "<timestamp> <value> <step>": "this is garbage"; line skipped`,
      `mlruns/1/${RUN_A}/params/weights binary content (NUL bytes) where MLflow writes text; skipped`,
      `mlruns/1/${RUN_B}/meta.yaml run folder has no meta.yaml; run skipped`,
    ]);
  });

  it('keeps a run whose mlflow.log-model.history tag is not JSON, with a problem naming it', async () => {
    repo.write({
      'other/1/meta.yaml': `experiment_id: '1'\nlifecycle_stage: active\nname: e\n`,
      [`other/1/${RUN_B}/meta.yaml`]: runMeta(RUN_B, '1'),
      [`other/1/${RUN_B}/tags/mlflow.log-model.history`]: '[{"artifact_path": "m"',
    });
    const { runs, problems } = await readMlflowFileStore(repo.dir, 'other');
    assert.deepEqual(
      runs.map((r) => [r.id, r.models]),
      [[RUN_B, []]],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, `other/1/${RUN_B}/tags/mlflow.log-model.history`);
    assert.match(problems[0].message, new RegExp(`^run ${RUN_B}: tag mlflow.log-model.history is not JSON: `));
  });

  it('reports a missing store folder instead of throwing', async () => {
    const { runs, problems } = await readMlflowFileStore(repo.dir, 'nope');
    assert.equal(runs.length, 0);
    assert.equal(problems[0].file, 'nope');
  });

  it('reads the registry under mlruns/models: stages, aliases, deprecation, source commits', async () => {
    const { state, problems } = await readMlflowRegistry(repo.dir, 'mlruns');
    assert.deepEqual(
      problems.map((p) => `${p.file} ${p.message}`),
      ['mlruns/models/my model/version-3/meta.yaml model version folder has no meta.yaml; skipped'],
    );
    assert.equal(state.artifacts.length, 1);
    const model = state.artifacts[0];
    assert.equal(model.name, 'my model');
    assert.equal(model.deprecated, true);
    assert.deepEqual(
      model.versions.map((v) => [v.version, v.commit, v.stages, v.createdAt, v.author]),
      [
        ['2', '', ['Production'], 1700000002, 'bob'],
        ['1', SHA, ['champion'], 1700000001, null],
      ],
    );
    assert.deepEqual(model.stages, { Production: ['2'], champion: ['1'] });
  });
});
