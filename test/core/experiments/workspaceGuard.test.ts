// The guard every exp apply write goes through: a file is replaced or removed only when what it
// holds right now is recorded in Git; anything else is refused and left as it is.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { GuardError, removeRecorded, replaceRecorded, workspaceFiles } from '../../../src/core/experiments/workspaceGuard';

describe('exp apply: the work tree guard', () => {
  let repo: GitFixture;
  beforeEach(() => {
    repo = GitFixture.create();
    repo.commit('files', { 'a.txt': 'committed\n', 'b.txt': 'also\n' });
  });
  afterEach(() => repo.cleanup());

  const recorded = () => new Set([repo.git('rev-parse', 'HEAD:a.txt'), repo.git('rev-parse', 'HEAD:b.txt')]);

  it('hashes work tree files as Git stores them', async () => {
    const files = await workspaceFiles(repo.dir, ['a.txt', 'missing.txt']);
    assert.deepEqual(files.get('a.txt'), { kind: 'file', blob: repo.git('rev-parse', 'HEAD:a.txt') });
    assert.deepEqual(files.get('missing.txt'), {});
  });

  it('replaces and removes recorded content; refuses content Git has not recorded', async () => {
    const staged = join(repo.dir, '.staged');
    writeFileSync(staged, 'from the experiment\n');
    await replaceRecorded(repo.dir, 'a.txt', staged, recorded());
    assert.equal(readFileSync(join(repo.dir, 'a.txt'), 'utf8'), 'from the experiment\n');

    writeFileSync(join(repo.dir, 'b.txt'), 'edited, not committed\n');
    writeFileSync(staged, 'would overwrite\n');
    await assert.rejects(() => replaceRecorded(repo.dir, 'b.txt', staged, recorded()), GuardError);
    await assert.rejects(() => removeRecorded(repo.dir, 'b.txt', recorded()), GuardError);
    assert.equal(readFileSync(join(repo.dir, 'b.txt'), 'utf8'), 'edited, not committed\n');

    repo.git('checkout', '--', 'b.txt');
    assert.equal(await removeRecorded(repo.dir, 'b.txt', recorded()), true);
    assert.equal(existsSync(join(repo.dir, 'b.txt')), false);
    await assert.rejects(() => replaceRecorded(repo.dir, '.git/config', staged, recorded()), GuardError);
  });
});
