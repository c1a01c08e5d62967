import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readGitRegistry } from '../../../src/core/registry/gitRegistry';
import { loadGitRegistry } from '../../../src/core/registry/registryLoad';
import { gtoShow } from '../../../src/core/registry/gtoJson';
import { GitFixture } from '../../helpers/gitFixture';
import { annotatedTag, registryRepo, T0 } from './registryFixture';

describe('readGitRegistry (GTO tags)', () => {
  it('orders events by tagger time, not tag name, and computes versions and stages', async () => {
    const {
      repo,
      commits: [c1, c2, c3],
    } = registryRepo();
    try {
      annotatedTag(repo, 'clf@v1.0.0', c1, T0 + 10, 'Registering artifact clf version v1.0.0');
      annotatedTag(repo, 'clf@v1.1.0', c2, T0 + 20);
      annotatedTag(repo, 'clf@v2.0.0', c3, T0 + 30);
      // Counters say otherwise; only the tagger time counts.
      annotatedTag(repo, 'clf#prod#9', c1, T0 + 40);
      annotatedTag(repo, 'clf#prod#1', c2, T0 + 50);
      annotatedTag(repo, 'clf#staging#2', c3, T0 + 60);
      annotatedTag(repo, 'clf#prod!#3', c2, T0 + 70);
      annotatedTag(repo, 'clf#prod#4', c3, T0 + 80);
      annotatedTag(repo, 'clf@v2.0.0!', c3, T0 + 90);
      const state = await readGitRegistry(repo.dir);
      assert.deepEqual(state.ignored, []);
      const clf = state.artifacts.find((a) => a.name === 'clf')!;
      assert.equal(clf.decl?.path, 'models/clf.pkl');
      assert.deepEqual(clf.decl?.labels, ['nlp']);
      assert.deepEqual(
        clf.versions.map((v) => [v.version, v.active, v.commit]),
        [
          ['v2.0.0', false, c3],
          ['v1.1.0', true, c2],
          ['v1.0.0', true, c1],
        ],
      );
      // prod: v1.0.0 (t40) < v1.1.0 (t50) unassigned at t70, v2.0.0 at t80 but deregistered → v1.0.0.
      assert.deepEqual(clf.stages, { prod: ['v1.0.0'] });
      assert.deepEqual(clf.versions.find((v) => v.version === 'v1.0.0')!.stages, ['prod']);
      assert.equal(clf.deprecated, false);
      const v1 = clf.versions.find((v) => v.version === 'v1.0.0')!;
      assert.deepEqual(
        v1.events.map((e) => e.tag),
        ['clf@v1.0.0', 'clf#prod#9'],
      );
      assert.equal(v1.events[0].message, 'Registering artifact clf version v1.0.0');
      assert.equal(v1.events[0].author, 'Tagger');
      assert.equal(v1.events[0].authorEmail, 'tagger@example.com');
      assert.equal(v1.createdAt, T0 + 10);
    } finally {
      repo.cleanup();
    }
  });

  it('ignores lightweight and malformed tags with a reason, and never crashes on them', async () => {
    const {
      repo,
      commits: [c1],
    } = registryRepo();
    try {
      annotatedTag(repo, 'clf@v1.0.0', c1, T0);
      repo.git('tag', 'clf@v2.0.0', c1); // lightweight: GTO ignores it
      for (const bad of ['clf@1.0', 'clf#', 'modèle@v1.0.0', 'clf#prod']) annotatedTag(repo, bad, c1, T0 + 5);
      annotatedTag(repo, 'v1.0', c1, T0 + 5); // a release tag, not a registry tag at all
      const state = await readGitRegistry(repo.dir);
      const reasons = new Map(state.ignored.map((i) => [i.tag, i.reason]));
      assert.match(reasons.get('clf@v2.0.0')!, /lightweight/);
      for (const bad of ['clf@1.0', 'clf#', 'modèle@v1.0.0']) assert.match(reasons.get(bad)!, /grammar/, bad);
      assert.equal(reasons.has('v1.0'), false);
      // `clf#prod` without a counter is in GTO's grammar: an assignment.
      assert.deepEqual(state.artifacts.find((a) => a.name === 'clf')!.stages, { prod: ['v1.0.0'] });
      assert.deepEqual(
        state.artifacts.find((a) => a.name === 'clf')!.versions.map((v) => v.version),
        ['v1.0.0'],
      );
    } finally {
      repo.cleanup();
    }
  });

  it('names a version by its commit when a stage is assigned without registration; dir=name artifacts', async () => {
    const {
      repo,
      commits: [c1, c2],
    } = registryRepo();
    try {
      repo.commit('sub project', {
        'nlp/dvc.yaml': 'stages: {}\nartifacts:\n  enc:\n    path: out/enc.bin\n    type: model\n    desc: text encoder\n',
      });
      annotatedTag(repo, 'nlp=enc#dev#1', c2, T0);
      annotatedTag(repo, 'nlp=enc#qa#2', c2, T0 + 1);
      annotatedTag(repo, 'nlp=enc@v0.1.0', c1, T0 + 2);
      const state = await readGitRegistry(repo.dir);
      const enc = state.artifacts.find((a) => a.name === 'nlp:enc')!;
      assert.equal(enc.decl?.path, 'nlp/out/enc.bin');
      assert.equal(enc.decl?.description, 'text encoder');
      assert.equal(enc.decl?.file, 'nlp/dvc.yaml');
      assert.deepEqual(
        enc.versions.map((v) => [v.version, v.registered]),
        [
          ['v0.1.0', true],
          [c2, false],
        ],
      );
      assert.deepEqual(enc.versions[1].stages.sort(), ['dev', 'qa']);
      assert.deepEqual(enc.stages, { qa: [c2], dev: [c2] });
    } finally {
      repo.cleanup();
    }
  });

  it('deprecation: the newest event decides, as in GTO', async () => {
    const {
      repo,
      commits: [c1, c2],
    } = registryRepo();
    try {
      annotatedTag(repo, 'old@v1.0.0', c1, T0);
      annotatedTag(repo, 'old@deprecated', c1, T0 + 10);
      annotatedTag(repo, 'back@v1.0.0', c1, T0);
      annotatedTag(repo, 'back@deprecated', c1, T0 + 10);
      annotatedTag(repo, 'back@v1.1.0', c2, T0 + 20);
      const loaded = await loadGitRegistry(repo.dir);
      const byName = new Map(loaded.state.artifacts.map((a) => [a.name, a]));
      assert.equal(byName.get('old')!.deprecated, true);
      assert.equal(byName.get('back')!.deprecated, false);
      const show = gtoShow(loaded.gto);
      assert.equal('old' in show, false);
      assert.deepEqual(show.back, { version: 'v1.1.0', stage: {}, registered: true, active: true });
      // Declared in artifacts.yaml and never tagged: listed, unregistered.
      assert.deepEqual(show.clf, { version: null, stage: {}, registered: false, active: true });
    } finally {
      repo.cleanup();
    }
  });

  it('reports a broken artifacts.yaml and still reads the tags; an empty repository is an empty registry', async () => {
    const repo = GitFixture.create();
    try {
      assert.deepEqual(await readGitRegistry(repo.dir), { artifacts: [], ignored: [] });
      const c1 = repo.commit('broken', { 'artifacts.yaml': 'clf: [unclosed\n' });
      annotatedTag(repo, 'clf@v1.0.0', c1, T0);
      const loaded = await loadGitRegistry(repo.dir);
      assert.equal(loaded.problems.length, 1);
      assert.match(loaded.problems[0].message, /^artifacts\.yaml at [0-9a-f]{40}: /);
      assert.deepEqual(
        loaded.state.artifacts.map((a) => a.versions.map((v) => v.version)),
        [['v1.0.0']],
      );
    } finally {
      repo.cleanup();
    }
  });

  it('reads a tag message with several lines and a tag on a tag', async () => {
    const {
      repo,
      commits: [c1],
    } = registryRepo();
    try {
      annotatedTag(repo, 'clf@v1.0.0', c1, T0, 'Registering artifact clf version v1.0.0\n\nTrained on the March data.\n');
      // A tag pointing at a blob is not a registry event.
      const blob = execFileSync('git', ['rev-parse', 'HEAD:artifacts.yaml'], { cwd: repo.dir, encoding: 'utf8' }).trim();
      annotatedTag(repo, 'clf@v9.0.0', blob, T0 + 1);
      const state = await readGitRegistry(repo.dir);
      const clf = state.artifacts.find((a) => a.name === 'clf')!;
      assert.equal(clf.versions[0].events[0].message, 'Registering artifact clf version v1.0.0\n\nTrained on the March data.');
      assert.deepEqual(
        clf.versions.map((v) => v.version),
        ['v1.0.0'],
      );
      assert.match(state.ignored.find((i) => i.tag === 'clf@v9.0.0')!.reason, /blob/);
    } finally {
      repo.cleanup();
    }
  });
});
