// `lineage exp …` against the real `dvc exp …` (DVC 3.67), both ways, on a small repository
// made here with Python stage scripts (standard library only):
// - `lineage exp run` and `dvc exp run` on two copies of one repository record the same
//   experiment: same parent, same tree (params, dvc.lock, metrics), same message, and leave
//   the same workspace; likewise `--temp` and `exp save`;
// - DVC reads ours as its own (`dvc exp show` lists it with its values, `dvc exp apply`
//   restores it) and we read DVC's (`lineage exp apply` restores it, `lineage exps --json`
//   equals `dvc exp show --json`);
// - experiment refs pushed by one side are pulled by the other.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameValues, copyRepo, describeTool, lineageJson, lineageOk, runTool, scratchDir, toolJson, toolOk } from './helpers';
import { interopTool } from './tools';
import { runCli } from '../helpers/runCli';

const PIPELINE = `stages:
  prepare:
    cmd: python prepare.py
    deps:
    - prepare.py
    - raw.csv
    params:
    - prepare.scale
    outs:
    - data
  train:
    cmd: python train.py
    deps:
    - train.py
    - data
    params:
    - train
    outs:
    - model.txt
    metrics:
    - metrics.json:
        cache: false
    plots:
    - loss.csv:
        cache: false
metrics:
- summary.json
`;

const PREPARE = `import json, os
scale = float(open("params.yaml").read().split("scale:")[1].split()[0])
os.makedirs("data", exist_ok=True)
rows = [line.strip().split(",") for line in open("raw.csv") if line.strip()]
with open("data/train.csv", "w") as f:
    for x, y in rows:
        f.write("%s,%s\\n" % (float(x) * scale, y))
with open("data/count.txt", "w") as f:
    f.write("%d\\n" % len(rows))
`;

const TRAIN = `import json, re
text = open("params.yaml").read()
lr = float(re.search(r"lr: *([-0-9.e]+)", text).group(1))
epochs = int(re.search(r"epochs: *([0-9]+)", text).group(1))
rows = [line.split(",") for line in open("data/train.csv")]
loss = 1.0
with open("loss.csv", "w") as f:
    f.write("step,loss\\n")
    for step in range(epochs):
        loss = round(loss * (1 - lr), 6)
        f.write("%d,%s\\n" % (step, loss))
with open("model.txt", "w") as f:
    f.write("lr=%s rows=%d\\n" % (lr, len(rows)))
json.dump({"loss": loss, "acc": round(1 - loss, 6), "rows": len(rows)}, open("metrics.json", "w"))
json.dump({"lr": lr}, open("summary.json", "w"))
`;

const FILES: Record<string, string> = {
  'dvc.yaml': PIPELINE,
  'prepare.py': PREPARE,
  'train.py': TRAIN,
  'raw.csv': '1,0\n2,1\n3,1\n',
  'params.yaml':
    '# experiment settings\nprepare:\n  scale: 2.0\ntrain:\n  lr: 0.1  # learning rate\n  epochs: 3\n  optimizer: adam\n  layers: [8, 4]\n',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

const refOf = (dir: string, name: string) => {
  const base = git(dir, 'rev-parse', 'HEAD');
  return `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/${name}`;
};

/** The parts of an experiment commit DVC and we must agree on (times and ids aside). */
function commitShape(dir: string, ref: string): { parent: string; tree: string; message: string; author: string } {
  const raw = git(dir, 'cat-file', 'commit', ref);
  const header = raw.slice(0, raw.indexOf('\n\n'));
  return {
    parent: git(dir, 'rev-parse', `${ref}^`),
    tree: git(dir, 'rev-parse', `${ref}^{tree}`),
    message: execFileSync('git', ['cat-file', 'commit', ref], { cwd: dir }).toString('utf8').split('\n\n').slice(1).join('\n\n'),
    author: /^author (.*) \d+ [+-]\d{4}$/m.exec(header)?.[1] ?? '',
  };
}

/** What a user sees of the workspace: git's status and the bytes of every file the run touches. */
function workspace(dir: string): Record<string, string> {
  const out: Record<string, string> = { status: git(dir, 'status', '--porcelain', '--untracked-files=all') };
  for (const f of ['params.yaml', 'dvc.lock', 'metrics.json', 'loss.csv', 'summary.json', 'model.txt', 'data/train.csv', '.gitignore']) {
    try {
      out[f] = readFileSync(join(dir, f), 'utf8');
    } catch {
      out[f] = '(absent)';
    }
  }
  return out;
}

interface ShowRow {
  rev: string;
  name: string | null;
  data: { rev: string; timestamp: string | null; params: unknown; metrics: unknown } | null;
  error: unknown;
  experiments: { name: string; revs: ShowRow[] }[] | null;
}

/**
 * `dvc exp show --json` rows without deps/outs/meta (which `lineage exps` does not produce, as
 * in dvcExpShow.test.ts): revisions, names, timestamps, params and metrics, experiments by name.
 */
function comparable(rows: ShowRow[]): unknown {
  const row = (r: ShowRow): unknown => ({
    rev: r.rev,
    name: r.name,
    error: r.error ?? null,
    data: r.data && { rev: r.data.rev, timestamp: r.data.timestamp, params: r.data.params, metrics: r.data.metrics },
    experiments: r.experiments && Object.fromEntries(r.experiments.map((e) => [e.name, e.revs.map(row)])),
  });
  return rows.filter((r, i) => i === 0 || r.experiments).map(row);
}

/** Each experiment's params and metrics by name, from `dvc exp show --json` / `lineage exps --json`. */
function expValues(rows: ShowRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows)
    for (const e of row.experiments ?? []) out[e.name] = { params: e.revs[0].data?.params, metrics: e.revs[0].data?.metrics };
  return out;
}

