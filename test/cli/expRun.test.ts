// `lineage exp …` as a user runs it: the bundled CLI over a real Git repository with a shell-only
// pipeline. Each bad input is one line on stderr and exit 2; a failed stage or a refusing remote
// exits 1; a kill -9 in the middle of a run leaves no experiment and nothing of the user's broken.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { CLI, describeRun, expectOk, expectUsageError, runCli } from '../helpers/runCli';

const PIPELINE = `stages:
  train:
    cmd: sh train.sh
    deps:
    - train.sh
    params:
    - train.lr
    outs:
    - model.txt
    metrics:
    - metrics.json:
        cache: false
`;

const TRAIN = `lr=$(sed -n 's/^  lr: *\\([0-9.e-]*\\).*/\\1/p' params.yaml)
printf 'model %s\\n' "$lr" > model.txt
printf '{"lr": %s}' "$lr" > metrics.json
`;

function project(): GitFixture {
  const repo = GitFixture.create().write({
    '.dvc/config': '',
    '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
    '.dvcignore': '',
    'dvc.yaml': PIPELINE,
    'train.sh': TRAIN,
    'params.yaml': 'train:\n  lr: 0.1\n',
  });
  const ran = runCli(['repro'], { repo: repo.dir });
  assert.equal(ran.status, 0, describeRun(ran));
  repo.commit('baseline');
  return repo;
}

