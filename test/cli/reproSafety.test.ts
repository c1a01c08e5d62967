// Pipelines that are wrong in ordinary ways: `lineage status` and `lineage repro` must refuse
// them with exit 2 and a message naming file and line, and leave every byte of the
// repository (.git, inputs, cache) as it was. Each case checks a hash of the whole tree.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
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

interface Case { name: string; yaml: string; files?: Record<string, string>; setup?: (dir: string) => void; message: RegExp }

const stage = (body: string) => `stages:\n  train:\n    cmd: echo hi > model.txt\n${body}`;

const CASES: Case[] = [
  { name: 'an out of .', yaml: stage('    deps: [data/raw.csv]\n    outs: [.]\n'), message: /dvc\.yaml:2: stage: 'train' is within an output '\.' of another stage/ },
  { name: 'an out of ""', yaml: stage('    outs: [""]\n'), message: /is within an output '\.'/ },
  { name: 'an out of sub/..', yaml: stage('    outs: [data/..]\n'), message: /is within an output '\.'/ },
  { name: 'an out of ${outdir} with outdir: .', yaml: stage('    outs:\n    - ${outdir}\n'), files: { 'params.yaml': 'outdir: .\n' }, message: /is within an output '\.'/ },
  { name: 'an out of .git', yaml: stage('    outs: [.git]\n'), message: /output '\.git' is inside Git's folder/ },
  { name: 'an out inside .git', yaml: stage('    outs: [.git/hooks]\n'), message: /output '\.git\/hooks' is inside Git's folder/ },
  { name: 'an out of .dvc', yaml: stage('    outs: [.dvc]\n'), message: /DVC file '\.dvc' cannot be an output\./ },
  { name: 'an out of dvc.yaml', yaml: stage('    outs: [dvc.yaml]\n'), message: /DVC file 'dvc\.yaml' cannot be an output\./ },
  { name: 'an out of a .dvc file', yaml: stage('    outs: [other.dvc]\n'), files: { 'other.dvc': 'outs:\n- path: other\n' }, message: /DVC file 'other\.dvc' cannot be an output\./ },
  { name: 'an out of params.yaml', yaml: stage('    params: [lr]\n    outs: [params.yaml]\n'), message: /output 'params\.yaml' is a params file/ },
  { name: 'an out of the folder holding another dvc.yaml', yaml: stage('    outs: [sub]\n'), files: { 'sub/dvc.yaml': 'stages:\n  s:\n    cmd: echo\n' }, message: /stage: 'sub\/dvc\.yaml:s' is within an output 'sub'/ },
  { name: 'a dep equal to an out', yaml: stage('    deps: [data/raw.csv]\n    outs: [data/raw.csv]\n'), message: /Same item\(s\) are defined as both a dependency and an output in stage: train\./ },
  { name: 'a dep inside an out', yaml: stage('    deps: [data/raw.csv]\n    outs: [data]\n'), message: /Same item\(s\) are defined as both a dependency and an output/ },
  { name: 'a dep that is a parent folder of an out', yaml: stage('    deps: [data]\n    outs: [data/model.txt]\n'), message: /Same item\(s\) are defined as both a dependency and an output/ },
  { name: 'wdir: ..', yaml: stage('    wdir: ..\n    outs: [m]\n'), message: /leads outside the repository/ },
  { name: 'a sub-project out of .. (the repository)', yaml: 'stages: {}\n', files: { 'sub/dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [..]\n' }, message: /is within an output '\.\.'|within an output/ },
  { name: 'an out through a symlinked folder leading outside', yaml: stage('    outs: [link/model.txt]\n'), setup: (dir) => symlinkSync(mkdtempSync(join(tmpdir(), 'lineage-outside-')), join(dir, 'link')), message: /leads outside the repository through a symbolic link/ },
  { name: 'an out through a symlinked folder into .git', yaml: stage('    outs: [gitlink/hooks]\n'), setup: (dir) => symlinkSync(join(dir, '.git'), join(dir, 'gitlink')), message: /inside Git's folder/ },
  { name: 'two stages with one out', yaml: 'stages:\n  a:\n    cmd: echo > m\n    outs: [m]\n  b:\n    cmd: echo > m\n    outs: [m]\n', message: /dvc\.yaml:5: stage 'b': output 'm' is already specified in stage: 'a'/ },
  { name: 'a cycle', yaml: 'stages:\n  a:\n    cmd: cp n m\n    deps: [n]\n    outs: [m]\n  b:\n    cmd: cp m n\n    deps: [m]\n    outs: [n]\n', message: /Same item\(s\) are defined as both a dependency and an output in stages: a, b/ },
  // Pipelines that cannot be evaluated.
  { name: 'invalid YAML', yaml: 'stages:\n  train:\n    cmd: [echo\n  x: : :\n', message: /dvc\.yaml:\d+(:\d+)?: / },
  { name: 'an unknown stage key', yaml: stage('    outs: [m]\n    unknownkey: 1\n'), message: /dvc\.yaml:\d+(:\d+)?: stage 'train': .*unknown key 'unknownkey'/ },
  { name: 'a missing cmd', yaml: 'stages:\n  train:\n    deps: [data/raw.csv]\n', message: /dvc\.yaml:2(:\d+)?: stage 'train': .*'cmd' is required/ },
  { name: 'an undefined ${var}', yaml: 'stages:\n  train:\n    cmd: echo ${nope}\n', message: /dvc\.yaml:3(:\d+)?: .*Could not find 'nope'/ },
  { name: 'foreach over a scalar', yaml: 'stages:\n  train:\n    foreach: 3\n    do:\n      cmd: echo hi\n', message: /dvc\.yaml:3(:\d+)?: .*expected list\/dictionary, got int/ },
  { name: 'a dvc.lock whose md5 is not an md5', yaml: stage('    outs: [m]\n'), files: { 'dvc.lock': "schema: '2.0'\nstages:\n  train:\n    cmd: echo hi > model.txt\n    outs:\n    - path: m\n      hash: md5\n      md5: nothex\n      size: 3\n" }, message: /dvc\.lock:8: md5 'nothex' of 'm' in stage 'train' is not an md5 hash/ },
  { name: 'a params file that cannot be read', yaml: stage('    params: [lr]\n    outs: [m]\n'), setup: (dir) => { rmSync(join(dir, 'params.yaml')); mkdirSync(join(dir, 'params.yaml')); }, message: /params\.yaml: cannot read params\.yaml/ },
  { name: 'a params file that does not parse', yaml: stage('    params: [lr]\n    outs: [m]\n'), files: { 'params.yaml': 'lr: [0.1\n' }, message: /params\.yaml/ },
];

describe('repro and status refuse what they cannot evaluate or do not own', function () {
  this.timeout(30000);

  for (const c of CASES) {
    it(`${c.name}: exit 2 everywhere, nothing touched`, () => {
      const repo = GitFixture.create();
      repo.commit('pipeline', { '.dvc/config': '', 'data/raw.csv': 'a,b\n1,2\n', 'params.yaml': 'lr: 0.1\n', 'dvc.yaml': c.yaml, ...c.files });
      c.setup?.(repo.dir);
      const store = join(mkdtempSync(join(tmpdir(), 'lineage-store-')), 'index.sqlite');
      const before = treeChecksum(repo.dir);
      for (const args of [['status'], ['status', '-q'], ['status', '--json'], ['repro', '--dry'], ['repro'], ['repro', '--force', 'train']]) {
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
    repo.commit('pipeline', { '.dvc/config': '', 'data/raw.csv': 'a\n', 'params.yaml': 'lr: 0.1\n', 'dvc.yaml': 'stages:\n  train:\n    cmd: mkdir -p out && cp data/raw.csv out/model.txt\n    deps: [data/raw.csv]\n    params: [lr]\n    outs: [out]\n' });
    const store = join(mkdtempSync(join(tmpdir(), 'lineage-store-')), 'index.sqlite');
    assert.equal(runCli(['repro'], { repo: repo.dir, store }).status, 0);
    const r = runCli(['status'], { repo: repo.dir, store });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Data and pipelines are up to date\./);
    writeFileSync(join(repo.dir, 'data/raw.csv'), 'b\n');
    assert.equal(runCli(['status', '-q'], { repo: repo.dir, store }).status, 1, '-q: 1 when out of date, as before');
  });
});
