import { strict as assert } from 'node:assert';
import { isDirHash, parseDvcLock } from '../../../src/core/formats/dvcLock';
import type { LockFile } from '../../../src/core/formats/dvcLock';
import type { ParseResult } from '../../../src/core/data/types';

function value(r: ParseResult<LockFile>): LockFile {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

// As written by DVC 3.x: `hash: md5`, a directory dep with .dir md5 and nfiles, a foreach stage.
const LOCK_V2 = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/raw
    deps:
    - path: data/raw
      hash: md5
      md5: 3863d0e317dee0a55c4e59d2ec0eef33.dir
      size: 4183943
      nfiles: 3
    - path: src/prepare.py
      hash: md5
      md5: F09EA0C15980B43010257CCB9F0055E2
      size: 1576
      isexec: true
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
  train@1:
    cmd:
    - python src/train.py
    - echo done
    deps:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
    params:
      params.yaml:
        train: {lr: 0.1, epochs: 10}
      conf/other.yaml:
        whole: [1, 2]
    outs:
    - path: model.pkl
      hash: md5
      md5: '12345678901234567890123456789012'
      size: 1
  '10':
    cmd: echo ten
`;

// DVC 1.x: no schema key, stages at the top level, md5 without a hash field.
const LOCK_V1 = `featurize:
  cmd: python featurize.py
  deps:
  - path: data/prepared
    md5: 153aad06d376b6595932470e459ef42a.dir
  - path: featurize.py
    md5: 12345678901234567890123456789012
  params:
    params.yaml:
      featurize.max_features: 500
  outs:
  - path: data/features
    md5: 9d2a2b0d9a4e8d1d7d3a1e1a6b0e3c4d.dir
evaluate:
  cmd: python evaluate.py
  deps:
  - path: model.pkl
    md5: ''
`;

describe('parseDvcLock', () => {
  it('reads a 2.0 lock with a directory out', () => {
    const lock = value(parseDvcLock(LOCK_V2));
    assert.equal(lock.schema, '2.0');
    assert.deepEqual(lock.order, ['prepare', 'train@1', '10']);
    const prepare = lock.stages.prepare;
    assert.equal(prepare.cmd, 'python src/prepare.py data/raw');
    assert.deepEqual(prepare.deps, [
      { path: 'data/raw', hashKind: 'md5', md5: '3863d0e317dee0a55c4e59d2ec0eef33.dir', size: 4183943, nfiles: 3 },
      { path: 'src/prepare.py', hashKind: 'md5', md5: 'f09ea0c15980b43010257ccb9f0055e2', size: 1576, isexec: true },
    ]);
    assert.deepEqual(prepare.outs, [
      { path: 'data/prepared', hashKind: 'md5', md5: '153aad06d376b6595932470e459ef42a.dir', size: 8437363, nfiles: 2 },
    ]);
    assert.ok(isDirHash(prepare.outs[0].md5));
    assert.deepEqual(prepare.params, { 'params.yaml': { 'prepare.seed': 20170428, 'prepare.split': 0.2 } });
    const train = lock.stages['train@1'];
    assert.deepEqual(train.cmd, ['python src/train.py', 'echo done']);
    assert.deepEqual(train.params, { 'params.yaml': { train: { lr: 0.1, epochs: 10 } }, 'conf/other.yaml': { whole: [1, 2] } });
    assert.equal(train.outs[0].md5, '12345678901234567890123456789012');
    assert.deepEqual(lock.stages['10'], { cmd: 'echo ten', deps: [], outs: [], params: {} });
  });

  it('reads a legacy 1.0 lock as md5-dos2unix hashes', () => {
    const lock = value(parseDvcLock(LOCK_V1));
    assert.equal(lock.schema, '1.0');
    assert.deepEqual(lock.order, ['featurize', 'evaluate']);
    const featurize = lock.stages.featurize;
    assert.deepEqual(featurize.deps, [
      { path: 'data/prepared', hashKind: 'md5-dos2unix', md5: '153aad06d376b6595932470e459ef42a.dir' },
      // Unquoted all-digit md5: YAML resolves it to a number, the source text keeps every digit.
      { path: 'featurize.py', hashKind: 'md5-dos2unix', md5: '12345678901234567890123456789012' },
    ]);
    assert.deepEqual(featurize.params, { 'params.yaml': { 'featurize.max_features': 500 } });
    assert.deepEqual(featurize.outs, [{ path: 'data/features', hashKind: 'md5-dos2unix', md5: '9d2a2b0d9a4e8d1d7d3a1e1a6b0e3c4d.dir' }]);
    // An empty md5 means "no hash yet", as DVC's schema maps '' to None.
    assert.deepEqual(lock.stages.evaluate.deps, [{ path: 'model.pkl', hashKind: 'md5-dos2unix' }]);
  });

  it('reads a 2.0 lock written by DVC 2.x (no hash field) as md5-dos2unix', () => {
    const lock = value(
      parseDvcLock(
        "schema: '2.0'\nstages:\n  s:\n    cmd: echo\n    outs:\n    - path: a.txt\n      md5: d41d8cd98f00b204e9800998ecf8427e\n      size: 0\n",
      ),
    );
    assert.deepEqual(lock.stages.s.outs, [{ path: 'a.txt', hashKind: 'md5-dos2unix', md5: 'd41d8cd98f00b204e9800998ecf8427e', size: 0 }]);
  });

  it('treats an empty file as an empty 2.0 lock', () => {
    assert.deepEqual(value(parseDvcLock('')), { schema: '2.0', stages: {}, order: [] });
  });

  it('rejects an unknown schema version', () => {
    const r = parseDvcLock('schema: 2.0\nstages: {}\n');
    assert.ok(!r.ok);
    assert.equal(r.line, 1);
    assert.match(r.message, /schema version/);
  });

  it('skips a stage without cmd, with a warning', () => {
    const r = parseDvcLock("schema: '2.0'\nstages:\n  bad:\n    deps: []\n  good:\n    cmd: echo\n");
    assert.ok(r.ok);
    assert.deepEqual(r.value.order, ['good']);
    assert.equal(r.warnings?.length, 1);
  });

  it('reports malformed YAML with its position', () => {
    const r = parseDvcLock("schema: '2.0'\nstages:\n  s:\n    cmd: echo\n   deps: []\n");
    assert.ok(!r.ok);
    assert.deepEqual([r.kind, r.line, r.column], ['error', 5, 1]);
    assert.equal(r.message, 'All mapping items must start at the same column');
  });
});
