import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRegistry } from '../../../src/core/registry/gitRegistry';
import { RegistryInputError } from '../../../src/core/registry/tagGrammar';
import { registryRepo, T0 } from './registryFixture';

function tagInfo(dir: string, tag: string): { subject: string; time: number; type: string; target: string } {
  const out = execFileSync(
    'git',
    ['for-each-ref', '--format=%(objecttype)%00%(taggerdate:unix)%00%(*objectname)%00%(contents:subject)', `refs/tags/${tag}`],
    { cwd: dir, encoding: 'utf8' },
  ).trim();
  const [type, time, target, subject] = out.split('\0');
  return { type, time: Number(time), target, subject };
}

describe('GitRegistry writes (GTO-compatible tags)', () => {
  // A fixed clock far before the tags' times, so every tag gets "last event + 1 s".
  const clock = () => T0;

  it('registers with bumps, refuses an existing version, and tags with GTO messages', async () => {
    const {
      repo,
      commits: [c1, c2, c3],
    } = registryRepo();
    const reg = new GitRegistry(repo.dir, clock);
    try {
      assert.equal(await reg.suggestVersion('clf'), 'v0.0.1');
      const r1 = await reg.register('clf', null, c1);
      assert.deepEqual(r1.actions, ['clf@v0.0.1']);
      assert.equal(r1.pushed, null);
      assert.deepEqual(tagInfo(repo.dir, 'clf@v0.0.1'), {
        type: 'tag',
        time: T0,
        target: c1,
        subject: 'Registering artifact clf version v0.0.1',
      });
      assert.equal(await reg.suggestVersion('clf', 'minor'), 'v0.1.0');
      assert.deepEqual((await reg.register('clf', null, c2, { bump: 'minor' })).actions, ['clf@v0.1.0']);
      await assert.rejects(reg.register('clf', 'v0.1.0', c3), /clf v0\.1\.0 already exists/);
      await assert.rejects(reg.register('clf', null, c2), /already registered at .* as v0\.1\.0/);
      await assert.rejects(reg.register('clf', 'v7.0.0', c2, { force: true }), /already holds clf v0\.1\.0; only that version/);
      assert.deepEqual((await reg.register('clf', 'v1.0.0', 'HEAD')).actions, ['clf@v1.0.0']);
      assert.equal(tagInfo(repo.dir, 'clf@v1.0.0').time, T0 + 2);
      const state = await reg.read();
      assert.deepEqual(
        state.artifacts[0].versions.map((v) => v.version),
        ['v1.0.0', 'v0.1.0', 'v0.0.1'],
      );
    } finally {
      repo.cleanup();
    }
  });

  it('promotes with archive semantics, keeps others on request, rolls back and unassigns', async () => {
    const {
      repo,
      commits: [c1, c2, c3],
    } = registryRepo();
    const reg = new GitRegistry(repo.dir, clock);
    try {
      for (const [v, c] of [
        ['v1.0.0', c1],
        ['v2.0.0', c2],
        ['v3.0.0', c3],
      ])
        await reg.register('clf', v, c);
      assert.deepEqual((await reg.assign('clf', 'v2.0.0', 'prod')).actions, ['clf#prod#1']);
      assert.equal(tagInfo(repo.dir, 'clf#prod#1').subject, 'Assigning stage prod to artifact clf version v2.0.0');
      const promoted = await reg.assign('clf', 'v3.0.0', 'prod');
      assert.deepEqual(promoted.actions, ['clf#prod!#2', 'clf#prod#3']);
      assert.match(promoted.message, /Assigned prod to clf v3\.0\.0 \(unassigned from v2\.0\.0\)/);
      assert.equal(tagInfo(repo.dir, 'clf#prod!#2').subject, "Unassigning stage 'prod' to artifact 'clf' version 'v2.0.0'");
      assert.equal(tagInfo(repo.dir, 'clf#prod!#2').target, c2);
      let state = await reg.read();
      assert.deepEqual(state.artifacts[0].stages, { prod: ['v3.0.0'] });
      await assert.rejects(reg.assign('clf', 'v3.0.0', 'prod'), /already in stage prod/);

      const rolled = await reg.rollback('clf', 'prod');
      assert.deepEqual(rolled.actions, ['clf#prod!#4', 'clf#prod#5']);
      assert.match(rolled.message, /^Rolled clf prod back to v2\.0\.0 \(from v3\.0\.0\)/);
      state = await reg.read();
      assert.deepEqual(state.artifacts[0].stages, { prod: ['v2.0.0'] });
      assert.deepEqual(
        state.artifacts[0].versions.map((v) => [v.version, v.stages]),
        [
          ['v3.0.0', []],
          ['v2.0.0', ['prod']],
          ['v1.0.0', []],
        ],
      );

      // An alias kept beside another holder (--keep-existing): both hold it, GTO shows the newest.
      await reg.assign('clf', 'v1.0.0', 'champion');
      const kept = await reg.assign('clf', 'v3.0.0', 'champion', { archiveExisting: false });
      assert.deepEqual(kept.actions, ['clf#champion#7']);
      state = await reg.read();
      assert.deepEqual(state.artifacts[0].stages.champion, ['v3.0.0']);

      assert.deepEqual((await reg.unassign('clf', 'v1.0.0', 'champion')).actions, ['clf#champion!#8']);
      await assert.rejects(reg.unassign('clf', 'v1.0.0', 'champion'), /not in stage champion/);
      await assert.rejects(reg.rollback('clf', 'staging'), /no earlier version held stage staging/);
    } finally {
      repo.cleanup();
    }
  });

  it('deprecates once, refuses stage changes on a deprecated model unless forced, deregisters', async () => {
    const {
      repo,
      commits: [c1, c2],
    } = registryRepo();
    const reg = new GitRegistry(repo.dir, clock);
    try {
      await reg.register('clf', 'v1.0.0', c1);
      await reg.register('clf', 'v1.1.0', c2);
      assert.deepEqual((await reg.deregister('clf', 'v1.1.0')).actions, ['clf@v1.1.0!']);
      assert.equal(tagInfo(repo.dir, 'clf@v1.1.0!').subject, 'Deregistering artifact clf version v1.1.0');
      await assert.rejects(reg.deregister('clf', 'v1.1.0'), /deregistered already/);
      const dep = await reg.deprecate('clf');
      assert.deepEqual(dep.actions, ['clf@deprecated']);
      assert.deepEqual(tagInfo(repo.dir, 'clf@deprecated'), {
        type: 'tag',
        time: T0 + 3,
        target: c2,
        subject: "Deprecating artifact 'clf'",
      });
      await assert.rejects(reg.deprecate('clf'), /deprecated already/);
      await assert.rejects(reg.assign('clf', 'v1.0.0', 'prod'), /clf is deprecated; pass force/);
      assert.deepEqual((await reg.assign('clf', 'v1.0.0', 'prod', { force: true })).actions, ['clf#prod#1']);
      // The assignment is newer than the deprecation: active again, as GTO computes it.
      assert.equal((await reg.read()).artifacts[0].deprecated, false);
      assert.deepEqual((await reg.deprecate('clf')).actions, ['clf@deprecated#2']);
    } finally {
      repo.cleanup();
    }
  });

  it('refuses bad names, versions, stages, revisions and remotes before any git call', async () => {
    // Not a repository: a git call would fail with a GitError, so a RegistryInputError proves
    // the input was refused first.
    const reg = new GitRegistry(mkdtempSync(join(tmpdir(), 'lineage-noregistry-')));
    const cases: [string, () => Promise<unknown>][] = [
      ['--upload-pack=x', () => reg.register('--upload-pack=x', null, 'HEAD')],
      ['a b', () => reg.register('a b', null, 'HEAD')],
      ['version', () => reg.register('clf', '1.0', 'HEAD')],
      ['revision', () => reg.register('clf', null, '--output=/tmp/x')],
      ['revision', () => reg.register('clf', null, 'HEAD~1 HEAD')],
      ['stage', () => reg.assign('clf', 'v1.0.0', 'pr od')],
      ['stage', () => reg.assign('clf', 'v1.0.0', 'prod#1')],
      ['remote', () => reg.deprecate('clf', { push: '--receive-pack=evil' })],
      ['artifact', () => reg.rollback('modèle', 'prod')],
      ['version', () => reg.unassign('clf', 'latest', 'prod')],
    ];
    for (const [what, call] of cases) {
      await assert.rejects(call(), (e: Error) => e instanceof RegistryInputError && e.message.includes('invalid'), what);
    }
    const { repo } = registryRepo();
    try {
      await assert.rejects(new GitRegistry(repo.dir).register('clf', null, 'no-such-branch'), /revision "no-such-branch" is not a commit/);
    } finally {
      repo.cleanup();
    }
  });

  it('pushes to a remote; a failed push keeps the local tag and says so', async () => {
    const {
      repo,
      commits: [c1, c2],
    } = registryRepo();
    const bare = mkdtempSync(join(tmpdir(), 'lineage-remote-'));
    execFileSync('git', ['init', '-q', '--bare', bare]);
    repo.git('remote', 'add', 'origin', bare);
    repo.git('remote', 'add', 'broken', join(bare, 'missing'));
    const reg = new GitRegistry(repo.dir, clock);
    try {
      const ok = await reg.register('clf', null, c1, { push: 'origin' });
      assert.deepEqual(ok.pushed, { remote: 'origin', ok: true });
      assert.equal(execFileSync('git', ['tag', '-l'], { cwd: bare, encoding: 'utf8' }).trim(), 'clf@v0.0.1');
      const failed = await reg.register('clf', null, c2, { push: 'broken' });
      assert.equal(failed.pushed?.ok, false);
      assert.match(failed.message, /push to broken failed, the tags stay local/);
      assert.equal(tagInfo(repo.dir, 'clf@v0.0.2').target, c2);
    } finally {
      repo.cleanup();
    }
  });
});
