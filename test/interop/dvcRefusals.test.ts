// Each pipeline `lineage repro` refuses (test/helpers/brokenPipelines.ts) goes through the real
// `dvc repro` too: DVC must refuse it as well (non-zero exit, an ERROR line), or, where we are
// deliberately stricter, still run the stage (what it then does is in `dvcAccepts`): being
// stricter is the point there, since DVC deletes files it does not own in those cases.

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_PIPELINES, makeBrokenPipeline } from '../helpers/brokenPipelines';
import { GitFixture } from '../helpers/gitFixture';
import { runCli } from '../helpers/runCli';
import { describeTool, runTool } from './helpers';

describe('interop: DVC refuses the pipelines lineage repro refuses', function () {
  this.timeout(120000);

  for (const c of BROKEN_PIPELINES) {
    it(c.dvcAccepts ? `${c.name}: DVC runs it (${c.dvcAccepts}); we refuse` : `${c.name}: dvc repro refuses too`, () => {
      const repo = makeBrokenPipeline(c);
      const r = runTool('dvc', ['repro'], repo.dir);
      if (c.dvcAccepts) {
        assert.match(r.stdout, /Running stage 'train'/, `DVC now refuses "${c.name}" itself: drop dvcAccepts\n${describeTool(r)}`);
        return;
      }
      assert.notEqual(r.status, 0, describeTool(r));
      assert.doesNotMatch(r.stdout, /Running stage/, `DVC refuses before running anything\n${describeTool(r)}`);
      assert.ok(existsSync(join(repo.dir, '.git', 'HEAD')), 'DVC left .git alone when refusing');
    });
  }

  it('repro --dry with a data dep that is missing fails in DVC and in ours, naming the dep', () => {
    const repo = GitFixture.create();
    repo.commit('pipeline', {
      '.dvc/config': '',
      'dvc.yaml': 'stages:\n  prepare:\n    cmd: cp data/raw.csv p.csv\n    deps: [data/raw.csv]\n    outs: [p.csv]\n',
    });
    const dvc = runTool('dvc', ['repro', '--dry'], repo.dir);
    assert.notEqual(dvc.status, 0, describeTool(dvc));
    assert.match(dvc.stderr, /failed to reproduce 'prepare': .*No such file/);
    const ours = runCli(['repro', '--dry'], { repo: repo.dir });
    assert.equal(ours.status, 1, ours.stderr);
    assert.match(ours.stderr, /stage 'prepare': dependency 'data\/raw\.csv' does not exist/);
    assert.doesNotMatch(ours.stdout, /Running stage/);
  });
});
