// exp run / save / apply / branch / remove / rename / push / pull on real Git repositories with
// a shell-only pipeline: what lands in Git (parent, tree, message, ref), what the workspace looks
// like after, and every refusal leaving things as they were.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { runExperiment, type ExpEvent } from '../../../src/core/experiments/expRun';
import { saveExperiment } from '../../../src/core/experiments/expSave';
import { applyExperiment } from '../../../src/core/experiments/expApply';
import { branchExperiment, removeExperiments, renameExperiment } from '../../../src/core/experiments/expManage';
import { pullExperiments, pushExperiments } from '../../../src/core/experiments/expRemote';
import { listRunRecords } from '../../../src/core/experiments/runLog';
import { isGeneratedName } from '../../../src/core/experiments/expNames';
import { ExpUsageError } from '../../../src/core/experiments/expCommon';
import { SetParamError } from '../../../src/core/experiments/setParams';
import { sortedJsonDumps } from '../../../src/core/experiments/expHash';
import { createReproIO } from '../../../src/core/repro/reproIO';
import { reproduce } from '../../../src/core/repro/runner';
import { ReproError } from '../../../src/core/repro/runner';
import { loadYamlSafe } from '../../../src/core/yamlRoundTrip/yamlLoad';

const PIPELINE = `stages:
  train:
    cmd: sh train.sh
    deps:
    - data.txt
    - train.sh
    params:
    - train.lr
    outs:
    - model.txt
    - lr.txt
    metrics:
    - metrics.json:
        cache: false
`;

/** The stage: reads train.lr, writes it to lr.txt, model.txt (data + lr) and metrics.json. */
const TRAIN = `lr=$(sed -n 's/^  lr: *\\([0-9.e-]*\\).*/\\1/p' params.yaml)
printf '%s\\n' "$lr" > lr.txt
cat data.txt lr.txt > model.txt
printf '{"lr": %s}' "$lr" > metrics.json
`;

const FILES = {
  '.dvc/config': '',
  '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
  '.dvcignore': '',
  'dvc.yaml': PIPELINE,
  'train.sh': TRAIN,
  'data.txt': 'rows\n',
  'params.yaml': '# params\ntrain:\n  lr: 0.1  # rate\n  epochs: 3\n',
};

const quiet = (): void => undefined;

/** A committed project whose pipeline ran once (dvc.lock, .gitignore and metrics committed). */
async function project(): Promise<GitFixture> {
  const repo = GitFixture.create().write(FILES);
  const r = await reproduce(repo.dir, createReproIO(repo.dir), { targets: [] }, quiet);
  assert.ok(r.ok, JSON.stringify(r));
  repo.commit('baseline');
  return repo;
}

