// `dvc repro` and `lineage repro` on two copies of one repository must leave every .gitignore
// byte for byte the same: new files, a file without a trailing newline, paths git already
// ignores, a negation, nested outs, a nested dvc.yaml with wdir, escaped names, a name git can
// never match (so DVC appends it again on every run), a .dvc data source, and an out that
// turns cache: false (DVC keeps its entry).

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { runCli } from '../helpers/runCli';
import { interopTool } from './tools';
import { copyRepo, lineageOk, runTool, toolEnv, toolOk } from './helpers';

const PIPELINE = (modelCache: boolean, round: number) => `stages:
  prepare:
    cmd: mkdir -p prepared models/sub && tr a-z A-Z < data/raw.csv > prepared/upper.csv && echo ${round} > models/sub/m.bin && echo w > 'we*ird[1]#!?.txt' && echo s > 'sp ace ' && echo l > x.log && echo k > keep.log && echo '{"n":${round}}' > metrics.json
    deps:
    - data/raw.csv
    outs:
    - prepared
    - models/sub/m.bin:
        cache: ${modelCache}
    - we*ird[1]#!?.txt
    - "sp ace "
    - x.log
    - keep.log
    metrics:
    - metrics.json:
        cache: false
  report:
    cmd: cat prepared/upper.csv > report.txt
    deps:
    - prepared
    outs:
    - report.txt
`;

const NESTED = `stages:
  fit:
    wdir: src
    cmd: mkdir -p ../out && cat ../../prepared/upper.csv > ../out/fit.bin && echo f > local.bin
    deps:
    - ../../prepared
    outs:
    - ../out/fit.bin
    - local.bin
`;

const FILES = {
  '.dvc/config': '',
  '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
  '.dvcignore': '',
  'dvc.yaml': PIPELINE(true, 1),
  'data/raw.csv': 'a,b\n1,2\n',
  // no trailing newline; *.log ignores x.log, the negation un-ignores keep.log
  '.gitignore': '*.log\n!keep.log',
  'proj/dvc.yaml': NESTED,
  'proj/src/train.py': '',
  'proj/out/.gitignore': '# fit outputs\n',
};

/** Every .gitignore under dir (outside .git), repository-relative path -> bytes as latin1. */
function gitignores(dir: string, rel = ''): Record<string, string> {
  const found: Record<string, string> = {};
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() && e.name !== '.git') Object.assign(found, gitignores(dir, p));
    else if (e.name === '.gitignore') found[p] = readFileSync(join(dir, p), 'latin1');
  }
  return found;
}

function sameGitignores(theirs: string, ours: string, what: string): void {
  assert.deepEqual(gitignores(ours), gitignores(theirs), `.gitignore files after ${what}: lineage (actual) vs dvc (expected)`);
}

describe('interop: .gitignore entries of dvc repro and lineage repro', function () {
  this.timeout(300000);
  let fixture: GitFixture;

  before(() => {
    interopTool('dvc');
    fixture = GitFixture.create().write(FILES);
    fixture.commit('pipeline');
    // data/raw.csv becomes a .dvc data source, the way a user makes one
    fixture.git('rm', '-q', '--cached', 'data/raw.csv');
    toolOk('dvc', ['add', 'data/raw.csv'], fixture.dir);
    fixture.commit('data');
  });

  after(() => fixture?.cleanup());

  it('writes the same .gitignore files through a first run, a cache: false edit and a changed .dvc source', () => {
    const theirs = copyRepo(fixture.dir, 'gitignore-dvc');
    const ours = copyRepo(fixture.dir, 'gitignore-lineage');
    const both = (what: string, edit: (dir: string) => void) => {
      for (const dir of [theirs, ours]) edit(dir);
      toolOk('dvc', ['repro', '--all-pipelines'], theirs);
      lineageOk(['repro'], ours);
      sameGitignores(theirs, ours, what);
    };
    both('the first run', () => undefined);
    assert.equal(
      readFileSync(join(theirs, '.gitignore'), 'utf8'),
      '*.log\n!keep.log\n/prepared\n/we\\*ird\\[1\\]\\#\\!\\?.txt\n/sp ace \n/keep.log\n/report.txt\n',
      "DVC's root .gitignore (the test's own expectation)",
    );
    both('models/sub/m.bin turned cache: false', (dir) => writeFileSync(join(dir, 'dvc.yaml'), PIPELINE(false, 2)));
    const after = gitignores(theirs);
    assert.equal(after['models/sub/.gitignore'], '/m.bin\n', 'DVC keeps the entry of an out turned cache: false');
    assert.equal(after['.gitignore'].split('\n').filter((l) => l === '/sp ace ').length, 2, 'DVC appends the never-matching entry again');
    both('a changed .dvc data source whose .gitignore was deleted', (dir) => {
      writeFileSync(join(dir, 'data/raw.csv'), 'a,b\n3,4\n');
      rmSync(join(dir, 'data/.gitignore'));
    });
    assert.equal(gitignores(theirs)['data/.gitignore'], '/raw.csv\n', "DVC re-creates the data source's entry");
  });

  it('both refuse a cached out that Git tracks and leave the .gitignore files alone', () => {
    const theirs = copyRepo(fixture.dir, 'gitignore-tracked-dvc');
    const ours = copyRepo(fixture.dir, 'gitignore-tracked-lineage');
    for (const dir of [theirs, ours]) {
      const repo = new GitFixture(dir);
      repo.commit('track report', {
        'report.txt': 'old\n',
        'dvc.yaml': 'stages:\n  report:\n    cmd: echo new > report.txt\n    outs:\n    - report.txt\n',
      });
    }
    const dvc = runTool('dvc', ['repro'], theirs, toolEnv());
    const lineage = runCli(['repro'], { repo: ours, env: toolEnv() });
    assert.notEqual(dvc.status, 0, dvc.stderr);
    assert.notEqual(lineage.status, 0, lineage.stderr);
    assert.match(dvc.stderr, /output 'report.txt' is already tracked by SCM/);
    assert.match(lineage.stderr + lineage.stdout, /output 'report.txt' is already tracked by SCM/);
    sameGitignores(theirs, ours, 'a refused tracked out');
  });
});
