import { strict as assert } from 'node:assert';
import { globToRegExp, notExcluded } from '../../../src/core/util/glob';
import { GitFixture, PIPELINE, metrics } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { valuesAt } from '../../../src/core/query/values';

describe('path exclusion (lineage.excludePaths)', () => {
  it('matches globs like .gitignore: * within a folder, ** across, bare names anywhere, folders with all below', () => {
    const cases: [string, string, boolean][] = [
      ['eval/*.json', 'eval/metrics.json', true],
      ['eval/*.json', 'eval/sub/metrics.json', false],
      ['eval/**/*.json', 'eval/sub/deep/m.json', true],
      ['eval/**/*.json', 'eval/m.json', true],
      ['*.bak.json', 'a/b/c.bak.json', true],
      ['data', 'data/raw/x.json', true],
      ['data', 'mydata/x.json', false],
      ['data/raw/', 'data/raw/x.json', true],
      ['m?.json', 'm1.json', true],
      ['a.b', 'axb', false],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globToRegExp(glob).test(path), expected, `${glob} vs ${path}`);
    assert.equal(notExcluded([])('anything'), true);
    assert.equal(notExcluded(['', 'x'])('x/y'), false);
  });

  it('leaves excluded files out of history and the workspace', async () => {
    const repo = GitFixture.create();
    const sha = repo.commit('a', { 'dvc.yaml': PIPELINE, 'metrics.json': metrics(0.5, 0.5), 'eval/scores.yaml': 'auc: 0.9\n' });
    const { store } = await indexFolder(repo.dir, { excludePaths: ['eval'] });
    try {
      for (const rev of [sha, 'workspace']) {
        const values = valuesAt(store, rev, 'metrics').values;
        assert.deepEqual(Object.keys(values), ['metrics.json'], rev);
      }
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});
