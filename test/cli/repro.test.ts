// `lineage status`, `lineage repro` and `lineage env` as a user runs them: the bundled CLI
// over a real Git repository with a small pipeline of shell commands.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { expectOk, expectUsageError, runCli } from '../helpers/runCli';

const PIPELINE = `stages:
  prepare:
    cmd: tr a-z A-Z < raw.txt > prepared.txt
    deps:
    - raw.txt
    outs:
    - prepared.txt
  train:
    cmd: wc -c prepared.txt > model.txt
    deps:
    - prepared.txt
    params:
    - train.lr
    outs:
    - model.txt
`;

describe('lineage status / repro / env', function () {
  this.timeout(60000);

  function project(): GitFixture {
    return GitFixture.create().write({
      '.dvc/config': '',
      '.dvc/.gitignore': '/cache\n/tmp\n',
      'dvc.yaml': PIPELINE,
      'raw.txt': 'abc\n',
      'params.yaml': 'train:\n  lr: 0.01\n',
    });
  }

  it('status lists what is out of date like dvc status, --json in its shape, -q as exit code', () => {
    const repo = project();
    repo.commit('pipeline');
    const text = expectOk(runCli(['status'], { repo: repo.dir }));
    assert.equal(
      text,
      'prepare:\n\tchanged deps:\n\t\tmodified:           raw.txt\n\tchanged outs:\n\t\tdeleted:            prepared.txt\ntrain:\n\tchanged deps:\n\t\tdeleted:            prepared.txt\n\t\tnew:                params.yaml\n\tchanged outs:\n\t\tdeleted:            model.txt\n',
    );
    assert.deepEqual(JSON.parse(expectOk(runCli(['status', '--json', 'train'], { repo: repo.dir }))), {
      train: [{ 'changed deps': { 'prepared.txt': 'deleted', 'params.yaml': 'new' } }, { 'changed outs': { 'model.txt': 'deleted' } }],
    });
    const quiet = runCli(['status', '-q'], { repo: repo.dir });
    assert.deepEqual([quiet.status, quiet.stdout], [1, '']);
    expectUsageError(runCli(['status', 'nosuchstage'], { repo: repo.dir }));
  });

  it('repro runs the pipeline, writes dvc.lock, and a second run skips everything', () => {
    const repo = project();
    repo.commit('pipeline');
    const out = expectOk(runCli(['repro'], { repo: repo.dir }));
    assert.match(
      out,
      /Running stage 'prepare' \(never run \(no dvc.lock entry\), dep raw.txt modified, out prepared.txt deleted\):\n> tr a-z A-Z < raw.txt > prepared.txt\nUpdating lock file 'dvc.lock'\n/,
    );
    assert.equal(readFileSync(join(repo.dir, 'model.txt'), 'utf8').trim(), '4 prepared.txt');
    assert.match(
      readFileSync(join(repo.dir, 'dvc.lock'), 'utf8'),
      /train:\n    cmd: wc -c prepared.txt > model.txt\n    deps:\n    - path: prepared.txt\n      hash: md5\n      md5: 2f9a0a5e5a6b9e8f1b3e1c6a4d0e9c2b|train:\n    cmd: wc -c prepared.txt > model.txt\n    deps:\n    - path: prepared.txt\n      hash: md5\n      md5: [0-9a-f]{32}\n      size: 4\n    params:\n      params.yaml:\n        train.lr: 0.01\n/,
    );
    assert.equal(expectOk(runCli(['status'], { repo: repo.dir })), 'Data and pipelines are up to date.\n');
    assert.equal(
      expectOk(runCli(['repro'], { repo: repo.dir })),
      "Stage 'prepare' didn't change, skipping\nStage 'train' didn't change, skipping\nData and pipelines are up to date.\n",
    );
    assert.match(
      expectOk(runCli(['repro', '--dry', '--force', 'train', '-s'], { repo: repo.dir })),
      /^Running stage 'train' \(forced\):\n> wc -c prepared.txt > model.txt\n$/,
    );
  });

  it('a failing stage exits 1 with the command and code; bad input exits 2', () => {
    const repo = project();
    repo.commit('pipeline');
    writeFileSync(join(repo.dir, 'dvc.yaml'), PIPELINE.replace('tr a-z A-Z < raw.txt > prepared.txt', 'echo oops >&2; exit 7'));
    const failed = runCli(['repro'], { repo: repo.dir });
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /oops\nlineage: stage 'prepare': failed to run: echo oops >&2; exit 7, exited with 7\n$/);
    expectUsageError(runCli(['repro', 'nosuchstage'], { repo: repo.dir }));
    expectUsageError(runCli(['repro', '--downstream', '-s', 'train'], { repo: repo.dir }));
    writeFileSync(join(repo.dir, 'dvc.lock'), 'schema: [\n');
    const badLock = runCli(['repro'], { repo: repo.dir });
    assert.equal(badLock.status, 2);
    assert.match(
      badLock.stderr,
      /^lineage: ERROR: dvc\.lock:\d+(:\d+)?: .*will not be overwritten\.\nlineage: nothing was run or removed\.\n$/,
    );
  });

  it('env prints the environment recorded for the stages a commit records', () => {
    const repo = project();
    repo.commit('pipeline');
    expectOk(runCli(['repro'], { repo: repo.dir, env: { ...process.env, CUDA_VISIBLE_DEVICES: '3', WANDB_API_KEY: 'do-not-store' } }));
    repo.commit('run pipeline');
    const text = expectOk(runCli(['env'], { repo: repo.dir }));
    assert.match(text, /^prepare\n  command:   tr a-z A-Z < raw.txt > prepared.txt\n  status:    ok \(exit 0\)\n/);
    assert.match(text, /CUDA_VISIBLE_DEVICES=3/);
    assert.match(text, /redacted:  WANDB_API_KEY/);
    assert.doesNotMatch(text, /do-not-store/);
    const json = JSON.parse(expectOk(runCli(['env', 'HEAD', '--json'], { repo: repo.dir }))) as { stage: string; match: string }[];
    assert.deepEqual(
      json.map((r) => [r.stage, r.match]),
      [
        ['prepare', 'outs'],
        ['train', 'outs'],
      ],
    );
    // The runs started at HEAD~1, whose dvc.lock does not record their outs yet.
    assert.match(
      expectOk(runCli(['env', 'HEAD~1'], { repo: repo.dir })),
      /^train \(run at this commit; its outputs are not the ones recorded here\)\n/,
    );
    repo.commit('empty');
    assert.match(expectOk(runCli(['env', 'HEAD~2'], { repo: repo.dir })), /^train \(run at this commit/);
    const fresh = project();
    fresh.commit('nothing run');
    assert.match(expectOk(runCli(['env'], { repo: fresh.dir })), /^No recorded environment for HEAD/);
  });
});
