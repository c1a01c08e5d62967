import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { buildLineageCard } from '../../../src/core/lineage/card';
import { mlmodelCandidates } from '../../../src/core/lineage/mlmodelAt';
import { parseMLmodel } from '../../../src/core/mlflow/mlmodel';
import { MLMODEL } from './lineageFixture';

describe('MLmodel files', () => {
  it('parses flavors, metadata and the JSON-string signature (columns, tensors, params)', () => {
    const { info, problems } = parseMLmodel(MLMODEL, 'model/MLmodel', 'git');
    assert.deepEqual(problems, []);
    assert.ok(info);
    assert.equal(info.runId, '0a1b2c3d4e5f');
    assert.equal(info.mlflowVersion, '2.16.2');
    assert.equal(info.modelSizeBytes, 1234);
    assert.equal(info.createdAt, '2024-09-01 10:00:00.000000');
    const pyfunc = info.flavors.find((f) => f.name === 'python_function');
    assert.deepEqual(
      pyfunc?.details.find(([k]) => k === 'python_version'),
      ['python_version', '3.11.9'],
    );
    assert.ok(!pyfunc?.details.some(([k]) => k === 'env'), 'nested settings are not flattened into text');
    assert.deepEqual(info.signature?.outputs, [{ name: null, type: 'tensor int64', required: null, shape: [-1], default: null }]);
    assert.deepEqual(info.signature?.params, [{ name: 'threshold', type: 'double', required: null, shape: null, default: '0.5' }]);
  });

  it('reads the MLmodel that MLflow 3.17.2 wrote for a scikit-learn model (mlflow.sklearn.save_model, fixtures/)', () => {
    // Written by the real tool: infer_signature over a DataFrame, the predictions, and params.
    const text = readFileSync(
      join(__dirname, '..', '..', '..', '..', 'test', 'core', 'lineage', 'fixtures', 'MLmodel.mlflow-3.17.2'),
      'utf8',
    );
    const { info, problems } = parseMLmodel(text, 'model/MLmodel', 'git');
    assert.deepEqual(problems, []);
    assert.equal(info?.mlflowVersion, '3.17.2');
    assert.deepEqual(
      info?.flavors.map((f) => f.name),
      ['python_function', 'sklearn'],
    );
    assert.deepEqual(info?.signature?.inputs, [{ name: 'sepal length', type: 'double', required: true, shape: null, default: null }]);
    assert.deepEqual(
      info?.signature?.outputs?.map((f) => [f.type, f.shape]),
      [['tensor int64', [-1]]],
    );
    assert.deepEqual(
      info?.signature?.params?.map((f) => [f.name, f.type, f.default]),
      [['threshold', 'double', '0.5']],
    );
  });

  it('keeps what it can from a bad signature and names the part that is wrong', () => {
    const text = `flavors:\n  python_function: {loader_module: x}\nsignature:\n  inputs: '[{"type": "double", "name": "a"'\n  outputs: '{"type": "long"}'\n  params: '[{"name": "no type"}]'\n`;
    const { info, problems } = parseMLmodel(text, 'm/MLmodel', 'git', 'm/MLmodel at 1234abcd');
    assert.deepEqual(
      info?.flavors.map((f) => f.name),
      ['python_function'],
    );
    assert.equal(info?.signature?.inputs, null);
    assert.equal(info?.signature?.outputs, null);
    assert.deepEqual(info?.signature?.params, []);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /^m\/MLmodel at 1234abcd: signature inputs is not valid JSON/);
    assert.match(problems[1], /signature outputs is not a list/);
    assert.match(problems[2], /signature params\[0\] has no type/);
  });

  it('reports YAML that does not parse with its line, and a non-mapping document', () => {
    const broken = parseMLmodel('flavors:\n  sklearn: {a: 1\nrun_id: x\n', 'MLmodel', 'git');
    assert.equal(broken.info, null);
    assert.match(broken.problems[0], /^MLmodel, line \d+: not valid YAML/);
    const list = parseMLmodel('- a\n- b\n', 'MLmodel', 'git');
    assert.match(list.problems[0], /a YAML mapping .* this is a list/);
    const noFlavors = parseMLmodel('run_id: 1\n', 'MLmodel', 'git');
    assert.match(noFlavors.problems[0], /no flavors mapping/);
  });

  it('looks in the model folder, beside a model file, and refuses paths leaving the repository', () => {
    assert.deepEqual(mlmodelCandidates('models/clf'), ['models/clf/MLmodel', 'models/MLmodel']);
    assert.deepEqual(mlmodelCandidates('models/clf/MLmodel'), ['models/clf/MLmodel']);
    assert.deepEqual(mlmodelCandidates('model.pkl'), ['model.pkl/MLmodel']);
    assert.deepEqual(mlmodelCandidates('../outside'), []);
  });

  it('reads an MLmodel committed to Git, and turns a malformed one into a problem line on the card', async () => {
    const repo = GitFixture.create();
    const good = repo.commit('model', {
      'clf/MLmodel': MLMODEL,
      'clf/model.pkl': 'x',
      'artifacts.yaml': 'clf:\n  type: model\n  path: clf/model.pkl\n',
    });
    const bad = repo.commit('broken model', { 'clf/MLmodel': 'flavors: [\n' });
    // A path whose MLmodel is neither in Git nor a DVC out (the workspace holds it, untracked).
    const ws1 = repo.commit('declare ws', { 'artifacts.yaml': 'clf:\n  type: model\n  path: ws\n' });
    const ws2 = repo.commit('later', { 'n.txt': '2' });
    const { store } = await indexFolder(repo.dir);
    try {
      const ref = { artifact: 'clf', version: 'v1', commit: good, path: null, type: null, stages: [], previousVersion: null };
      const card = await buildLineageCard(ref, { store, root: repo.dir });
      assert.equal(card.mlmodel?.source, 'git');
      assert.equal(card.mlmodel?.file, 'clf/MLmodel');
      const broken = await buildLineageCard({ ...ref, commit: bad }, { store, root: repo.dir });
      assert.equal(broken.mlmodel, null);
      assert.equal(broken.problems.length, 1);
      assert.match(broken.problems[0], new RegExp(`^clf/MLmodel \\(Git at ${bad.slice(0, 8)}\\), line \\d+: not valid YAML`));
      assert.ok(broken.code, 'the other answers still come');
      // Only the checked-out commit may take the workspace's file.
      repo.write({ 'ws/MLmodel': MLMODEL });
      assert.equal((await buildLineageCard({ ...ref, commit: ws2 }, { store, root: repo.dir, head: ws2 })).mlmodel?.source, 'workspace');
      assert.equal((await buildLineageCard({ ...ref, commit: ws1 }, { store, root: repo.dir, head: ws2 })).mlmodel, null);
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});
