import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { Store } from '../../../src/core/store/store';
import { reproduce, ReproError } from '../../../src/core/repro/runner';
import { ReproBusyError } from '../../../src/core/repro/reproMutex';
import { stageStatuses, toDvcStatusJson } from '../../../src/core/repro/status';
import { createReproIO } from '../../../src/core/repro/reproIO';
import { recentRuns, runsForRevision } from '../../../src/core/repro/runRecords';
import { indexRepository } from '../../../src/core/indexer/indexer';
import { openRepo } from '../../../src/core/git/repo';
import type { ReproEvent, ReproOptions } from '../../../src/core/repro/types';

const PIPELINE = `stages:
  prepare:
    cmd: tr a-z A-Z < raw.txt > prepared.txt
    deps:
    - raw.txt
    outs:
    - prepared.txt
  train:
    cmd: cat prepared.txt prepared.txt > model.bin && echo '{"acc":0.5}' > metrics.json
    deps:
    - prepared.txt
    params:
    - lr
    outs:
    - model.bin
    metrics:
    - metrics.json:
        cache: false
`;

function project(files: Record<string, string> = {}) {
  const repo = GitFixture.create();
  repo.commit('pipeline', {
    '.dvc/config': '',
    'dvc.yaml': PIPELINE,
    'raw.txt': 'hello\n',
    'params.yaml': 'lr: 0.1\nother: 1\n',
    ...files,
  });
  const store = Store.open(join(repo.dir, '.git', 'lineage-test.sqlite'));
  return { repo, store, io: createReproIO(repo.dir, store) };
}

async function run(p: ReturnType<typeof project>, options: Partial<ReproOptions> = {}) {
  const events: ReproEvent[] = [];
  const result = await reproduce(p.repo.dir, p.io, { targets: [], ...options }, (e) => events.push(e), { store: p.store });
  return { result, events };
}

/** The md5 dvc.lock records for a path, as a cache path '<2>/<30>'. */
function lockMd5(lock: string, path: string): string {
  const m = new RegExp(`- path: ${path}\\n      hash: md5\\n      md5: ([0-9a-f]{32})`).exec(lock);
  assert.ok(m, `${path} in dvc.lock`);
  return `${m[1].slice(0, 2)}/${m[1].slice(2)}`;
}

const read = (p: ReturnType<typeof project>, f: string) => readFileSync(join(p.repo.dir, f), 'utf8');