describe('interop: lineage exp and dvc exp', function () {
  this.timeout(600000);
  let base: string;

  before(() => {
    interopTool('dvc');
    base = join(scratchDir('exp-run'), 'repo');
    mkdirSync(base, { recursive: true });
    git(base, 'init', '-q', '-b', 'main');
    git(base, 'config', 'user.name', 'Exp User');
    git(base, 'config', 'user.email', 'exp@example.com');
    toolOk('dvc', ['init', '-q'], base);
    for (const [path, text] of Object.entries(FILES)) writeFileSync(join(base, path), text);
    toolOk('dvc', ['repro', '-q'], base);
    git(base, 'add', '-A');
    git(base, 'commit', '-q', '-m', 'baseline');
  });

  it('exp run: the same commit (parent, tree, message, author) and the same workspace as dvc exp run', () => {
    const theirs = copyRepo(base, 'dvc-exp-run');
    const ours = copyRepo(base, 'lineage-exp-run');
    toolOk('dvc', ['exp', 'run', '-S', 'train.lr=0.01', '-S', 'train.optimizer=sgd', '-n', 'ours'], theirs);
    lineageOk(['exp', 'run', '-S', 'train.lr=0.01', '-S', 'train.optimizer=sgd', '-n', 'ours'], ours);
    assert.deepEqual(commitShape(ours, refOf(ours, 'ours')), commitShape(theirs, refOf(theirs, 'ours')));
    assertSameValues('workspace after the run', workspace(theirs), workspace(ours));
    // The exp hash in the message covers both stages when both reran.
    toolOk('dvc', ['exp', 'run', '-f', '-S', 'prepare.scale=3.0', '-n', 'both'], theirs);
    lineageOk(['exp', 'run', '-f', '-S', 'prepare.scale=3.0', '-n', 'both'], ours);
    assert.deepEqual(commitShape(ours, refOf(ours, 'both')), commitShape(theirs, refOf(theirs, 'both')));
  });

  it('dvc exp show lists ours with its values and dvc exp apply restores it; lineage exps --json equals dvc exp show --json', () => {
    const repo = copyRepo(base, 'ours-read-by-dvc');
    lineageOk(['exp', 'run', '-S', 'train.lr=0.01', '-n', 'ours'], repo);
    const after = workspace(repo);
    const shown = toolJson<ShowRow[]>('dvc', ['exp', 'show', '--json'], repo);
    const mine = expValues(shown).ours as { params: unknown; metrics: unknown };
    assert.deepEqual(mine.params, {
      'params.yaml': { data: { prepare: { scale: 2.0 }, train: { lr: 0.01, epochs: 3, optimizer: 'adam', layers: [8, 4] } } },
    });
    assert.deepEqual(mine.metrics, {
      'metrics.json': { data: { loss: 0.970299, acc: 0.029701, rows: 3 } },
      'summary.json': { data: { lr: 0.01 } },
    });
    git(repo, 'checkout', '--', '.');
    toolOk('dvc', ['checkout', '-f'], repo);
    toolOk('dvc', ['exp', 'apply', 'ours'], repo);
    assertSameValues('workspace after dvc exp apply of our experiment', after, workspace(repo));
    assert.deepEqual(toolJson('dvc', ['status', '--json'], repo), {});
    assertSameValues(
      'lineage exps --json vs dvc exp show --json',
      comparable(toolJson<ShowRow[]>('dvc', ['exp', 'show', '--json'], repo)),
      comparable(lineageJson(['exps', '--json'], repo)),
    );
  });

  it('lineage exp apply restores what dvc exp run recorded; both lists agree', () => {
    const repo = copyRepo(base, 'theirs-read-by-lineage');
    toolOk('dvc', ['exp', 'run', '-S', 'train.lr=0.02', '-S', 'train.epochs=5', '-n', 'theirs'], repo);
    lineageOk(['exp', 'run', '--temp', '-S', 'train.lr=0.03', '-n', 'ours'], repo);
    const expected = workspace(repo);
    git(repo, 'checkout', '--', '.');
    toolOk('dvc', ['checkout', '-f'], repo);
    assert.notDeepEqual(workspace(repo), expected);
    lineageOk(['exp', 'apply', 'theirs'], repo);
    assertSameValues('workspace after lineage exp apply of a DVC experiment', expected, workspace(repo));
    assert.deepEqual(toolJson('dvc', ['status', '--json'], repo), {}, 'dvc finds the outs as the experiment recorded them');
    assert.equal(git(repo, 'rev-parse', 'refs/exps/exec/EXEC_APPLY'), git(repo, 'rev-parse', refOf(repo, 'theirs')));
    const theirs = toolJson<ShowRow[]>('dvc', ['exp', 'show', '--json'], repo);
    assert.deepEqual(Object.keys(expValues(theirs)).sort(), ['ours', 'theirs']);
    assertSameValues('lineage exps --json vs dvc exp show --json', comparable(theirs), comparable(lineageJson(['exps', '--json'], repo)));
  });

  it('--temp and exp save record what DVC records', () => {
    const theirs = copyRepo(base, 'dvc-temp');
    const ours = copyRepo(base, 'lineage-temp');
    toolOk('dvc', ['exp', 'run', '--temp', '-S', 'train.lr=0.05', '-n', 'tmp'], theirs);
    lineageOk(['exp', 'run', '--temp', '-S', 'train.lr=0.05', '-n', 'tmp'], ours);
    assert.deepEqual(commitShape(ours, refOf(ours, 'tmp')), commitShape(theirs, refOf(theirs, 'tmp')));
    assert.equal(git(ours, 'status', '--porcelain'), '', 'a --temp run leaves the workspace alone');
    for (const dir of [theirs, ours]) {
      writeFileSync(join(dir, 'params.yaml'), FILES['params.yaml'].replace('epochs: 3', 'epochs: 4'));
      writeFileSync(join(dir, 'model.txt'), 'tuned by hand\n');
      writeFileSync(join(dir, 'notes.md'), 'why\n');
    }
    toolOk('dvc', ['exp', 'save', '-n', 'saved', '-I', 'notes.md'], theirs);
    lineageOk(['exp', 'save', '-n', 'saved', '-I', 'notes.md'], ours);
    // DVC 3.67's save also commits its own scratch file .dvc/tmp/repro.dat (pickled run
    // arguments, absolute paths included): a leak we do not copy. Everything else is the same.
    const files = (dir: string) =>
      git(dir, 'ls-tree', '-r', refOf(dir, 'saved'))
        .split('\n')
        .filter((l) => !l.endsWith('\t.dvc/tmp/repro.dat'));
    assert.deepEqual(files(ours), files(theirs));
    const { tree: _ours, ...oursRest } = commitShape(ours, refOf(ours, 'saved'));
    const { tree: _theirs, ...theirsRest } = commitShape(theirs, refOf(theirs, 'saved'));
    assert.deepEqual(oursRest, theirsRest);
    assertSameValues('workspace after exp save', workspace(theirs), workspace(ours));
  });

  it('bad input: a param key that does not exist is refused by both, and neither changes the workspace', () => {
    const repo = copyRepo(base, 'bad-key');
    const theirs = runTool('dvc', ['exp', 'run', '-S', 'train.nope=1'], repo);
    assert.notEqual(theirs.status, 0, describeTool(theirs));
    assert.match(theirs.stderr, /Could not override 'train\.nope'/);
    const ours = runCli(['exp', 'run', '-S', 'train.nope=1'], { repo });
    assert.equal(ours.status, 2);
    assert.match(ours.stderr, /Could not override 'train\.nope'/);
    assert.equal(git(repo, 'status', '--porcelain'), '');
  });

  it('exp push / pull: refs pushed by one side are pulled by the other', () => {
    const remote = join(scratchDir('exp-remote'), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    const a = copyRepo(base, 'pusher');
    git(a, 'remote', 'add', 'origin', remote);
    git(a, 'push', '-q', 'origin', 'main');
    lineageOk(['exp', 'run', '-S', 'train.lr=0.07', '-n', 'mine'], a);
    git(a, 'checkout', '--', '.');
    toolOk('dvc', ['exp', 'run', '-S', 'train.lr=0.08', '-n', 'dvcs'], a);
    lineageOk(['exp', 'push', 'origin', 'mine'], a);
    toolOk('dvc', ['exp', 'push', '--no-cache', 'origin', 'dvcs'], a);
    const b = join(scratchDir('exp-clone'), 'clone');
    execFileSync('git', ['clone', '-q', remote, b]);
    toolOk('dvc', ['exp', 'pull', '--no-cache', 'origin', 'mine'], b);
    lineageOk(['exp', 'pull', 'origin', 'dvcs'], b);
    assert.equal(git(b, 'rev-parse', refOf(b, 'mine')), git(a, 'rev-parse', refOf(a, 'mine')));
    assert.equal(git(b, 'rev-parse', refOf(b, 'dvcs')), git(a, 'rev-parse', refOf(a, 'dvcs')));
    assert.deepEqual(Object.keys(expValues(toolJson<ShowRow[]>('dvc', ['exp', 'show', '--json'], b))).sort(), ['dvcs', 'mine']);
  });
});