const read = (repo: GitFixture, path: string) => readFileSync(join(repo.dir, path), 'utf8');
const refOf = (baseline: string, name: string) => `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/${name}`;
/** Experiment refs (DVC's bookkeeping under refs/exps/exec and refs/exps/apply left out). */
const expRefs = (repo: GitFixture) =>
  repo
    .git('for-each-ref', '--format=%(refname)', 'refs/exps')
    .split('\n')
    .filter((r) => r && !/^refs\/exps\/(exec|apply)\//.test(r));
const allRefs = (repo: GitFixture) => repo.git('for-each-ref', '--format=%(refname)', 'refs/exps').split('\n').filter(Boolean);
const indexBytes = (repo: GitFixture) => readFileSync(join(repo.dir, '.git', 'index'));

function expectRefusal(fn: () => Promise<unknown>, type: new (...a: never[]) => Error, message: RegExp): Promise<void> {
  return assert.rejects(fn, (e: Error) => {
    assert.ok(e instanceof type, `${e.constructor.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('exp run', function () {
  this.timeout(60000);
  const fixtures: GitFixture[] = [];
  const make = async () => {
    const f = await project();
    fixtures.push(f);
    return f;
  };
  after(() => fixtures.forEach((f) => f.cleanup()));

  it('records a commit on the baseline with the changed params, dvc.lock and metrics, leaving HEAD and the index alone', async () => {
    const repo = await make();
    const baseline = repo.git('rev-parse', 'HEAD');
    const index = indexBytes(repo);
    const events: ExpEvent[] = [];
    const result = await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.01'], name: 'ours' }, (e) =>
      events.push(e),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const ref = refOf(baseline, 'ours');
    assert.equal(result.ref, ref);
    assert.equal(repo.git('rev-parse', ref), result.commit);
    assert.equal(repo.git('rev-parse', `${ref}^`), baseline, 'the parent is the baseline');
    assert.equal(repo.git('rev-list', '--count', `${baseline}..${ref}`), '1');
    // The message is DVC's, byte for byte (no final newline), over the reproduced stage's lock entry.
    const raw = repo.git('cat-file', 'commit', ref);
    const message = raw.slice(raw.indexOf('\n\n') + 2);
    const lock = loadYamlSafe(repo.git('show', `${ref}:dvc.lock`));
    assert.ok(lock.ok && lock.value instanceof Map);
    const entry = (lock.value.get('stages') as Map<string, unknown>).get('train');
    const hash = createHash('sha256')
      .update(sortedJsonDumps(new Map([['train', entry as never]])))
      .digest('hex');
    assert.equal(message, `dvc: commit experiment ${hash}`);
    assert.equal(result.hash, hash);
    // What the commit holds: params, dvc.lock and the Git-tracked metric changed, nothing else.
    assert.deepEqual(repo.git('diff', '--name-only', baseline, ref).split('\n'), ['dvc.lock', 'metrics.json', 'params.yaml']);
    assert.equal(repo.git('show', `${ref}:params.yaml`), '# params\ntrain:\n  lr: 0.01 # rate\n  epochs: 3');
    assert.equal(repo.git('show', `${ref}:metrics.json`), '{"lr": 0.01}');
    assert.match(repo.git('show', `${ref}:dvc.lock`), /train\.lr: 0\.01/);
    // The user's Git state is as it was; the workspace holds the experiment (DVC: "applied to your workspace").
    assert.equal(repo.git('rev-parse', 'HEAD'), baseline);
    assert.equal(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.deepEqual(indexBytes(repo), index, 'the index file is byte for byte the same');
    repo.git('diff', '--quiet', ref, '--', '.');
    assert.equal(read(repo, 'model.txt'), 'rows\n0.01\n');
    assert.deepEqual(listRunRecords(join(repo.dir, '.git')), [], 'a run that became an experiment keeps no record');
    assert.ok(events.some((e) => e.type === 'exp-start' && e.name === 'ours'));
  });

  it('generates a name the way DVC does when none is given', async () => {
    const repo = await make();
    const r = await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.2'] }, quiet);
    assert.ok(r.ok);
    assert.ok(isGeneratedName(r.name), r.name);
    assert.match(r.name, /^[a-z]{5}-[a-z]{4}$/);
  });

  it("a param key that does not exist fails with DVC's error and changes nothing", async () => {
    const repo = await make();
    const before = read(repo, 'params.yaml');
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.nope=1'], name: 'x' }, quiet),
      SetParamError,
      /params\.yaml: Invalid `--set-param` value: Could not override 'train\.nope'\. To append to your config use \+train\.nope=1/,
    );
    assert.equal(read(repo, 'params.yaml'), before);
    assert.deepEqual(expRefs(repo), []);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('a value that does not parse is refused with where it stops, and changes nothing', async () => {
    const repo = await make();
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=[1,'], name: 'x' }, quiet),
      SetParamError,
      /cannot parse 'train\.lr=\[1,'/,
    );
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=#1'] }, quiet),
      SetParamError,
      /unexpected character '#'/,
    );
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=1,2'] }, quiet),
      SetParamError,
      /Sweep overrides can't be used without `--queue`/,
    );
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.deepEqual(expRefs(repo), []);
  });

  it("a name that is taken or breaks Git's ref rules is refused before anything runs; -f replaces", async () => {
    const repo = await make();
    const baseline = repo.git('rev-parse', 'HEAD');
    assert.ok((await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.3'], name: 'taken' }, quiet)).ok);
    repo.git('checkout', '--', '.');
    const first = repo.git('rev-parse', refOf(baseline, 'taken'));
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.4'], name: 'taken' }, quiet),
      ExpUsageError,
      /Experiment conflicts with existing experiment 'taken'/,
    );
    for (const bad of ['a/b', 'bad name', 'x.lock', '.hidden', 'a..b', 'end.', 'a@{1}', 'q?', '']) {
      await expectRefusal(
        () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.4'], name: bad }, quiet),
        ExpUsageError,
        bad === '' ? /cannot be empty/ : /invalid experiment name/,
      );
    }
    assert.equal(repo.git('status', '--porcelain'), '', 'nothing was written');
    const forced = await runExperiment(
      repo.dir,
      undefined,
      { targets: [], setParams: ['train.lr=0.4'], name: 'taken', force: true },
      quiet,
    );
    assert.ok(forced.ok);
    assert.notEqual(repo.git('rev-parse', refOf(baseline, 'taken')), first);
    assert.equal(repo.git('show', `${refOf(baseline, 'taken')}:metrics.json`), '{"lr": 0.4}');
  });

  it('a modified dvc.yaml is part of the experiment, as DVC records it; one that does not parse is refused and nothing changes', async () => {
    const repo = await make();
    const baseline = repo.git('rev-parse', 'HEAD');
    writeFileSync(join(repo.dir, 'dvc.yaml'), PIPELINE.replace('cmd: sh train.sh', 'cmd: sh train.sh && echo again'));
    const r = await runExperiment(repo.dir, undefined, { targets: [], setParams: [], name: 'dirty' }, quiet);
    assert.ok(r.ok);
    assert.deepEqual(r.ran, ['train'], 'the changed command reran the stage');
    assert.match(repo.git('show', `${refOf(baseline, 'dirty')}:dvc.yaml`), /sh train\.sh && echo again/);
    repo.git('checkout', '--', '.');
    writeFileSync(join(repo.dir, 'dvc.yaml'), 'stages:\n  train:\n    cmd: [unclosed\n');
    const params = read(repo, 'params.yaml');
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.5'], name: 'broken' }, quiet),
      ReproError,
      /dvc\.yaml:\d+/,
    );
    assert.equal(read(repo, 'params.yaml'), params, 'the params were not written');
    assert.deepEqual(expRefs(repo), [refOf(baseline, 'dirty')]);
    repo.git('checkout', '--', 'dvc.yaml');
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: ['nosuch'], setParams: [] }, quiet),
      ReproError,
      /stage 'nosuch' not found/,
    );
  });

  it('a stage that fails records no experiment; the run is kept as failed, with its params and its output', async () => {
    const repo = await make();
    writeFileSync(join(repo.dir, 'dvc.yaml'), PIPELINE.replace('cmd: sh train.sh', 'cmd: echo about to fail >&2 && exit 3'));
    const r = await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.6'], name: 'fails' }, quiet);
    assert.equal(r.ok, false);
    assert.equal(r.failed?.stage, 'train');
    assert.equal(r.failed?.exitCode, 3);
    assert.deepEqual(expRefs(repo), []);
    const [kept] = listRunRecords(join(repo.dir, '.git'));
    assert.equal(kept.name, 'fails');
    assert.equal(kept.status, 'failed');
    assert.equal(kept.exitCode, 3);
    assert.deepEqual(kept.setParams, ['train.lr=0.6']);
    assert.equal(kept.log, r.logFile);
    assert.match(readFileSync(kept.log, 'utf8'), /about to fail\n.*exited with 3/s);
    // As DVC leaves it: the workspace keeps the changed params.
    assert.match(read(repo, 'params.yaml'), /lr: 0\.6/);
  });

  it('--temp runs beside the workspace, leaves it as it was, and records what a workspace run records', async () => {
    const repo = await make();
    const baseline = repo.git('rev-parse', 'HEAD');
    const temp = await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.7'], name: 'in-temp', temp: true }, quiet);
    assert.ok(temp.ok, JSON.stringify(temp));
    assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '');
    assert.equal(read(repo, 'model.txt'), 'rows\n0.1\n');
    assert.deepEqual(
      execFileSync('ls', [join(repo.dir, '.dvc', 'tmp', 'exps')], { encoding: 'utf8' }).trim(),
      '',
      'the temporary folder is gone',
    );
    const here = await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.7'], name: 'in-place' }, quiet);
    assert.equal(
      repo.git('rev-parse', `${refOf(baseline, 'in-temp')}^{tree}`),
      repo.git('rev-parse', `${refOf(baseline, 'in-place')}^{tree}`),
    );
    assert.equal(temp.hash, here.hash);
    // The outs the temporary run made are in the repository's cache: apply brings them back.
    repo.git('checkout', '--', '.');
    await applyExperiment(repo.dir, undefined, 'in-temp');
    assert.equal(read(repo, 'model.txt'), 'rows\n0.7\n');
  });

  it('queued runs are refused as not supported yet', async () => {
    const repo = await make();
    await expectRefusal(
      () => runExperiment(repo.dir, undefined, { targets: [], setParams: [], queue: true }, quiet),
      ExpUsageError,
      /--queue\) are not supported yet/,
    );
  });
});

describe('exp save', function () {
  this.timeout(60000);
  let repo: GitFixture;
  afterEach(() => repo?.cleanup());

  it('records the workspace without running: stages committed as dvc commit does, -I paths included', async () => {
    repo = await project();
    const baseline = repo.git('rev-parse', 'HEAD');
    writeFileSync(join(repo.dir, 'model.txt'), 'hand made\n');
    writeFileSync(join(repo.dir, 'notes.txt'), 'kept\n');
    writeFileSync(join(repo.dir, 'scratch.txt'), 'not kept\n');
    const index = indexBytes(repo);
    const r = await saveExperiment(repo.dir, undefined, { name: 'saved', includeUntracked: ['notes.txt'] });
    const ref = refOf(baseline, 'saved');
    assert.equal(r.ref, ref);
    assert.deepEqual(repo.git('diff', '--name-only', baseline, ref).split('\n'), ['dvc.lock', 'notes.txt']);
    assert.deepEqual(r.untracked, ['scratch.txt']);
    assert.match(repo.git('log', '-1', '--format=%B', ref), /^dvc: commit experiment [0-9a-f]{64}$/);
    assert.deepEqual(indexBytes(repo), index);
    await expectRefusal(
      () => saveExperiment(repo.dir, undefined, { name: 'saved' }),
      ExpUsageError,
      /conflicts with existing experiment 'saved'/,
    );
  });
});

describe('exp apply / branch / rename / remove', function () {
  this.timeout(60000);
  let repo: GitFixture;
  let baseline: string;
  beforeEach(async () => {
    repo = await project();
    baseline = repo.git('rev-parse', 'HEAD');
    assert.ok((await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.05'], name: 'exp1' }, quiet)).ok);
    repo.git('checkout', '--', '.');
    assert.ok((await applyExperiment(repo.dir, undefined, 'HEAD')).commit);
  });
  afterEach(() => repo.cleanup());

  it("the workspace takes the experiment's files and its outs come back from the cache", async () => {
    assert.equal(read(repo, 'model.txt'), 'rows\n0.1\n');
    const r = await applyExperiment(repo.dir, undefined, 'exp1');
    assert.deepEqual(r.written.sort(), ['dvc.lock', 'metrics.json', 'params.yaml']);
    repo.git('diff', '--quiet', refOf(baseline, 'exp1'), '--', '.');
    assert.equal(read(repo, 'model.txt'), 'rows\n0.05\n');
    assert.deepEqual(r.outs.restored.sort(), ['lr.txt', 'model.txt']);
    assert.equal(repo.git('rev-parse', 'refs/exps/exec/EXEC_APPLY'), r.commit);
    assert.equal(repo.git('rev-parse', 'HEAD'), baseline);
  });

  it('refuses over uncommitted changes; --force keeps them in refs/exps/apply/stash first', async () => {
    writeFileSync(join(repo.dir, 'params.yaml'), '# mine\ntrain:\n  lr: 0.9\n  epochs: 3\n');
    await expectRefusal(
      () => applyExperiment(repo.dir, undefined, 'exp1'),
      ExpUsageError,
      /would overwrite changes Git has not recorded in params\.yaml/,
    );
    assert.match(read(repo, 'params.yaml'), /# mine/);
    const r = await applyExperiment(repo.dir, undefined, 'exp1', { force: true });
    assert.ok(r.backup);
    assert.match(read(repo, 'params.yaml'), /lr: 0\.05/);
    assert.equal(repo.git('rev-parse', 'refs/exps/apply/stash'), r.backup);
    repo.git('checkout', '--', '.');
    repo.git('stash', 'apply', 'refs/exps/apply/stash');
    assert.match(read(repo, 'params.yaml'), /# mine/, 'git stash apply brings the change back');
  });

  it('an unknown experiment is refused', async () => {
    await expectRefusal(
      () => applyExperiment(repo.dir, undefined, 'nosuch'),
      ExpUsageError,
      /'nosuch' does not appear to be an experiment commit/,
    );
  });

  it('branch, rename and remove move the refs', async () => {
    const b = await branchExperiment(repo.dir, 'exp1');
    assert.equal(b.branch, 'exp1-branch');
    assert.equal(repo.git('rev-parse', 'refs/heads/exp1-branch'), repo.git('rev-parse', refOf(baseline, 'exp1')));
    assert.match(repo.git('reflog', 'show', '--format=%gs', 'refs/heads/exp1-branch'), /dvc: Created from experiment 'exp1'/);
    await expectRefusal(() => branchExperiment(repo.dir, 'exp1'), ExpUsageError, /Git branch 'exp1-branch' already exists/);
    assert.deepEqual((await renameExperiment(repo.dir, 'exp1', 'renamed')).renamed, ['exp1']);
    assert.deepEqual(expRefs(repo), [refOf(baseline, 'renamed')]);
    await expectRefusal(() => renameExperiment(repo.dir, 'renamed', 'bad/name'), ExpUsageError, /invalid experiment name/);
    await expectRefusal(() => removeExperiments(repo.dir, ['nosuch']), ExpUsageError, /'nosuch' is not a valid experiment name/);
    await applyExperiment(repo.dir, undefined, 'renamed');
    assert.deepEqual((await removeExperiments(repo.dir, ['renamed'])).removed, ['renamed']);
    assert.deepEqual(allRefs(repo), [], 'EXEC_APPLY, which named the removed experiment, goes too');
    assert.equal(repo.git('rev-parse', 'refs/heads/exp1-branch').length, 40, 'the branch stays');
  });
});

describe('exp push / pull', function () {
  this.timeout(60000);
  const dirs: GitFixture[] = [];
  after(() => dirs.forEach((d) => d.cleanup()));

  it('pushes and pulls the refs as DVC does; a remote that refuses is reported, not hidden', async () => {
    const repo = await project();
    dirs.push(repo);
    const baseline = repo.git('rev-parse', 'HEAD');
    const remote = GitFixture.create({ init: false });
    dirs.push(remote);
    remote.git('init', '-q', '--bare', '-b', 'main');
    repo.git('remote', 'add', 'origin', remote.dir);
    repo.git('push', '-q', 'origin', 'main');
    assert.ok((await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.11'], name: 'shared' }, quiet)).ok);
    const pushed = await pushExperiments(repo.dir, 'origin', ['shared']);
    assert.deepEqual(pushed, { success: ['shared'], upToDate: [], diverged: [], refused: [] });
    assert.equal(remote.git('rev-parse', refOf(baseline, 'shared')), repo.git('rev-parse', refOf(baseline, 'shared')));
    assert.deepEqual((await pushExperiments(repo.dir, 'origin', [])).upToDate, ['shared'], 'no names: the experiments of HEAD');

    const clone = GitFixture.create({ init: false });
    dirs.push(clone);
    execFileSync('git', ['clone', '-q', remote.dir, clone.dir]);
    const pulled = await pullExperiments(clone.dir, 'origin', ['shared']);
    assert.deepEqual(pulled.success, ['shared']);
    assert.equal(clone.git('rev-parse', refOf(baseline, 'shared')), repo.git('rev-parse', refOf(baseline, 'shared')));
    await expectRefusal(
      () => pullExperiments(clone.dir, 'origin', ['nosuch']),
      ExpUsageError,
      /Experiment 'nosuch' does not exist in 'origin'/,
    );

    writeFileSync(join(remote.dir, 'hooks', 'pre-receive'), '#!/bin/sh\necho "experiments are not welcome here" >&2\nexit 1\n');
    chmodSync(join(remote.dir, 'hooks', 'pre-receive'), 0o755);
    repo.git('checkout', '--', '.');
    assert.ok((await runExperiment(repo.dir, undefined, { targets: [], setParams: ['train.lr=0.12'], name: 'refused' }, quiet)).ok);
    const refused = await pushExperiments(repo.dir, 'origin', ['refused']);
    assert.deepEqual(refused.success, []);
    assert.equal(refused.refused[0]?.name, 'refused');
    assert.match(refused.refused[0].reason, /pre-receive hook declined/);
    assert.ok(!existsSync(join(remote.dir, refOf(baseline, 'refused'))));
    await expectRefusal(() => pushExperiments(repo.dir, 'nosuchremote', ['shared']), ExpUsageError, /could not be reached or refused/);
  });
});
