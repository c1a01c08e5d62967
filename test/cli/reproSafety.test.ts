// Pipelines that are wrong in ordinary ways: `lineage status` and `lineage repro` must refuse
// them with exit 2 and a message naming file and line, and leave every byte of the
// repository (.git, inputs, cache) as it was. Each case checks a hash of the whole tree.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { BROKEN_PIPELINES as CASES, makeBrokenPipeline } from '../helpers/brokenPipelines';
import { runCli } from '../helpers/runCli';

/**
 * sha256 over every path, type, mode and content below `dir`, .git included. `.dvc/tmp` is
 * left out: it is DVC's scratch folder, where the repro lock is taken (and released).
 */
export function treeChecksum(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      if (p === '.dvc/tmp') continue;
      const st = lstatSync(join(dir, p));
      h.update(`${p}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(join(dir, p)));
      else if (st.isDirectory()) walk(p);
      else h.update(readFileSync(join(dir, p)));
    }
  };
  walk('');
  return h.digest('hex');
}

describe('repro and status refuse what they cannot evaluate or do not own', function () {
  this.timeout(30000);

  for (const c of CASES) {
    it(`${c.name}: exit 2 everywhere, nothing touched`, () => {
      const repo = makeBrokenPipeline(c);
      const store = join(mkdtempSync(join(tmpdir(), 'lineage-store-')), 'index.sqlite');
      const before = treeChecksum(repo.dir);
      for (const args of [
        ['status'],
        ['status', '-q'],
        ['status', '--json'],
        ['repro', '--dry'],
        ['repro'],
        ['repro', '--force', 'train'],
      ]) {
        const r = runCli(args, { repo: repo.dir, store });
        assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
        assert.match(r.stderr, c.message, `${args.join(' ')} names the problem`);
        assert.doesNotMatch(r.stdout, /up to date/, `${args.join(' ')} says nothing reassuring`);
        if (args.includes('--json')) {
          const json = JSON.parse(r.stdout) as { error: { msg: string; problems: { file: string }[] } };
          assert.ok(json.error.problems.length > 0 && json.error.msg.length > 0, 'the JSON carries an error object');
        }
      }
      assert.equal(treeChecksum(repo.dir), before, 'the repository, .git and the inputs are byte for byte as before');
    });
  }

  it('a valid pipeline still runs and is up to date afterwards (the checks do not refuse good input)', () => {
    const repo = GitFixture.create();
    repo.commit('pipeline', {
      '.dvc/config': '',
      'data/raw.csv': 'a\n',
      'params.yaml': 'lr: 0.1\n',
      'dvc.yaml':
        'stages:\n  train:\n    cmd: mkdir -p out && cp data/raw.csv out/model.txt\n    deps: [data/raw.csv]\n    params: [lr]\n    outs: [out]\n',
    });
    const store = join(mkdtempSync(join(tmpdir(), 'lineage-store-')), 'index.sqlite');
    assert.equal(runCli(['repro'], { repo: repo.dir, store }).status, 0);
    const r = runCli(['status'], { repo: repo.dir, store });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Data and pipelines are up to date\./);
    writeFileSync(join(repo.dir, 'data/raw.csv'), 'b\n');
    assert.equal(runCli(['status', '-q'], { repo: repo.dir, store }).status, 1, '-q: 1 when out of date, as before');
  });

  it('status says an import was not checked for updates instead of saying nothing', () => {
    const repo = GitFixture.create();
    const md5 = '0cc175b9c0f1b6a831c399e269772661'; // md5("a")
    repo.commit('import', {
      '.dvc/config': '',
      'data.txt': 'a',
      'data.txt.dvc': `md5: 11111111111111111111111111111111\nfrozen: true\ndeps:\n- path: data/data.txt\n  repo:\n    url: https://example.invalid/registry.git\n    rev_lock: 0123456789abcdef0123456789abcdef01234567\nouts:\n- md5: ${md5}\n  size: 1\n  hash: md5\n  path: data.txt\n`,
    });
    const r = runCli(['status'], { repo: repo.dir });
    assert.match(
      r.stderr,
      /note: data\.txt\.dvc: imported from https:\/\/example\.invalid\/registry\.git \(data\/data\.txt\); whether it has an update was not checked/,
    );
  });
});
