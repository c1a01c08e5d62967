import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoRepo } from '../../../src/demo/demoRepo';
import { readGitRegistry } from '../../../src/core/registry/gitRegistry';

describe('the demo repository registry', function () {
  this.timeout(120000);

  it('tells its story: deregistration, archive semantics, a rollback, an alias, a deprecated model', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lineage-demo-registry-')), 'demo');
    try {
      await generateDemoRepo(dir);
      const state = await readGitRegistry(dir);
      // The lightweight release tag v0.2.0 is not a registry tag at all, so nothing is ignored.
      assert.deepEqual(state.ignored, []);
      assert.deepEqual(
        state.artifacts.map((a) => [a.name, a.deprecated]),
        [
          ['classifier', false],
          ['legacy-classifier', true],
        ],
      );
      const clf = state.artifacts[0];
      assert.equal(clf.decl?.path, 'models/model.pkl');
      assert.deepEqual(clf.stages, { champion: ['v1.2.0'], prod: ['v1.1.0'], staging: ['v1.2.0'] });
      assert.deepEqual(
        clf.versions.map((v) => [v.version, v.active, v.stages.sort()]),
        [
          ['v1.2.0', true, ['champion', 'staging']],
          ['v1.1.0', true, ['prod']],
          ['v1.0.0', true, []],
          ['v0.9.0', true, []],
          ['v0.8.0', false, []],
        ],
      );
      // Archive semantics: every earlier holder of prod was unassigned, not just outranked.
      const v100 = clf.versions.find((v) => v.version === 'v1.0.0')!;
      assert.deepEqual(
        v100.events.map((e) => e.kind),
        ['register', 'assign', 'unassign'],
      );
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
