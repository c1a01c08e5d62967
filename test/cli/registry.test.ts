import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/runCli';
import { registryRepo } from '../core/registry/registryFixture';

describe('lineage registry / register / assign / unassign / rollback / deprecate', function () {
  this.timeout(120000);

  it('writes a registry history and shows it as a table and as gto show --json', () => {
    const {
      repo,
      commits: [c1, c2],
    } = registryRepo();
    try {
      const ok = (...args: string[]) => {
        const r = runCli(args, { repo: repo.dir });
        assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr, '');
        return r.stdout;
      };
      assert.match(ok('register', 'clf', c1), /^Registered clf v0\.0\.1 at [0-9a-f]{7} \(tag clf@v0\.0\.1\)\n$/);
      assert.match(ok('register', 'clf', c2, '--bump', 'major'), /Registered clf v1\.0\.0/);
      assert.match(ok('assign', 'clf@v0.0.1', 'prod'), /^Assigned prod to clf v0\.0\.1 \(tag clf#prod#1\)\n$/);
      assert.match(
        ok('assign', 'clf', 'prod', c2),
        /^Assigned prod to clf v1\.0\.0 \(unassigned from v0\.0\.1\) \(tags clf#prod!#2, clf#prod#3\)\n$/,
      );
      assert.match(ok('assign', 'clf', 'staging'), /^Registered clf v1\.0\.1 at .*; Assigned staging to clf v1\.0\.1/);
      assert.match(ok('rollback', 'clf', 'prod'), /^Rolled clf prod back to v0\.0\.1 \(from v1\.0\.0\)/);
      assert.match(ok('unassign', 'clf@v1.0.1', 'staging'), /Unassigned staging from clf v1\.0\.1/);
      assert.equal(ok('registry'), 'model  latest  stages\nclf    v1.0.1  prod: v0.0.1\n');
      assert.equal(
        ok('registry', '--json'),
        JSON.stringify({ clf: { version: 'v1.0.1', stage: { prod: 'v0.0.1' }, registered: true, active: true } }, null, 4) + '\n',
      );
      const history = JSON.parse(ok('registry', '--history', '--json')) as { event: string; ref: string }[];
      assert.equal(history.length, 10);
      assert.deepEqual(history[0], { ...history[0], event: 'unassignment', ref: 'clf#staging!#7' });
      assert.match(ok('deprecate', 'clf'), /Deprecated clf \(tag clf@deprecated\)/);
      assert.equal(ok('registry'), 'model  latest  stages\nclf    v1.0.1  deprecated\n');
    } finally {
      repo.cleanup();
    }
  });

  it('bad input: exit 2 and one line on stderr, no tag written', () => {
    const {
      repo,
      commits: [c1],
    } = registryRepo();
    try {
      const cases: [string[], RegExp][] = [
        [['register', 'a b'], /invalid artifact name "a b"/],
        [['register', 'clf', '--version', '1.0'], /invalid version "1\.0"/],
        [['register', 'clf', '--bump', 'huge'], /--bump must be patch, minor or major/],
        [['register', 'clf', 'nope'], /revision "nope" is not a commit/],
        [['register', 'clf', '--push=--upload-pack=x'], /invalid remote "--upload-pack=x"/],
        [['assign', 'clf@v9.0.0', 'prod'], /clf v9\.0\.0 is not registered/],
        [['assign', 'clf@v1.0.0', 'pr od'], /invalid stage "pr od"/],
        [['unassign', 'clf', 'prod'], /give the version as ART@VERSION/],
        [['rollback', 'clf', 'prod'], /no earlier version held stage prod/],
        [['deprecate'], /expected 1 arguments, got 0/],
        [['registry', 'extra'], /no model "extra" in the registry/],
        [['registry', 'clf', 'extra'], /registry takes at most one model/],
      ];
      for (const [args, message] of cases) {
        const r = runCli(args, { repo: repo.dir });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
      assert.equal(repo.git('tag', '-l'), '');
      const notGit = runCli(['registry'], { repo: mkdtempSync(path.join(tmpdir(), 'lineage-nogit-')) });
      assert.equal(notGit.status, 2);
      assert.match(notGit.stderr, /is not a Git repository: the model registry lives in Git tags/);
      runCli(['register', 'clf', c1], { repo: repo.dir });
      const again = runCli(['register', 'clf', c1, '--version', 'v2.0.0'], { repo: repo.dir });
      assert.equal(again.status, 2);
      assert.match(again.stderr, /already registered at [0-9a-f]{7} as v0\.0\.1/);
    } finally {
      repo.cleanup();
    }
  });

  it('a failed push keeps the tag and exits 1', () => {
    const {
      repo,
      commits: [c1],
    } = registryRepo();
    try {
      repo.git('remote', 'add', 'gone', '/nonexistent/remote.git');
      const r = runCli(['register', 'clf', c1, '--push', 'gone'], { repo: repo.dir });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /Registered clf v0\.0\.1 .*push to gone failed, the tags stay local/);
      assert.equal(repo.git('tag', '-l'), 'clf@v0.0.1');
    } finally {
      repo.cleanup();
    }
  });
});
