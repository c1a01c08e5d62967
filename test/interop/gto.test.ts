// The real GTO and our CLI on the same repositories: tags GTO writes read the same in
// `lineage registry --json` as in `gto show --json` (byte for byte), and tags we write are
// read by GTO as intended.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, describeRun } from '../helpers/runCli';
import { interopEnv, interopTool } from './tools';
import { assertSameValues, runTool, describeTool, scratchDir, sharedDemoRepo } from './helpers';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

function newRepo(name: string): { dir: string; commits: string[] } {
  const dir = join(scratchDir(name), 'repo');
  mkdirSync(join(dir, 'nlp'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Reg User');
  git(dir, 'config', 'user.email', 'reg@example.com');
  git(dir, 'config', 'tag.gpgsign', 'false');
  writeFileSync(
    join(dir, 'artifacts.yaml'),
    'model:\n  type: model\n  path: models/model.pkl\nother:\n  type: model\ndeclared:\n  type: dataset\n',
  );
  writeFileSync(join(dir, 'nlp', 'dvc.yaml'), 'stages: {}\nartifacts:\n  enc:\n    path: enc.bin\n    type: model\n');
  const commits: string[] = [];
  for (const n of [1, 2, 3]) {
    writeFileSync(join(dir, 'n.txt'), String(n));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `commit ${n}`);
    commits.push(git(dir, 'rev-parse', 'HEAD'));
  }
  return { dir, commits };
}

const env = interopEnv();

function gto(dir: string, ...args: string[]): string {
  const r = runTool('gto', args, dir, env);
  assert.equal(r.status, 0, describeTool(r));
  return r.stdout;
}

function lineage(dir: string, ...args: string[]): string {
  const r = runCli(args, { repo: dir, env });
  assert.equal(r.status, 0, describeRun(r));
  return r.stdout;
}

/** `lineage registry SPEC --json` prints what `gto show SPEC --json` prints, byte for byte; --history as `gto history SPEC`. */
function sameModelShow(dir: string, specs: string[]): void {
  for (const spec of specs) {
    assert.equal(
      lineage(dir, 'registry', spec, '--json'),
      gto(dir, 'show', spec, '--json'),
      `lineage registry ${spec} --json vs gto show ${spec} --json`,
    );
    if (!/[#@]/.test(spec))
      assertSameValues(
        `gto history ${spec} --json vs lineage registry ${spec} --history --json`,
        JSON.parse(gto(dir, 'history', spec, '--json')),
        JSON.parse(lineage(dir, 'registry', spec, '--history', '--json')),
      );
  }
}

describe('interop: GTO and lineage read and write the same registry', function () {
  this.timeout(300000);
  before(() => interopTool('gto'));

  it('tags written by gto: `lineage registry --json` prints what `gto show --json` prints', () => {
    const {
      dir,
      commits: [c1, c2],
    } = newRepo('gto-writes');
    gto(dir, 'register', 'model', c1);
    gto(dir, 'register', 'model', c2, '--bump-minor');
    gto(dir, 'assign', 'model', '--version', 'v0.0.1', '--stage', 'prod');
    gto(dir, 'assign', 'model', 'HEAD', '--stage', 'staging');
    gto(dir, 'assign', 'model', '--version', 'v0.1.0', '--stage', 'prod');
    gto(dir, 'deprecate', 'model', 'v0.0.1', 'prod');
    gto(dir, 'register', 'other', c1);
    // Tags made in the same second tie in GTO's ordering (tagger time has 1 s resolution), and
    // then the deprecation may sort before the registration; both tools agree on either order
    // (the JSON check below), but the text check wants the deprecation to count.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
    gto(dir, 'deprecate', 'other');
    gto(dir, 'assign', 'third', 'HEAD', '--stage', 'dev', '--skip-registration');
    gto(dir, 'register', 'nlp:enc', c2, '--version', 'v1.0.0');
    gto(dir, 'assign', 'nlp:enc', '--version', 'v1.0.0', '--stage', 'prod');
    gto(dir, 'deprecate', 'model', 'v0.1.1');
    gto(dir, 'assign', 'model', '--version', 'v0.0.1', '--stage', 'champion');
    git(dir, 'tag', 'model@v9.0.0'); // lightweight: both ignore it
    git(dir, 'tag', '-a', '-m', 'x', 'model@9.0'); // not in the grammar: both ignore it
    assert.equal(lineage(dir, 'registry', '--json'), gto(dir, 'show', '--json'));
    assertSameValues(
      'gto history --json vs lineage registry --history --json',
      JSON.parse(gto(dir, 'history', '--json')),
      JSON.parse(lineage(dir, 'registry', '--history', '--json')),
    );
    const text = lineage(dir, 'registry');
    assert.match(text, /^model +v0\.1\.0 +champion: v0\.0\.1; prod: v0\.1\.0$/m);
    assert.match(text, /^other +v0\.0\.1 +deprecated$/m);
    sameModelShow(dir, [
      'model',
      'other',
      'third',
      'nlp:enc',
      'declared',
      'model#prod',
      'model#champion',
      'model#staging',
      'model@latest',
      'model@v0.0.1',
      'model@v0.1.1',
      'third#dev',
    ]);
    // The table has gto's columns; an artifact without registry tags is starred, as gto does.
    assert.match(lineage(dir, 'registry', 'model'), /^model +v0\.1\.0 +prod +\S+ \S+ +model@v0\.1\.0$/m);
    assert.match(lineage(dir, 'registry', 'declared'), /^\*declared +[0-9a-f]{7} +\S+ \S+ +[0-9a-f]{7}$/m);
  });

  it('the demo repository: the same registry, history and per-model versions', async () => {
    const { dir } = await sharedDemoRepo();
    assert.equal(lineage(dir, 'registry', '--json'), gto(dir, 'show', '--json'));
    assertSameValues(
      'demo: gto history --json vs lineage',
      JSON.parse(gto(dir, 'history', '--json')),
      JSON.parse(lineage(dir, 'registry', '--history', '--json')),
    );
    // The deprecated model is hidden by both; gto still lists its versions and ours are the same.
    const versions = (JSON.parse(gto(dir, 'show', 'classifier', '--json')) as { version: string; is_active: boolean }[]).filter((v) =>
      v.version.startsWith('v'),
    );
    assert.deepEqual(
      versions.map((v) => v.version),
      ['v1.2.0', 'v1.1.0', 'v1.0.0', 'v0.9.0'],
    );
    sameModelShow(dir, [
      'classifier',
      'legacy-classifier',
      'classifier#prod',
      'classifier#champion',
      'classifier@latest',
      'classifier@v1.0.0',
      'classifier@v0.8.0',
    ]);
  });

  it('tags written by lineage: gto reads the stages, deprecations and history we meant', () => {
    const {
      dir,
      commits: [c1, c2, c3],
    } = newRepo('lineage-writes');
    lineage(dir, 'register', 'model', c1);
    lineage(dir, 'register', 'model', c2, '--bump', 'minor');
    lineage(dir, 'register', 'model', c3, '--version', 'v1.0.0');
    lineage(dir, 'assign', 'model@v0.0.1', 'prod');
    lineage(dir, 'assign', 'model@v0.1.0', 'prod');
    lineage(dir, 'assign', 'model@v1.0.0', 'prod');
    lineage(dir, 'rollback', 'model', 'prod');
    lineage(dir, 'assign', 'model@v1.0.0', 'staging');
    lineage(dir, 'assign', 'model@v0.0.1', 'champion');
    lineage(dir, 'unassign', 'model@v1.0.0', 'staging');
    lineage(dir, 'register', 'nlp:enc', c2);
    lineage(dir, 'assign', 'nlp:enc', 'prod', c2);
    lineage(dir, 'register', 'other', c1);
    lineage(dir, 'deprecate', 'other');

    const show = JSON.parse(gto(dir, 'show', '--json')) as Record<
      string,
      { version: string | null; stage: Record<string, string | null>; active: boolean }
    >;
    // staging has no holder after the unassignment, so GTO lists no such column.
    assert.deepEqual(show.model.stage, { champion: 'v0.0.1', prod: 'v0.1.0' });
    assert.equal(show.model.version, 'v1.0.0');
    assert.equal(show['nlp:enc'].stage.prod, 'v0.0.1');
    assert.equal('other' in show, false);
    const versions = JSON.parse(gto(dir, 'show', 'model', '--json')) as { version: string; stages: { stage: string }[] }[];
    assert.deepEqual(versions.map((v) => [v.version, v.stages.map((s) => s.stage)]).sort(), [
      ['v0.0.1', ['champion']],
      ['v0.1.0', ['prod']],
      ['v1.0.0', []],
    ]);
    assert.deepEqual(
      (JSON.parse(gto(dir, 'show', 'model#prod', '--json')) as { version: string }[]).map((v) => v.version),
      ['v0.1.0'],
    );
    assert.equal(lineage(dir, 'registry', '--json'), gto(dir, 'show', '--json'));
    assertSameValues(
      'gto history --json vs lineage registry --history --json',
      JSON.parse(gto(dir, 'history', '--json')),
      JSON.parse(lineage(dir, 'registry', '--history', '--json')),
    );
    sameModelShow(dir, ['model', 'nlp:enc', 'other', 'model#prod', 'model#champion', 'model@v1.0.0']);
  });
});
