import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { openDatabase } from '../../../src/core/store/driver';
import { readLocalMlflowRegistries } from '../../../src/core/mlflow/mlflowRegistries';
import { MLFLOW_DDL } from './mlflowDdl';

const RUN = 'a'.repeat(32);

function db(file: string, models: string[]): void {
  const d = openDatabase(file);
  try {
    d.exec(MLFLOW_DDL);
    for (const m of models) {
      d.prepare('INSERT INTO registered_models (name, creation_time) VALUES (?, 1)').run(m);
      d.prepare(
        `INSERT INTO model_versions (name, version, creation_time, current_stage, source, run_id, status) VALUES (?, 1, 1000, 'Staging', ?, ?, 'READY')`,
      ).run(m, `runs:/${RUN}/model`, RUN);
    }
  } finally {
    d.close();
  }
}

describe('local MLflow registries in a workspace', () => {
  let repo: GitFixture;
  before(() => {
    repo = GitFixture.create();
    repo.write({
      // Runs only: no registry, skipped without reading a run.
      'runs-only/mlruns/1/meta.yaml': `experiment_id: '1'\nlifecycle_stage: active\nname: e\n`,
      'mlruns/models/clf/meta.yaml': 'name: clf\n',
      'mlruns/models/clf/version-1/meta.yaml': `current_stage: Production\nrun_id: ${RUN}\nsource: runs:/${RUN}/model\nversion: 1\n`,
      'mlruns/models/broken/version-1/meta.yaml': 'version: 1\n',
      'excluded/mlruns/models/x/meta.yaml': 'name: x\n',
      'node_modules/pkg/mlruns/models/y/meta.yaml': 'name: y\n',
      'empty/x': '',
      'proj/x': '',
    });
    db(join(repo.dir, 'empty', 'mlflow.db'), []);
    db(join(repo.dir, 'proj', 'mlflow.db'), ['reg']);
  });
  after(() => repo.cleanup());

  it('keeps stores with a registry, where the runs index looks, and names bad input', async () => {
    const found = await readLocalMlflowRegistries(repo.dir, { excludePaths: ['excluded/**'] });
    assert.deepEqual(
      found.map((r) => [r.location, r.format, r.state.artifacts.map((a) => a.name)]),
      [
        ['mlruns', 'mlflow-files', ['clf']],
        ['proj/mlflow.db', 'mlflow-sqlite', ['reg']],
      ],
    );
    assert.deepEqual(
      found[0].problems.map((p) => `${p.file} ${p.message}`),
      ['mlruns/models/broken/meta.yaml registered model folder has no meta.yaml; skipped'],
    );
    const v = found[1].state.artifacts[0].versions[0];
    assert.deepEqual([v.version, v.stages, v.runId, v.source, v.commit], ['1', ['Staging'], RUN, `runs:/${RUN}/model`, '']);
  });
});
