import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveSignal, mlflowRunStatus } from '../../../src/core/live/liveSignal';

describe('liveSignal (is a run writing now?)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-live-signal-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a DVCLive signal file with a living pid', () => {
    mkdirSync(join(root, '.dvc', 'tmp', 'exps', 'run'), { recursive: true });
    writeFileSync(join(root, '.dvc', 'tmp', 'exps', 'run', 'DVCLIVE_ONLY'), JSON.stringify({ pid: process.pid, step: 3 }));
    assert.deepEqual(liveSignal({ root }), { live: true, reason: 'dvclive-signal', pid: process.pid, step: 3 });
    assert.deepEqual(liveSignal({ root, isAlive: () => false }), { live: false });
  });

  it('an MLflow file-store run whose meta.yaml says status 1 (RUNNING), not 3 (FINISHED)', () => {
    const run = 'mlruns/1/abc';
    mkdirSync(join(root, run), { recursive: true });
    const meta = (status: number) =>
      writeFileSync(join(root, run, 'meta.yaml'), `artifact_uri: file:///x\r\nend_time: null\r\nstatus: ${status}\r\nrun_id: abc\r\n`);
    meta(1);
    assert.equal(mlflowRunStatus(root, run), 1);
    assert.deepEqual(liveSignal({ root, mlflowRuns: [run] }), { live: true, reason: 'mlflow-running' });
    meta(3);
    assert.deepEqual(liveSignal({ root, mlflowRuns: [run] }), { live: false });
    assert.equal(mlflowRunStatus(root, 'mlruns/1/none'), undefined);
  });

  it('a series file written within the recency window', () => {
    assert.deepEqual(liveSignal({ root, lastWriteMs: 1000, now: 5000, recentMs: 10000 }), { live: true, reason: 'recent-write' });
    assert.deepEqual(liveSignal({ root, lastWriteMs: 1000, now: 20000, recentMs: 10000 }), { live: false });
    assert.deepEqual(liveSignal({ root }), { live: false });
  });
});
