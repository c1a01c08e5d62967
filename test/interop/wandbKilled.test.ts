// A real wandb offline run killed mid-run (SIGKILL, so no exit record and no final flush): it
// must read as crashed at once, not as "running" for the next five minutes, and a log that
// ends inside a record must say where.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readWandbDir } from '../../src/core/wandb/wandbRuns';
import { WandbLogReader } from '../../src/core/wandb/wandbLogReader';
import { scratchDir } from './helpers';
import { interopEnv, interopTool } from './tools';

const KILLED = `import os, signal, wandb
run = wandb.init(project="lineage-interop", config={"lr": 0.1})
for i in range(50):
    run.log({"loss": 1.0 / (i + 1), "pad": "y" * 2000})
os.kill(os.getpid(), signal.SIGKILL)
`;

describe('interop: a wandb run killed mid-run', function () {
  this.timeout(180000);

  it('is crashed as soon as its process is gone, with the cut-off record named by byte offset', async () => {
    const dir = scratchDir('wandb-killed');
    const r = spawnSync(interopTool('python'), ['-c', KILLED], { cwd: dir, env: interopEnv(), encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    const folder = readdirSync(join(dir, 'wandb')).find((n) => n.startsWith('offline-run-'))!;
    const logName = readdirSync(join(dir, 'wandb', folder)).find((n) => n.endsWith('.wandb'))!;
    const log = join(dir, 'wandb', folder, logName);
    assert.ok(Date.now() - statSync(log).mtimeMs < 60_000, 'the log changed just now: the old rule would call it running');

    const { runs, problems } = await readWandbDir(dir, 'wandb');
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'crashed');
    assert.ok(runs[0].series.loss.length > 0, 'the rows that reached the file are read');
    // wandb writes its log a 32 KiB block at a time, so a kill almost always leaves half a record.
    const reader = new WandbLogReader(log);
    const { pendingBytes } = await reader.read(() => undefined);
    const expected =
      pendingBytes > 0
        ? [
            `byte ${reader.offset}: the log is cut off inside a record (it ends ${pendingBytes} bytes later, at byte ${reader.offset + pendingBytes})`,
          ]
        : [];
    assert.deepEqual(
      problems.map((p) => p.message.slice(0, p.message.indexOf(' and no wandb'))),
      expected,
    );
  });
});
