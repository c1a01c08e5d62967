import { strict as assert } from 'node:assert';
import { brancherRevisions, dulwichDateOrder } from '../../../src/core/git/brancher';
import { openRepo } from '../../../src/core/git/repo';
import { GitFixture } from '../../helpers/gitFixture';

describe('brancherRevisions (the revisions of dvc metrics show -a/-T/-A)', () => {
  let repo: GitFixture;
  let shas: string[];

  before(() => {
    repo = GitFixture.create();
    shas = [repo.commit('one', { 'a.txt': '1' }), repo.commit('two', { 'a.txt': '2' }), repo.commit('three', { 'a.txt': '3' })];
    repo.git('branch', 'zeta', shas[0]);
    repo.git('branch', 'alpha', shas[1]);
    repo.git('tag', 'v1', shas[0]);
    repo.git('tag', '-a', '-m', 'annotated', 'r1', shas[0]);
    repo.git('tag', 'blob', repo.git('hash-object', '-w', 'a.txt'));
  });
  after(() => repo.cleanup());

  it('-a -T: given revisions, branches, then tags, each sorted; one entry per commit, names joined by commas', async () => {
    const info = await openRepo(repo.dir);
    const got = await brancherRevisions(info, [{ name: 'HEAD~1', sha: shas[1] }], { allBranches: true, allTags: true });
    assert.deepEqual(got, [
      { name: 'HEAD~1,alpha', sha: shas[1] },
      { name: 'main', sha: shas[2] },
      { name: 'zeta,r1,v1', sha: shas[0] },
    ]);
  });

  it('-T alone lists tags on commits only; -A lists every commit by sha, newest first, without branch or tag names', async () => {
    const info = await openRepo(repo.dir);
    assert.deepEqual(await brancherRevisions(info, [], { allTags: true }), [{ name: 'r1,v1', sha: shas[0] }]);
    assert.deepEqual(
      await brancherRevisions(info, [], { allCommits: true, allBranches: true }),
      [...shas].reverse().map((sha) => ({ name: sha, sha })),
    );
  });
});

describe('dulwichDateOrder (the order DVC lists all commits in)', () => {
  it('newest first; commits of the same second by ascending sha; a parent only after its child', () => {
    const c = (time: number, ...parents: string[]) => ({ time, parents });
    // b and c share a second with their tips; 'a' is the root, older.
    const commits = new Map([
      ['f', c(10, 'b')],
      ['e', c(10, 'c')],
      ['b', c(10, 'a')],
      ['c', c(10, 'a')],
      ['a', c(5)],
    ]);
    assert.deepEqual(dulwichDateOrder(commits, ['f', 'e']), ['e', 'c', 'f', 'b', 'a']);
  });
});
