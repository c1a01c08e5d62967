// Params past 2^53 in a real repository: status, repro, dvc.lock and the index see a change
// of 9007199254740993 -> 9007199254740992 (one double, two Python ints), as DVC does.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { Store } from '../../../src/core/store/store';
import { reproduce } from '../../../src/core/repro/runner';
import { stageStatuses, toDvcStatusJson } from '../../../src/core/repro/status';
import { createReproIO } from '../../../src/core/repro/reproIO';
import { indexRepository } from '../../../src/core/indexer/indexer';
import { openRepo } from '../../../src/core/git/repo';
import { valuesAt } from '../../../src/core/query/values';
import { diffValues } from '../../../src/core/diff/diff';
import { WORKSPACE } from '../../../src/core/indexer/writeRevision';

const PIPELINE = `stages:
  train:
    cmd: cat params.yaml params.toml > model.txt
    params:
    - seed
    - params.toml:
    outs:
    - model.txt
`;

const TOML =
  'big = 9223372036854775808\nhuge = 100000000000000000000000000000\nneg = -9223372036854775809\nf300 = 1e300\ntiny = 1e-7\ne16 = 1e16\n';

describe('repro and status with params past 2^53', function () {
  this.timeout(30000);
  let repo: GitFixture;
  let store: Store;

  before(() => {
    repo = GitFixture.create();
    repo.commit('pipeline', { '.dvc/config': '', 'dvc.yaml': PIPELINE, 'params.yaml': 'seed: 9007199254740993\n', 'params.toml': TOML });
    store = Store.open(join(repo.dir, '.git', 'lineage-test.sqlite'));
  });
  after(() => {
    store.close();
    repo.cleanup();
  });

  const status = async () => toDvcStatusJson((await stageStatuses(repo.dir, createReproIO(repo.dir, store))).stages);
  const repro = () => reproduce(repo.dir, createReproIO(repo.dir, store), { targets: [] }, () => undefined, { store });
  const lock = () => readFileSync(join(repo.dir, 'dvc.lock'), 'utf8');

  it('records the exact values in dvc.lock, as DVC writes them, and is up to date after', async () => {
    assert.deepEqual(await repro(), { ok: true, ran: ['train'], skipped: [] });
    // What DVC 3.67.1 writes for these files (ruamel: ints with all digits, floats as repr).
    assert.match(
      lock(),
      /params:\n      params\.yaml:\n        seed: 9007199254740993\n      params\.toml:\n        big: 9223372036854775808\n        e16: 1e\+16\n        f300: 1e\+300\n        huge: 100000000000000000000000000000\n        neg: -9223372036854775809\n        tiny: 1e-07\n/,
    );
    assert.deepEqual(await status(), {});
    assert.deepEqual(await repro(), { ok: true, ran: [], skipped: ['train'] });
    repo.commit('ran', { 'dvc.lock': lock(), 'model.txt': readFileSync(join(repo.dir, 'model.txt')) });
  });

  it('sees 9007199254740993 -> 9007199254740992 as modified and runs the stage again', async () => {
    writeFileSync(join(repo.dir, 'params.yaml'), 'seed: 9007199254740992\n');
    assert.deepEqual(await status(), { train: [{ 'changed deps': { 'params.yaml': { seed: 'modified' } } }] });
    assert.deepEqual(await repro(), { ok: true, ran: ['train'], skipped: [] });
    assert.match(lock(), /params\.yaml:\n        seed: 9007199254740992\n/);
    assert.deepEqual(await status(), {});
  });

  it('sees a TOML int past int64 change, and an equal value written another way as unchanged', async () => {
    writeFileSync(
      join(repo.dir, 'params.toml'),
      TOML.replace('big = 9223372036854775808', 'big = 9223372036854775809').replace('e16 = 1e16', 'e16 = 1.0e16'),
    );
    assert.deepEqual(await status(), { train: [{ 'changed deps': { 'params.toml': { big: 'modified' } } }] });
    writeFileSync(join(repo.dir, 'params.toml'), TOML);
    assert.deepEqual(await status(), {});
  });

  it('the index keeps the exact values: params diff HEAD~1 vs the workspace reports the change', async () => {
    await indexRepository(await openRepo(repo.dir), store);
    const head = repo.git('rev-parse', 'HEAD').trim();
    const before = valuesAt(store, head, 'params', { exact: true }).values;
    assert.equal(before['params.yaml'].seed, 9007199254740993n);
    assert.deepEqual(before['params.toml'], {
      big: 2n ** 63n,
      huge: 10n ** 29n,
      neg: -(2n ** 63n) - 1n,
      f300: 1e300,
      tiny: 1e-7,
      e16: 1e16,
    });
    const now = valuesAt(store, WORKSPACE, 'params', { exact: true }).values;
    assert.deepEqual(diffValues(before, now), { 'params.yaml': { seed: { old: 9007199254740993n, new: 9007199254740992n, diff: -1 } } });
    assert.equal(
      valuesAt(store, head, 'params').values['params.yaml'].seed,
      9007199254740992,
      'readers that do not ask get the nearest number',
    );
  });
});