describe('repro runner', function () {
  this.timeout(20000);

  it('runs stages in order, writes dvc.lock and the cache, and is up to date afterwards', async () => {
    const p = project();
    const before = await stageStatuses(p.repo.dir, p.io);
    assert.deepEqual(Object.keys(toDvcStatusJson(before.stages)), ['prepare', 'train']);
    const { result, events } = await run(p);
    assert.deepEqual(result, { ok: true, ran: ['prepare', 'train'], skipped: [] });
    assert.equal(read(p, 'prepared.txt'), 'HELLO\n');
    const lock = read(p, 'dvc.lock');
    assert.match(
      lock,
      /^schema: '2.0'\nstages:\n  prepare:\n    cmd: tr a-z A-Z < raw.txt > prepared.txt\n    deps:\n    - path: raw.txt\n      hash: md5\n      md5: b1946ac92492d2347c6235b4d2611184\n      size: 6\n/,
    );
    assert.match(lock, /params:\n      params.yaml:\n        lr: 0.1\n/);
    // model.bin is cached (DVC 3 layout); metrics.json has cache: false.
    assert.equal(existsSync(join(p.repo.dir, '.dvc/cache/files/md5/b1/946ac92492d2347c6235b4d2611184')), false, 'deps are not cached');
    assert.equal(readFileSync(join(p.repo.dir, '.dvc/cache/files/md5/00/84467710d2fc9d8a306e14efbe6d0f'), 'utf8'), 'HELLO\n');
    assert.equal(existsSync(join(p.repo.dir, '.dvc/cache/files/md5', lockMd5(lock, 'metrics.json'))), false, 'cache: false');
    const after = await stageStatuses(p.repo.dir, p.io);
    assert.deepEqual(toDvcStatusJson(after.stages), {});
    assert.ok(events.some((e) => e.type === 'locked' && e.stage === 'train'));
    const again = await run(p);
    assert.deepEqual(again.result, { ok: true, ran: [], skipped: ['prepare', 'train'] });
  });

  it('reruns only what a changed dep or param affects, and says why', async () => {
    const p = project();
    await run(p);
    writeFileSync(join(p.repo.dir, 'params.yaml'), 'lr: 0.2\nother: 1\n');
    const status = await stageStatuses(p.repo.dir, p.io);
    assert.deepEqual(toDvcStatusJson(status.stages), { train: [{ 'changed deps': { 'params.yaml': { lr: 'modified' } } }] });
    const { result, events } = await run(p);
    assert.deepEqual(result.ran, ['train']);
    assert.deepEqual(
      events.find((e) => e.type === 'stage'),
      { type: 'stage', stage: 'train', reasons: ['param lr modified'] },
    );
    writeFileSync(join(p.repo.dir, 'raw.txt'), 'bye\n');
    assert.deepEqual(toDvcStatusJson((await stageStatuses(p.repo.dir, p.io)).stages), {
      prepare: [{ 'changed deps': { 'raw.txt': 'modified' } }],
    });
    assert.deepEqual((await run(p, { targets: ['prepare'], singleItem: true })).result.ran, ['prepare']);
    assert.deepEqual(toDvcStatusJson((await stageStatuses(p.repo.dir, p.io)).stages), {
      train: [{ 'changed deps': { 'prepared.txt': 'modified' } }],
    });
  });

  it('a failing command stops the run, reports its exit code and output, and leaves dvc.lock alone', async () => {
    const p = project();
    await run(p);
    const lockBefore = read(p, 'dvc.lock');
    writeFileSync(join(p.repo.dir, 'dvc.yaml'), PIPELINE.replace('tr a-z A-Z < raw.txt > prepared.txt', 'echo boom >&2; exit 3'));
    const { result, events } = await run(p);
    assert.equal(result.ok, false);
    assert.deepEqual(result.failed, { stage: 'prepare', exitCode: 3, message: 'failed to run: echo boom >&2; exit 3, exited with 3' });
    assert.ok(events.some((e) => e.type === 'output' && e.stream === 'stderr' && e.text.includes('boom')));
    assert.equal(read(p, 'dvc.lock'), lockBefore);
    assert.equal(recentRuns(p.store, 1)[0].status, 'failed');
    assert.equal(recentRuns(p.store, 1)[0].exitCode, 3);
  });

  it('cancel kills the command, writes no lock entry and records the run as cancelled', async () => {
    const p = project({ 'dvc.yaml': 'stages:\n  slow:\n    cmd: echo started; sleep 30; echo done > out.txt\n    outs:\n    - out.txt\n' });
    const controller = new AbortController();
    const started = Date.now();
    const events: ReproEvent[] = [];
    const pending = reproduce(
      p.repo.dir,
      p.io,
      { targets: [], signal: controller.signal },
      (e) => {
        events.push(e);
        if (e.type === 'output' && e.text.includes('started')) controller.abort();
      },
      { store: p.store },
    );
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.ok(Date.now() - started < 15000, 'the sleep was killed');
    assert.equal(existsSync(join(p.repo.dir, 'dvc.lock')), false);
    assert.equal(recentRuns(p.store, 1)[0].status, 'cancelled');
    assert.ok(events.some((e) => e.type === 'cancelled'));
  });

  it('a missing dep fails before running, naming the file', async () => {
    const p = project({
      'dvc.yaml':
        'stages:\n  a:\n    cmd: touch ran.txt && cp nothere.txt out.txt\n    deps:\n    - nothere.txt\n    outs:\n    - out.txt\n',
    });
    const { result } = await run(p);
    assert.equal(result.ok, false);
    assert.match(result.failed!.message, /dependency 'nothere.txt' of stage 'a' does not exist/);
    assert.equal(existsSync(join(p.repo.dir, 'ran.txt')), false);
  });

  it('refuses an out outside the workspace, a cycle and an unreadable dvc.lock', async () => {
    const outside = project({ 'dvc.yaml': 'stages:\n  a:\n    cmd: touch ../escaped.txt\n    outs:\n    - ../escaped.txt\n' });
    await assert.rejects(
      run(outside),
      (e: Error) => e instanceof ReproError && /outside the repository; refused/.test(e.message) && e.problems[0].kind === 'refused',
    );
    assert.equal(existsSync(join(outside.repo.dir, '..', 'escaped.txt')), false);

    const cyclic = project({
      'dvc.yaml': 'stages:\n  a:\n    cmd: x\n    deps: [b]\n    outs: [a]\n  b:\n    cmd: y\n    deps: [a]\n    outs: [b]\n',
    });
    await assert.rejects(
      run(cyclic),
      (e: Error) => e instanceof ReproError && /defined as both a dependency and an output in stages: a, b \(cycle/.test(e.message),
    );

    const broken = project({ 'dvc.lock': "schema: '2.0'\nstages:\n  prepare: [oops\n" });
    await assert.rejects(run(broken), (e: Error) => e instanceof ReproError && /dvc\.lock:\d+/.test(e.message));
    assert.equal(read(broken, 'dvc.lock'), "schema: '2.0'\nstages:\n  prepare: [oops\n");
  });

  it('a second repro on the same repository refuses while the first runs', async () => {
    const p = project({ 'dvc.yaml': 'stages:\n  slow:\n    cmd: sleep 1; echo ok > out.txt\n    outs:\n    - out.txt\n' });
    const first = run(p);
    await new Promise((r) => setTimeout(r, 200));
    await assert.rejects(run(p), (e: Error) => e instanceof ReproBusyError && /Another repro is running/.test(e.message));
    assert.equal((await first).result.ok, true);
    assert.deepEqual((await run(p)).result.skipped, ['slow']);
  });

  it('records the environment and finds it again at the commit that records the outs', async () => {
    const p = project();
    const pipelineSha = p.repo.git('rev-parse', 'HEAD');
    await run(p);
    const sha = p.repo.commit('results');
    const repo = await openRepo(p.repo.dir);
    await indexRepository(repo, p.store);
    const found = runsForRevision(p.store, sha);
    assert.deepEqual(
      found.map((f) => [f.stage, f.match]),
      [
        ['prepare', 'outs'],
        ['train', 'outs'],
      ],
    );
    const env = found[1].run.env;
    assert.equal(env.cmd, `cat prepared.txt prepared.txt > model.bin && echo '{"acc":0.5}' > metrics.json`);
    assert.equal(env.node, process.version);
    // Untracked outs do not make the tree dirty; the run started from the pipeline commit.
    assert.deepEqual([env.git.head, env.git.branch, env.git.dirty], [pipelineSha, 'main', false]);
    assert.ok(env.python === undefined, 'no Python in this cmd');
    assert.ok(!('LINEAGE_TEST_SECRET_TOKEN' in env.vars));
    assert.equal(found[1].run.status, 'ok');
  });

  it('keeps a DVC 2 lock entry whose file did not change, as DVC 3 does (expected lock written by DVC 3.67)', async () => {
    const p = project({
      'dvc.yaml': 'stages:\n  a:\n    cmd: cat x.txt y.txt > out.txt\n    deps: [x.txt, y.txt]\n    outs: [out.txt]\n',
      'x.txt': 'x\n',
      'y.txt': 'y\n',
    });
    await run(p);
    writeFileSync(join(p.repo.dir, 'dvc.lock'), read(p, 'dvc.lock').replace(/ *hash: md5\n/g, ''));
    writeFileSync(join(p.repo.dir, 'y.txt'), 'y2\n');
    assert.deepEqual((await run(p)).result.ran, ['a']);
    assert.equal(
      read(p, 'dvc.lock'),
      "schema: '2.0'\nstages:\n  a:\n    cmd: cat x.txt y.txt > out.txt\n    deps:\n    - path: x.txt\n      md5: 401b30e3b8b5d629635a5c613cdb7919\n      size: 2\n    - path: y.txt\n      hash: md5\n      md5: 87bbea99cd64aa772e1420eca3314ceb\n      size: 3\n    outs:\n    - path: out.txt\n      hash: md5\n      md5: d7e7669a46951cc3267f52e88d146a4a\n      size: 5\n",
    );
  });

  it('renders floats in cmd and params the way DVC does (lock bytes written by DVC 3.67)', async () => {
    const p = project({
      'params.yaml': 'lr: 1.0\nwd: 1e-5\nbig: 1e16\nn: 3\n',
      'dvc.yaml': 'stages:\n  t:\n    cmd: echo ${lr} ${wd} ${big} ${n} > o.txt\n    params: [lr, wd, big, n]\n    outs: [o.txt]\n',
    });
    assert.deepEqual((await run(p)).result.ran, ['t']);
    assert.equal(read(p, 'o.txt'), '1.0 1e-05 1e+16 3\n');
    assert.equal(
      read(p, 'dvc.lock'),
      "schema: '2.0'\nstages:\n  t:\n    cmd: echo 1.0 1e-05 1e+16 3 > o.txt\n    params:\n      params.yaml:\n        big: 1e+16\n        lr: 1.0\n        n: 3\n        wd: 1e-05\n    outs:\n    - path: o.txt\n      hash: md5\n      md5: 4276ad5e0a295f77722c9f0533bd63c8\n      size: 18\n",
    );
  });

  it("a tracked param missing from params.yaml fails the stage with DVC's message", async () => {
    const p = project({ 'dvc.yaml': 'stages:\n  t:\n    cmd: echo hi > o.txt\n    params: [nope]\n    outs: [o.txt]\n' });
    const { result } = await run(p);
    assert.equal(result.ok, false);
    assert.match(result.failed!.message, /nope/);
    assert.equal(existsSync(join(p.repo.dir, 'o.txt')), false, 'the command did not run');
  });
});
