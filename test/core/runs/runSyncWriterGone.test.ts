import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import type { Store } from '../../../src/core/store/store';
import { syncRuns } from '../../../src/core/workspace/runSync';
import { runById, runProblems } from '../../../src/core/runs/runQueries';
import { debugLog, unfinishedLog } from '../wandb/cutLog';

const FOLDER = 'wandb/offline-run-20250102_093000-alive001';

describe('syncing a W&B run whose writer dies without touching its folder', function () {
  this.timeout(60000);
  let repo: GitFixture;
  let store: Store;
  afterEach(() => {
    store.close();
    for (const ext of ['', '-wal', '-shm']) rmSync(`${repo.dir}.sqlite${ext}`, { force: true });
    repo.cleanup();
  });

  it('is running while the process lives, then crashed with the cut-off record named, the folder unchanged', async () => {
    repo = GitFixture.create();
    repo.commit('init', { 'README.md': 'x\n' });
    ({ store } = await indexFolder(repo.dir));
    // The "wandb.init" process: alive until killed below.
    const writer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    try {
      const log = unfinishedLog('alive001', hostname());
      repo.write({
        [`${FOLDER}/run-alive001.wandb`]: log.bytes.subarray(0, log.lastRecordAt + 40 * 1024),
        [`${FOLDER}/logs/debug.log`]: debugLog(writer.pid!),
      });
      await syncRuns(repo.dir, store);
      assert.equal(runById(store, 'wandb', 'alive001')?.status, 'running');
      assert.deepEqual(runProblems(store), []);
    } finally {
      writer.kill('SIGKILL');
      await exited;
    }
    const report = await syncRuns(repo.dir, store);
    assert.equal(report.read, 1, 'read again though no file changed');
    assert.equal(runById(store, 'wandb', 'alive001')?.status, 'crashed');
    const problems = runProblems(store).map((p) => `${p.file}: ${p.message.slice(0, p.message.indexOf(' ('))}`);
    assert.deepEqual(problems, [
      `${FOLDER}/run-alive001.wandb: byte ${unfinishedLog('alive001', hostname()).lastRecordAt}: the log is cut off inside a record`,
    ]);
    const again = await syncRuns(repo.dir, store);
    assert.deepEqual([again.read, again.unchanged], [0, 1], 'a crashed run is not re-read while its folder is unchanged');
  });
});
