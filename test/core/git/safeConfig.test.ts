import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture, PIPELINE, metrics } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';

describe('reading a repository never runs its configured commands', () => {
  it('an fsmonitor hook in .git/config does not run during indexing (git status and ls-files included)', async () => {
    const repo = GitFixture.create();
    repo.commit('a', { 'dvc.yaml': PIPELINE, 'metrics.json': metrics(0.5, 0.5) });
    const marker = join(repo.dir, '..', `${repo.dir.split('/').pop()}-pwned`);
    // Control: git itself runs the hook when nothing overrides it.
    repo.git('config', 'core.fsmonitor', `touch ${marker}-control; echo`);
    repo.git('status', '--porcelain');
    assert.ok(existsSync(`${marker}-control`), 'the hook runs under plain git status (the test can fail)');
    repo.git('config', 'core.fsmonitor', `touch ${marker}; echo`);
    const { store } = await indexFolder(repo.dir);
    store.close();
    assert.equal(existsSync(marker), false);
    repo.cleanup();
  });
});