/** Names of the experiment refs (refs/exps/<2>/<38>/<name>), DVC's bookkeeping refs left out. */
const refs = (repo: GitFixture) =>
  repo
    .git('for-each-ref', '--format=%(refname)', 'refs/exps')
    .split('\n')
    .filter((r) => /^refs\/exps\/[0-9a-f]{2}\/[0-9a-f]{38}\//.test(r))
    .map((r) => r.split('/')[4]);

describe('lineage exp', function () {
  this.timeout(120000);
  const repos: GitFixture[] = [];
  const make = () => {
    const r = project();
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.cleanup()));

  it('run prints what DVC prints and records the experiment; exps lists it', () => {
    const repo = make();
    const out = expectOk(runCli(['exp', 'run', '-S', 'train.lr=0.01', '-n', 'ours'], { repo: repo.dir }));
    assert.match(
      out,
      /^Reproducing experiment 'ours'\nRunning stage 'train':\n> sh train\.sh\nUpdating lock file 'dvc\.lock'\n\nRan experiment\(s\): ours\nExperiment results have been applied to your workspace\.\n$/,
    );
    assert.deepEqual(refs(repo), ['ours']);
    const exps = JSON.parse(expectOk(runCli(['exps', '--json'], { repo: repo.dir }))) as {
      experiments: { revs: { name: string; data: { params: unknown } }[] }[] | null;
    }[];
    const listed = exps.flatMap((b) => b.experiments ?? []).map((e) => e.revs[0]);
    assert.deepEqual(
      listed.map((e) => e.name),
      ['ours'],
    );
    assert.deepEqual(listed[0].data.params, { 'params.yaml': { data: { train: { lr: 0.01 } } } });
  });

  it('each bad input is one line naming what and where, exit 2, and changes nothing', () => {
    const repo = make();
    expectOk(runCli(['exp', 'run', '-n', 'taken', '-S', 'train.lr=0.2'], { repo: repo.dir }));
    repo.git('checkout', '--', '.');
    const cases: [string[], RegExp][] = [
      [
        ['exp', 'run', '-S', 'train.nope=1'],
        /^lineage: params\.yaml: Invalid `--set-param` value: Could not override 'train\.nope'\. To append to your config use \+train\.nope=1/,
      ],
      [['exp', 'run', '-S', 'train.lr=[1,'], /^lineage: cannot parse 'train\.lr=\[1,'/],
      [['exp', 'run', '-S', 'train.lr=1,2'], /Sweep overrides can't be used without `--queue`/],
      [['exp', 'run', '-S', 'other.toml:a=1'], /only YAML .* and JSON params files/],
      [['exp', 'run', '-n', 'taken'], /Experiment conflicts with existing experiment 'taken'/],
      [['exp', 'run', '-n', 'a/b'], /invalid experiment name 'a\/b'/],
      [['exp', 'run', '-n', 'x.lock'], /invalid experiment name 'x\.lock'/],
      [['exp', 'run', '--queue'], /--queue\) are not supported yet/],
      [['exp', 'run', 'nosuchstage'], /stage 'nosuchstage' not found/],
      [['exp', 'apply', 'nosuch'], /'nosuch' does not appear to be an experiment commit/],
      [['exp', 'remove', 'nosuch'], /'nosuch' is not a valid experiment name/],
      [['exp', 'remove'], /Either provide an `experiment` argument/],
      [['exp', 'rename', 'taken', 'bad name'], /invalid experiment name 'bad name'/],
      [['exp', 'branch', 'taken', 'bad..branch'], /'bad\.\.branch' is not a valid Git branch name/],
      [['exp', 'push', 'nosuchremote', 'taken'], /Git remote 'nosuchremote' could not be reached or refused/],
      [['exp', 'frobnicate'], /unknown exp command "frobnicate"/],
      [['exp'], /exp needs a command/],
      [['exp', 'run', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) assert.match(expectUsageError(runCli(args, { repo: repo.dir })), message, args.join(' '));
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.deepEqual(refs(repo), ['taken']);
  });

  it('a dvc.yaml that does not parse is refused with its file and line, exit 2', () => {
    const repo = make();
    writeFileSync(join(repo.dir, 'dvc.yaml'), 'stages:\n  train:\n    cmd: [oops\n');
    const r = runCli(['exp', 'run', '-S', 'train.lr=0.3'], { repo: repo.dir });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /^lineage: ERROR: dvc\.yaml:\d+(:\d+)?: /);
    assert.equal(readFileSync(join(repo.dir, 'params.yaml'), 'utf8'), 'train:\n  lr: 0.1\n');
  });

  it('applying over uncommitted changes is refused (exit 2) unless --force, which keeps them', () => {
    const repo = make();
    expectOk(runCli(['exp', 'run', '-n', 'e1', '-S', 'train.lr=0.4'], { repo: repo.dir }));
    repo.git('checkout', '--', '.');
    writeFileSync(join(repo.dir, 'params.yaml'), 'train:\n  lr: 0.9 # mine\n');
    assert.match(
      expectUsageError(runCli(['exp', 'apply', 'e1'], { repo: repo.dir })),
      /would overwrite changes Git has not recorded in params\.yaml.*--force/,
    );
    assert.match(readFileSync(join(repo.dir, 'params.yaml'), 'utf8'), /# mine/);
    const out = expectOk(runCli(['exp', 'apply', '--force', 'e1'], { repo: repo.dir }));
    assert.match(out, /kept in refs\/exps\/apply\/stash .*\nChanges for experiment 'e1' have been applied to your current workspace\.\n$/);
    assert.equal(readFileSync(join(repo.dir, 'model.txt'), 'utf8'), 'model 0.4\n');
  });

  it('a failing stage exits 1, records no experiment and says where its output is kept', () => {
    const repo = make();
    writeFileSync(join(repo.dir, 'train.sh'), 'echo "cannot train" >&2\nexit 4\n');
    const r = runCli(['exp', 'run', '-n', 'broken', '-S', 'train.lr=0.5'], { repo: repo.dir });
    assert.equal(r.status, 1, describeRun(r));
    assert.match(
      r.stderr,
      /cannot train\nlineage: stage 'train': failed to run: sh train\.sh, exited with 4\nlineage: experiment 'broken' failed at stage 'train'; no experiment was recorded\. Its params and output are kept: (\S+\.log) \(lineage exp runs lists them\)\.\n$/,
    );
    assert.deepEqual(refs(repo), []);
    const kept = JSON.parse(expectOk(runCli(['exp', 'runs', '--json'], { repo: repo.dir }))) as {
      name: string;
      status: string;
      exitCode: number;
      log: string;
    }[];
    assert.deepEqual(
      kept.map((k) => [k.name, k.status, k.exitCode]),
      [['broken', 'failed', 4]],
    );
    assert.match(readFileSync(kept[0].log, 'utf8'), /cannot train/);
  });

  it('a kill -9 mid-run leaves no experiment, HEAD and the index as they were, and the next run works', async () => {
    const repo = make();
    writeFileSync(join(repo.dir, 'train.sh'), `sleep 2\n${TRAIN}`);
    repo.commit('slow stage');
    const index = readFileSync(join(repo.dir, '.git', 'index'));
    const head = repo.git('rev-parse', 'HEAD');
    const child = spawn(process.execPath, [CLI, '--repo', repo.dir, 'exp', 'run', '-n', 'killed', '-S', 'train.lr=0.6'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('> sh train.sh')) resolve();
      }),
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the orphaned stage finishes
    assert.deepEqual(refs(repo), []);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    assert.equal(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.deepEqual(readFileSync(join(repo.dir, '.git', 'index')), index);
    const kept = JSON.parse(expectOk(runCli(['exp', 'runs', '--json'], { repo: repo.dir }))) as { name: string; status: string }[];
    assert.deepEqual(
      kept.map((k) => [k.name, k.status]),
      [['killed', 'interrupted']],
    );
    const again = runCli(['exp', 'run', '-n', 'again', '-S', 'train.lr=0.6'], { repo: repo.dir });
    assert.equal(again.status, 0, describeRun(again));
    assert.match(again.stderr, /Took over the lock .*lineage-repro\.lock/);
    assert.deepEqual(refs(repo), ['again']);
  });

  it("push to a remote that refuses exits 1 with the remote's reason; save, branch, rename, remove, pull", () => {
    const repo = make();
    const remote = GitFixture.create({ init: false });
    repos.push(remote);
    remote.git('init', '-q', '--bare', '-b', 'main');
    repo.git('remote', 'add', 'origin', remote.dir);
    repo.git('push', '-q', 'origin', 'main');
    assert.match(expectOk(runCli(['exp', 'save', '-n', 'snap'], { repo: repo.dir })), /^Experiment has been saved as: snap\n$/);
    const pushed = expectOk(runCli(['exp', 'push', 'origin', 'snap'], { repo: repo.dir }));
    assert.match(
      pushed,
      /^Pushed experiment 'snap' to Git remote 'origin'\.\nOnly the Git refs were pushed: DVC data remotes are not pushed by lineage yet/,
    );
    assert.match(
      expectOk(runCli(['exp', 'push', 'origin'], { repo: repo.dir })),
      /^Experiment 'snap' is up to date on Git remote 'origin'\./,
    );
    writeFileSync(join(remote.dir, 'hooks', 'pre-receive'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(remote.dir, 'hooks', 'pre-receive'), 0o755);
    writeFileSync(join(repo.dir, 'notes.txt'), 'untracked, included with -I\n');
    expectOk(runCli(['exp', 'save', '-n', 'second', '-I', 'notes.txt'], { repo: repo.dir }));
    const refused = runCli(['exp', 'push', 'origin', 'second'], { repo: repo.dir });
    assert.equal(refused.status, 1, describeRun(refused));
    assert.match(refused.stderr, /^lineage: Git remote 'origin' refused experiment 'second': pre-receive hook declined\n$/);
    assert.match(
      expectOk(runCli(['exp', 'branch', 'snap', 'from-snap'], { repo: repo.dir })),
      /^Git branch 'from-snap' has been created from experiment 'snap'\./,
    );
    assert.equal(expectOk(runCli(['exp', 'rename', 'second', 'third'], { repo: repo.dir })), "Renamed experiments: 'second'\n");
    assert.equal(expectOk(runCli(['exp', 'remove', 'third', 'snap'], { repo: repo.dir })), "Removed experiments: 'third' and 'snap'\n");
    assert.match(
      expectOk(runCli(['exp', 'pull', 'origin', 'snap'], { repo: repo.dir })),
      /^Pulled experiment 'snap' from Git remote 'origin'\./,
    );
    assert.deepEqual(refs(repo), ['snap']);
  });

  it('--help shows the exp commands', () => {
    assert.match(expectOk(runCli(['exp', '--help'])), /^Usage: lineage exp <command>/);
    assert.match(expectOk(runCli(['exp', 'run', '--help'])), /-S\|--set-param/);
  });
});
