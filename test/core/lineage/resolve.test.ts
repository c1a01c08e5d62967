import { strict as assert } from 'node:assert';
import { parseModelSpec, resolveModelRef } from '../../../src/core/registry/resolve';
import type { ModelArtifact, ModelVersion, RegistryState } from '../../../src/core/registry/types';

function version(v: string, commit: string, extra: Partial<ModelVersion> = {}): ModelVersion {
  return {
    artifact: 'clf',
    version: v,
    commit: commit.repeat(40),
    registered: true,
    active: true,
    createdAt: 0,
    author: null,
    stages: [],
    events: [],
    ...extra,
  };
}

// Newest first, as the registry orders them.
const clf: ModelArtifact = {
  name: 'clf',
  decl: {
    name: 'clf',
    type: 'model',
    path: 'models/clf.pkl',
    virtual: true,
    labels: [],
    description: null,
    custom: null,
    file: 'artifacts.yaml',
  },
  deprecated: false,
  versions: [
    version('v2.0.0', 'c', { active: false }),
    version('v1.1.0', 'b', { stages: ['prod', 'staging'] }),
    version('v1.0.0', 'a', { stages: ['dev'] }),
  ],
  stages: { prod: ['v1.1.0'], staging: ['v1.1.0'], dev: ['v1.0.0'] },
};
const state: RegistryState = { artifacts: [clf, { ...clf, name: 'nlp:tagger', decl: null, versions: [], stages: {} }], ignored: [] };

describe('resolving MODEL[@VERSION|#STAGE]', () => {
  it('takes the latest active version for a bare name, with the previous active version for deltas', () => {
    const ref = resolveModelRef(state, 'clf');
    assert.deepEqual(ref, {
      artifact: 'clf',
      version: 'v1.1.0',
      commit: 'b'.repeat(40),
      path: 'models/clf.pkl',
      type: 'model',
      stages: ['prod', 'staging'],
      previousVersion: { version: 'v1.0.0', commit: 'a'.repeat(40) },
    });
  });

  it('takes a version with or without its v, and the version holding a stage', () => {
    assert.equal(resolveModelRef(state, 'clf@v1.0.0').commit, 'a'.repeat(40));
    assert.equal(resolveModelRef(state, 'clf@1.0.0').version, 'v1.0.0');
    assert.equal(resolveModelRef(state, 'clf@v1.0.0').previousVersion, null);
    assert.equal(resolveModelRef(state, 'clf@v2.0.0').version, 'v2.0.0', 'an inactive version can still be named');
    assert.equal(resolveModelRef(state, 'clf#dev').version, 'v1.0.0');
    assert.equal(resolveModelRef(state, 'clf#prod').version, 'v1.1.0');
  });

  it('explains what exists when the reference matches nothing', () => {
    assert.throws(() => resolveModelRef(state, 'nope'), /no model "nope" in the registry; models: clf, nlp:tagger/);
    assert.throws(() => resolveModelRef(state, 'clf@v9'), /clf has no version "v9"; versions: v2\.0\.0, v1\.1\.0, v1\.0\.0/);
    assert.throws(
      () => resolveModelRef(state, 'clf#qa'),
      /no version of clf is in stage "qa"; stages: prod \(v1\.1\.0\), staging \(v1\.1\.0\), dev \(v1\.0\.0\)/,
    );
    assert.throws(() => resolveModelRef(state, 'nlp=tagger'), /nlp:tagger has no active version/);
    assert.throws(() => resolveModelRef({ artifacts: [], ignored: [] }, 'x'), /models: none/);
  });

  it('refuses option-like, blank and malformed references before anything else', () => {
    for (const bad of ['', '-x', 'a b', 'a\nb', 'clf@', '@v1', 'clf@v1#prod', 'clf##x'])
      assert.throws(() => parseModelSpec(bad), /not a model reference/, JSON.stringify(bad));
    assert.deepEqual(parseModelSpec('dir/sub:name#prod'), { artifact: 'dir/sub:name', stage: 'prod' });
  });
});
