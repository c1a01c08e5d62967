// `dvc repro` and `lineage repro` on two copies of the same repository must write the same
// dvc.lock, byte for byte; `dvc status` and `lineage status` must agree after edits to a dep,
// a param and a cmd; and DVC must find nothing to do after our repro.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { interopTool } from './tools';
import { assertSameValues, copyRepo, lineageJson, lineageOk, sharedDemoRepo, toolJson, toolOk } from './helpers';

/** Shell-only stages: a folder out, foreach, a whole params section, a custom params file, an uncached metric. */
const PIPELINE = `stages:
  prepare:
    cmd: mkdir -p prepared && tr a-z A-Z < raw.txt > prepared/upper.txt && wc -l < raw.txt > prepared/lines.txt
    deps:
    - raw.txt
    params:
    - prepare.seed
    outs:
    - prepared
  train:
    foreach:
    - small
    - large
    do:
      cmd: cat prepared/upper.txt > model-\${item}.txt && echo \${item} >> model-\${item}.txt
      deps:
      - prepared
      params:
      - train
      - custom.yaml:
        - layers
      outs:
      - model-\${item}.txt
  evaluate:
    cmd: printf '{"acc":0.5,"n":%s}' "$(cat model-*.txt | wc -l)" > metrics.json
    deps:
    - model-small.txt
    - model-large.txt
    metrics:
    - metrics.json:
        cache: false
`;

const FILES = {
  '.dvc/config': '',
  '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
  '.dvcignore': '',
  'dvc.yaml': PIPELINE,
  'raw.txt': 'alpha\nbeta\n',
  'params.yaml': 'prepare:\n  seed: 7\ntrain:\n  lr: 0.01\n  sizes: [1, 2]\n  opt: {name: adam, beta: 0.9}\n',
  'custom.yaml': 'layers: 3\nunused: x\n',
  '.gitignore': '/prepared\n/model-small.txt\n/model-large.txt\n',
};

/** Edits that each make a different stage out of date in a different way. */
const EDITS: { name: string; apply: (dir: string) => void }[] = [
  { name: 'a dep', apply: (dir) => writeFileSync(join(dir, 'raw.txt'), 'alpha\nbeta\ngamma\n') },
  {
    name: 'a param',
    apply: (dir) =>
      writeFileSync(join(dir, 'params.yaml'), 'prepare:\n  seed: 7\ntrain:\n  lr: 0.02\n  sizes: [1, 2]\n  opt: {name: adam, beta: 0.9}\n'),
  },
  { name: 'a custom-file param', apply: (dir) => writeFileSync(join(dir, 'custom.yaml'), 'layers: 4\nunused: x\n') },
  { name: 'a cmd', apply: (dir) => writeFileSync(join(dir, 'dvc.yaml'), PIPELINE.replace('wc -l < raw.txt', 'wc -c < raw.txt')) },
];

describe('interop: dvc repro / status and lineage repro / status', function () {
  this.timeout(300000);
  let fixture: GitFixture;
  let base: string;

  before(() => {
    interopTool('dvc');
    fixture = GitFixture.create().write(FILES);
    fixture.commit('pipeline');
    base = fixture.dir;
  });

  after(() => fixture?.cleanup());

  const lock = (dir: string) => readFileSync(join(dir, 'dvc.lock'), 'utf8');
  const status = (dir: string, what: string) =>
    assertSameValues(
      `dvc status --json vs lineage status --json (${what}, in ${dir})`,
      toolJson('dvc', ['status', '--json'], dir),
      lineageJson(['status', '--json'], dir),
    );

  it('status agrees on a pipeline never run', () => status(base, 'never run'));

  it('repro writes the same dvc.lock, DVC finds nothing to do after ours, and status agrees after each edit', () => {
    const theirs = copyRepo(base, 'dvc-repro');
    const ours = copyRepo(base, 'lineage-repro');
    toolOk('dvc', ['repro'], theirs);
    lineageOk(['repro'], ours);
    assert.equal(lock(ours), lock(theirs), "dvc.lock after lineage repro differs from dvc repro's");
    assert.deepEqual(toolJson('dvc', ['status', '--json'], ours), {}, 'dvc status after lineage repro');
    status(theirs, 'after dvc repro');
    for (const edit of EDITS) {
      const a = copyRepo(theirs, 'dvc-edit');
      const b = copyRepo(ours, 'lineage-edit');
      edit.apply(a);
      edit.apply(b);
      status(a, `after editing ${edit.name}`);
      toolOk('dvc', ['repro'], a);
      lineageOk(['repro'], b);
      assert.equal(lock(b), lock(a), `dvc.lock after editing ${edit.name} and reproducing differs`);
      assert.deepEqual(toolJson('dvc', ['status', '--json'], b), {}, `dvc status after editing ${edit.name} and lineage repro`);
    }
  });

  it('the demo pipeline: the same dvc.lock after a param edit, and DVC clean after our repro', async () => {
    const demo = (await sharedDemoRepo()).dir;
    status(demo, 'demo as generated');
    const theirs = copyRepo(demo, 'demo-dvc');
    const ours = copyRepo(demo, 'demo-lineage');
    for (const dir of [theirs, ours])
      writeFileSync(join(dir, 'params.yaml'), readFileSync(join(dir, 'params.yaml'), 'utf8').replace(/epochs: \d+/, 'epochs: 3'));
    status(theirs, 'demo after editing train.epochs');
    toolOk('dvc', ['repro'], theirs);
    lineageOk(['repro'], ours);
    assert.equal(lock(ours), lock(theirs), "demo dvc.lock after lineage repro differs from dvc repro's");
    assert.deepEqual(toolJson('dvc', ['status', '--json'], ours), {}, 'dvc status on the demo after lineage repro');
  });
});
