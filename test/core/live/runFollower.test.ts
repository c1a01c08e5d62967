import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followRun, type RunFollower, type RunPoll } from '../../../src/core/live/runFollower';
import { RUNNING_WINDOW_MS } from '../../../src/core/wandb/wandbExternalRun';
import { WandbLogWriter, exitRecord, historyRecord, runRecord } from '../../../src/core/wandb/wandbLogWriter';
import { writeMlflowRun } from '../runs/mlflowFolders';

const RUN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const T = 1735689700000;
const steps = (poll: RunPoll, key: string) => poll.deltas.find((d) => d.key === key)?.points.map((p) => [p.step, p.value]);

function follower(root: string, run: Parameters<typeof followRun>[1], now?: () => number): RunFollower {
  const f = followRun(root, run, { now });
  if (typeof f === 'string') throw new Error(f);
  return f;
}

describe('followRun: an MLflow file-store run being written', () => {
  let root: string;
  const metric = (key: string) => join(root, 'mlruns', '1', RUN, 'metrics', key);
  const setStatus = (status: number) => {
    const meta = join(root, 'mlruns', '1', RUN, 'meta.yaml');
    writeFileSync(meta, readFileSync(meta, 'utf8').replace(/^status: \d+$/m, `status: ${status}`));
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-run-follow-'));
    writeMlflowRun(root, 'mlruns', {
      id: RUN,
      name: 'live',
      status: 1,
      metrics: {
        loss: [
          [T, '1.0', 0],
          [T + 1, '0.8', 1],
        ],
      },
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the run, then only appended lines and new metric files, and sees the run end', async () => {
    const f = follower(root, { source: 'mlflow', id: RUN, location: 'mlruns', experimentId: '1' });
    assert.equal(f.dir, `mlruns/1/${RUN}`);
    const first = await f.poll();
    assert.deepEqual(first.deltas, [
      {
        key: 'loss',
        file: `mlruns/1/${RUN}/metrics/loss`,
        points: [
          { step: 0, value: 1, timestamp: T },
          { step: 1, value: 0.8, timestamp: T + 1 },
        ],
        reset: false,
      },
    ]);
    assert.equal(first.finished, false, 'meta.yaml says RUNNING');
    assert.deepEqual((await f.poll()).deltas, [], 'nothing new');

    appendFileSync(metric('loss'), `${T + 2} 0.6 2\n${T + 3} 0.5`);
    mkdirSync(join(root, 'mlruns', '1', RUN, 'metrics', 'val'), { recursive: true });
    writeFileSync(metric('val/acc'), `${T + 2} 0.7 2\n`);
    const next = await f.poll();
    assert.deepEqual(steps(next, 'loss'), [[2, 0.6]], 'a line without its newline waits');
    assert.deepEqual(steps(next, 'val/acc'), [[2, 0.7]]);
    assert.ok(next.deltas.every((d) => !d.reset));

    // The last step and the end of the run land between two polls: the poll that sees the end reads them.
    appendFileSync(metric('loss'), ' 3\n');
    setStatus(3);
    const last = await f.poll();
    assert.equal(last.finished, true);
    assert.deepEqual(steps(last, 'loss'), [[3, 0.5]]);
    assert.deepEqual(
      [...f.series()].map(([k, p]) => [k, p.length]),
      [
        ['loss', 4],
        ['val/acc', 1],
      ],
    );
  });

  it('resends a series sorted when a step arrives out of order, and names a bad line', async () => {
    const f = follower(root, { source: 'mlflow', id: RUN, location: 'mlruns', experimentId: null });
    await f.poll();
    appendFileSync(metric('loss'), `${T + 5} 0.9 0\nnot a line\n`);
    const poll = await f.poll();
    assert.equal(poll.deltas[0].reset, true);
    assert.deepEqual(steps(poll, 'loss'), [
      [0, 1],
      [0, 0.9],
      [1, 0.8],
    ]);
    assert.deepEqual(
      poll.problems.map((p) => [p.file, p.line]),
      [[`mlruns/1/${RUN}/metrics/loss`, 4]],
    );
    setStatus(5);
    assert.equal((await f.poll()).finished, true, 'KILLED ends it too');
  });

  it('is finished when the run folder is deleted', async () => {
    const f = follower(root, { source: 'mlflow', id: RUN, location: 'mlruns', experimentId: '1' });
    await f.poll();
    rmSync(join(root, 'mlruns', '1', RUN), { recursive: true });
    const poll = await f.poll();
    assert.equal(poll.finished, true);
    assert.deepEqual(
      poll.deltas.map((d) => [d.key, d.gone]),
      [['loss', true]],
    );
  });

  it('does not follow runs in a database, on a server, or outside the workspace', () => {
    writeFileSync(join(root, 'mlflow.db'), '');
    assert.match(
      followRun(root, { source: 'mlflow', id: RUN, location: 'mlflow.db', experimentId: '1' }) as string,
      /database are not followed live/,
    );
    assert.match(
      followRun(root, { source: 'mlflow', id: RUN, location: 'http://localhost:5000', experimentId: '1' }) as string,
      /tracking server/,
    );
    assert.match(
      followRun(root, { source: 'mlflow', id: RUN, location: '../elsewhere', experimentId: '1' }) as string,
      /outside the workspace/,
    );
    assert.match(followRun(root, { source: 'mlflow', id: '../1', location: 'mlruns', experimentId: '1' }) as string, /no folder/);
  });
});

describe('followRun: a W&B run log written in pieces', () => {
  let root: string;
  const folder = 'wandb/offline-run-20250101_000000-k3x9q2';
  let log: string;
  let pending: Buffer[];
  let writer: WandbLogWriter;
  /** Writes what the writer framed so far, or only its first `bytes` (a record caught mid-write). */
  const flush = (bytes?: number) => {
    const all = Buffer.concat(pending);
    const n = bytes ?? all.length;
    appendFileSync(log, all.subarray(0, n));
    pending = [all.subarray(n)];
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-run-follow-wandb-'));
    mkdirSync(join(root, folder), { recursive: true });
    log = join(root, folder, 'run-k3x9q2.wandb');
    writeFileSync(log, '');
    pending = [];
    writer = new WandbLogWriter((b) => pending.push(Buffer.from(b)));
    writer.write(runRecord({ runId: 'k3x9q2', project: 'demo', displayName: 'swift-owl' }));
    writer.write(historyRecord(0, { loss: 2, _timestamp: 1735689700.5 }));
    flush();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('hands on new history rows as points, waits for a record cut mid-write, and ends at the exit record', async () => {
    const f = follower(root, { source: 'wandb', id: 'k3x9q2', location: folder, experimentId: 'demo' });
    assert.equal(f.dir, folder);
    const first = await f.poll();
    assert.deepEqual(first.deltas, [
      { key: 'loss', file: `${folder}/run-k3x9q2.wandb`, points: [{ step: 0, value: 2, timestamp: 1735689700500 }], reset: false },
    ]);
    assert.equal(first.finished, false);

    writer.write(historyRecord(1, { loss: 1.5, val: { acc: 0.6 }, media: { _type: 'image-file', path: 'x.png' } }));
    flush(10);
    assert.deepEqual((await f.poll()).deltas, [], 'half a record is not read');
    flush();
    const next = await f.poll();
    assert.deepEqual(steps(next, 'loss'), [[1, 1.5]]);
    assert.deepEqual(steps(next, 'val.acc'), [[1, 0.6]], 'nested values are keyed with dots; media are no metric');
    assert.equal(next.deltas.length, 2);

    writer.write(historyRecord(2, { loss: 1.1 }));
    writer.write(exitRecord(0, 12));
    flush();
    const last = await f.poll();
    assert.equal(last.finished, true);
    assert.deepEqual(steps(last, 'loss'), [[2, 1.1]]);
    assert.deepEqual(
      f
        .series()
        .get('loss')!
        .map((p) => p.step),
      [0, 1, 2],
    );
  });

  it('overlapping polls read each record once', async () => {
    const f = follower(root, { source: 'wandb', id: 'k3x9q2', location: folder, experimentId: null });
    for (let i = 1; i <= 20; i++) writer.write(historyRecord(i, { loss: 1 / i }));
    flush();
    const polls = await Promise.all([f.poll(), f.poll(), f.poll()]);
    assert.equal(
      polls.flatMap((p) => p.deltas).reduce((n, d) => n + d.points.length, 0),
      21,
    );
    assert.equal(f.series().get('loss')!.length, 21);
  });

  it('a log silent for longer than the running window belongs to a dead run; a replaced log is read anew', async () => {
    const mtime = () => statSync(log).mtimeMs;
    let now = mtime();
    const f = follower(root, { source: 'wandb', id: 'k3x9q2', location: folder, experimentId: null }, () => now);
    assert.equal((await f.poll()).finished, false);

    rmSync(log);
    const fresh: Buffer[] = [];
    const w = new WandbLogWriter((b) => fresh.push(Buffer.from(b)));
    w.write(historyRecord(0, { acc: 0.1 }));
    writeFileSync(log, Buffer.concat(fresh));
    const replaced = await f.poll();
    assert.deepEqual(
      replaced.deltas.map((d) => [d.key, d.reset, d.gone ?? false, d.points.length]),
      [
        ['acc', true, false, 1],
        ['loss', true, true, 0],
      ],
    );

    now = mtime() + RUNNING_WINDOW_MS + 1;
    assert.equal((await f.poll()).finished, true);
  });

  it('reports damage once with its file, and a log that is gone ends the run', async () => {
    const f = follower(root, { source: 'wandb', id: 'k3x9q2', location: folder, experimentId: null });
    await f.poll();
    writer.write(historyRecord(1, { loss: 1 }));
    const good = Buffer.concat(pending);
    pending = [];
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    appendFileSync(log, bad);
    writer.write(historyRecord(2, { loss: 0.5 }));
    flush();
    const poll = await f.poll();
    assert.deepEqual(steps(poll, 'loss'), [[2, 0.5]], 'the damaged row is skipped, the next one read');
    assert.equal(poll.problems.length, 1);
    assert.equal(poll.problems[0].file, `${folder}/run-k3x9q2.wandb`);
    assert.match(poll.problems[0].message, /checksum/);
    assert.deepEqual((await f.poll()).problems, []);
    rmSync(log);
    const gone = await f.poll();
    assert.equal(gone.finished, true);
    assert.deepEqual(
      gone.deltas.map((d) => [d.key, d.gone]),
      [['loss', true]],
    );
  });
});
