import { strict as assert } from 'node:assert';
import type { LocalMlflowRegistry } from '../../src/core/mlflow/mlflowRegistries';
import type { ModelArtifact, ModelVersion } from '../../src/core/registry/types';
import {
  isLocalMlflowNode,
  mlflowContextValue,
  mlflowModelDescription,
  mlflowModelNodes,
  mlflowStoreDescription,
  mlflowStoreLabel,
  mlflowStoreNodes,
  mlflowVersionDescription,
  mlflowVersionNodes,
} from '../../src/extension/models/mlflowLocalNodes';
import type { LocalMlflowNode, ModelContext } from '../../src/extension/models/modelNodeTypes';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const version = (v: string, commit: string, stages: string[]): ModelVersion => ({
  artifact: 'clf',
  version: v,
  commit,
  registered: true,
  active: true,
  createdAt: 0,
  author: null,
  stages,
  events: [],
});
const clf: ModelArtifact = {
  name: 'clf',
  decl: null,
  deprecated: false,
  versions: [version('2', '', ['champion']), version('1', SHA, ['Production', 'candidate'])],
  stages: {},
};
const old: ModelArtifact = { name: 'old', decl: null, deprecated: true, versions: [], stages: {} };
const registry: LocalMlflowRegistry = {
  location: 'sub/mlflow.db',
  format: 'mlflow-sqlite',
  state: { artifacts: [clf, old], ignored: [] },
  problems: [{ file: 'sub/mlflow.db', message: 'x' }],
};
// Only the fields the pure functions pass along; the tree provider gives the real folder engine.
const ctx = { backend: 'git', root: '/r' } as unknown as ModelContext;

function of<K extends LocalMlflowNode['kind']>(node: LocalMlflowNode, kind: K): Extract<LocalMlflowNode, { kind: K }> {
  assert.equal(node.kind, kind);
  return node as Extract<LocalMlflowNode, { kind: K }>;
}

describe('Models view: local MLflow registry nodes (pure)', () => {
  it('store → models → versions, with labels, badges and the commit when known', () => {
    const store = of(mlflowStoreNodes(ctx, [registry])[0], 'mlflowStore');
    assert.ok(isLocalMlflowNode(store));
    assert.equal(mlflowStoreLabel(registry), 'MLflow registry (sub/mlflow.db)');
    assert.equal(mlflowStoreDescription(registry, null), 'read-only · 2 models · 1 problem');
    assert.equal(
      mlflowStoreDescription({ ...registry, problems: [], state: { artifacts: [old], ignored: [] } }, 'ws'),
      'read-only · 1 model · ws',
    );
    const models = mlflowModelNodes(store);
    assert.deepEqual(
      models.map((m) => m.kind === 'mlflowModel' && [m.artifact.name, mlflowModelDescription(m.artifact)]),
      [
        ['clf', 'version 2'],
        ['old', 'deprecated'],
      ],
    );
    const versions = mlflowVersionNodes(of(models[0], 'mlflowModel'), 'file:///r');
    assert.deepEqual(
      versions.map((v) => v.kind === 'mlflowVersion' && [v.version.version, mlflowVersionDescription(v.version), v.folder, v.ref.commit]),
      [
        ['2', 'champion  commit unknown', 'file:///r', ''],
        ['1', 'Production · candidate  01234567', 'file:///r', SHA],
      ],
    );
    assert.equal(mlflowVersionDescription(version('3', '', [])), 'commit unknown');
  });

  it('menus: read-only prefixes no write command matches; Show Lineage only with a known commit', () => {
    const store = of(mlflowStoreNodes(ctx, [registry])[0], 'mlflowStore');
    const model = of(mlflowModelNodes(store)[0], 'mlflowModel');
    const [unknown, known] = mlflowVersionNodes(model, 'file:///r');
    const values = [store, model, unknown, known].map(mlflowContextValue);
    assert.deepEqual(values, [
      'lineage.mlflowLocalRegistry readonly',
      'lineage.mlflowLocalModel readonly',
      'lineage.mlflowLocalVersion readonly',
      'lineage.mlflowLocalVersion readonly hasCommit',
    ]);
    // The `when` clauses of register, promote, rollback and deprecate in package.json.
    for (const v of values) assert.ok(!/^lineage\.model\b/.test(v) && !/^lineage\.modelVersion/.test(v), v);
    assert.ok(!isLocalMlflowNode({ kind: 'model' }) && !isLocalMlflowNode({ kind: 'version' }));
  });
});
