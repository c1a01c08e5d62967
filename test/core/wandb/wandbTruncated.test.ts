import { strict as assert } from 'node:assert';
import { rmSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RUNNING_WINDOW_MS, readWandbDir } from '../../../src/core/wandb/wandbRuns';
import { debugLog, exitedPid, unfinishedLog } from './cutLog';
import { tempDir, writeFiles } from './fixtures';

const FOLDER = 'wandb/offline-run-20250102_093000-cut00001';
const LOG = `${FOLDER}/run-cut00001.wandb`;

describe('a .wandb log cut off mid-record', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(
    host: string,
    cut: (log: { bytes: Buffer; lastRecordAt: number }) => number,
    debugPid: number | null,
  ): { at: number; end: number } {
    root = tempDir();
    const log = unfinishedLog('cut00001', host);
    const end = cut(log);
    writeFiles(root, {
      [LOG]: log.bytes.subarray(0, end),
      ...(debugPid !== null ? { [`${FOLDER}/logs/debug.log`]: debugLog(debugPid) } : {}),
    });
    return { at: log.lastRecordAt, end };
  }

  it('is a problem with the byte offset, and the run crashed, when the process that wrote it has exited', async () => {
    // Cut 40 KiB into a record of 80 KiB: past its first chunk (block 1 ends at 32 KiB).
    const { at, end } = write(hostname(), (l) => l.lastRecordAt + 40 * 1024, exitedPid());
    const { runs, problems } = await readWandbDir(root, 'wandb');
    assert.deepEqual(
      runs.map((r) => [r.id, r.status, r.series.loss.length]),
      [['cut00001', 'crashed', 2]],
    );
    assert.deepEqual(problems, [
      {
        file: LOG,
        message: `byte ${at}: the log is cut off inside a record (it ends ${end - at} bytes later, at byte ${end}) and no wandb process is writing it any more; the run stopped without an exit record (killed, crashed, or the file was copied while it ran), so it is shown as crashed`,
      },
    ]);
  });

  it('is a problem too when nobody wrote the log for a while (no pid to ask, or another machine)', async () => {
    const { at } = write('another-host', (l) => l.lastRecordAt + 5, exitedPid());
    const mtime = Date.now() - RUNNING_WINDOW_MS - 60_000;
    utimesSync(join(root, LOG), mtime / 1000, mtime / 1000);
    const { runs, problems } = await readWandbDir(root, 'wandb');
    assert.equal(runs[0].status, 'crashed');
    assert.deepEqual(
      problems.map((p) => p.message.slice(0, p.message.indexOf(' ('))),
      [`byte ${at}: the log is cut off inside a record`],
    );
  });

  it('is a run still being written while its writer is alive, or may be (another machine, recent change)', async () => {
    for (const [host, pid] of [
      [hostname(), process.pid],
      ['another-host', exitedPid()],
      [hostname(), null],
    ] as const) {
      write(host, (l) => l.lastRecordAt + 40 * 1024, pid);
      const { runs, problems } = await readWandbDir(root, 'wandb');
      assert.deepEqual([runs[0].status, problems], ['running', []], `host ${host}, pid ${pid}`);
      rmSync(root, { recursive: true, force: true });
    }
    root = tempDir();
  });

  it('a log that ends on a record boundary is not cut off, only unfinished', async () => {
    write(hostname(), (l) => l.lastRecordAt, exitedPid());
    const { runs, problems } = await readWandbDir(root, 'wandb');
    assert.deepEqual([runs[0].status, problems], ['crashed', []]);
  });
});
