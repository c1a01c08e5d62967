import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveRunIn } from '../../../src/core/query/liveRun';

describe('liveRunIn (DVCLive signal files)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-live-'));
    mkdirSync(join(root, '.dvc', 'tmp', 'exps', 'run'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (name: string, body: string) => writeFileSync(join(root, '.dvc', 'tmp', 'exps', 'run', name), body);

  it('reports a run whose writer is alive, with its step', () => {
    write('DVCLIVE_STEP_COMPLETED', JSON.stringify({ pid: process.pid, step: 7 }));
    assert.deepEqual(liveRunIn(root), { pid: process.pid, step: 7, experiment: undefined });
  });

  it('ignores a file left by a dead process, garbage and no file', () => {
    assert.equal(liveRunIn(root), undefined);
    write('DVCLIVE_ONLY', JSON.stringify({ pid: 424242, exp_name: 'x' }));
    assert.equal(
      liveRunIn(root, () => false),
      undefined,
    );
    write('DVCLIVE_ONLY', '{not json');
    assert.equal(liveRunIn(root), undefined);
    write('DVCLIVE_ONLY', JSON.stringify({ pid: '1; rm -rf /' }));
    assert.equal(liveRunIn(root), undefined);
  });
});
