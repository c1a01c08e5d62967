// `lineage exps --json` beside `dvc exp show --json`: the same baseline rows and experiments,
// each with the same params and metrics per file, and DVC's errors where it has them (a file
// it cannot read fails its own entry, a pipeline it cannot load fails the whole row).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameValues, lineageJson, lineageOk, scratchDir, sharedDemoRepo, toolJson, toolOk } from './helpers';
import { interopTool } from './tools';

type Files = Record<string, { data?: unknown; error?: { type: string } }>;
interface Row {
  rev: string;
  name: string | null;
  data: { rev: string; timestamp: string | null; params: Files; metrics: Files } | null;
  error: { type: string; msg: string } | null;
  experiments: { name: string; revs: Row[] }[] | null;
}

/**
 * A row without DVC's deps/outs/meta (not produced); a file's error reduced to its type (DVC
 * words parse errors with paths relative to where it runs), a row's error whole.
 */
function comparable(row: Row): unknown {
  const files = (f: Files) =>
    Object.fromEntries(Object.entries(f).map(([path, r]) => [path, r.error ? { error: r.error.type } : { data: r.data }]));
  const data = row.data && {
    rev: row.data.rev,
    timestamp: row.data.timestamp,
    params: files(row.data.params),
    metrics: files(row.data.metrics),
  };
  return {
    rev: row.rev,
    data,
    error: row.error ?? null,
    experiments:
      row.experiments?.map((e) => ({ name: e.name, revs: e.revs.map((r) => ({ ...(comparable(r) as object), name: r.name })) })) ?? null,
  };
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/**
 * Checks our rows against DVC's, by baseline commit: every baseline DVC shows with
 * experiments is ours and the other way round; experiments compare by name (DVC's order for
 * the ones it cannot collect follows its unordered ref listing) and in order otherwise.
 */
function compareRows(dir: string, theirs: Row[], ours: Row[]): void {
  assertSameValues('workspace row', comparable(theirs[0]), comparable(ours[0]));
  const byRev = new Map(theirs.slice(1).map((r) => [r.rev, r]));
  assert.deepEqual(
    ours
      .slice(1)
      .map((r) => r.rev)
      .sort(),
    theirs
      .slice(1)
      .filter((r) => r.experiments)
      .map((r) => r.rev)
      .sort(),
    'baselines with experiments',
  );
  for (const row of ours.slice(1)) {
    const their = byRev.get(row.rev)!;
    const tags = git(dir, 'tag', '--points-at', row.rev).split('\n');
    // Several tags on one commit: DVC names it by whichever its ref listing yields first.
    if (!(their.name && tags.includes(their.name) && row.name && tags.includes(row.name)))
      assert.equal(row.name, their.name, `name of baseline ${row.rev}`);
    const collected = (r: Row) => (r.experiments ?? []).filter((e) => e.revs[0].data).map((e) => e.name);
    assert.deepEqual(collected(row), collected(their), `order of the experiments of ${row.name}`);
    const byName = (r: Row) => ({
      ...(comparable({ ...r, experiments: null }) as object),
      experiments: Object.fromEntries(
        (r.experiments ?? []).map((e) => [e.name, (comparable({ ...r, experiments: [e] }) as { experiments: unknown[] }).experiments[0]]),
      ),
    });
    assertSameValues(`dvc exp show row ${their.name ?? row.rev} vs lineage exps --json`, byName(their), byName(row));
  }
}

/** A pipeline on main and on `other`, and experiments made as DVC stores them (refs/exps/<baseline>/<name>). */
function makeRepo(): string {
  const dir = join(scratchDir('exp-show'), 'repo');
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Exp User');
  git(dir, 'config', 'user.email', 'exp@example.com');
  toolOk('dvc', ['init', '-q'], dir);
  const write = (files: Record<string, string | null>) => {
    for (const [path, text] of Object.entries(files))
      if (text === null) rmSync(join(dir, path), { force: true });
      else writeFileSync(join(dir, path), text);
  };
  const base = {
    'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params: [train.lr]\nmetrics:\n  - metrics.json\n  - extra.yaml\n',
    'params.yaml': 'train:\n  lr: 0.1\n  epochs: 3\nunused: 1\n',
    'metrics.json': '{"acc": 0.5, "n": 3}\n',
    'extra.yaml': 'loss: 0.25\n',
  };
  write(base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'baseline');
  let day = 1;
  const exp = (parent: string, name: string, files: Record<string, string | null>, commits = 1): void => {
    let tip = parent;
    for (let i = 0; i < commits; i++) {
      git(dir, 'checkout', '-q', '--detach', tip);
      write(files);
      git(dir, 'add', '-A');
      const env = { ...process.env, GIT_COMMITTER_DATE: `2030-01-${String(day++).padStart(2, '0')}T12:00:00+00:00` };
      tip = execFileSync('git', ['commit-tree', git(dir, 'write-tree'), '-p', tip, '-m', `${name} ${i}`], {
        cwd: dir,
        env,
        encoding: 'utf8',
      }).trim();
      git(dir, 'reset', '-q', '--hard');
    }
    git(dir, 'update-ref', `refs/exps/${parent.slice(0, 2)}/${parent.slice(2)}/${name}`, tip);
  };
  const main = git(dir, 'rev-parse', 'HEAD');
  exp(main, 'better', { 'params.yaml': 'train:\n  lr: 0.2\n  epochs: 3\nunused: 1\n', 'metrics.json': '{"acc": 0.7, "n": 3}\n' });
  exp(main, 'params-only', { 'params.yaml': 'train:\n  lr: 0.3\n  epochs: 3\nunused: 1\n' });
  exp(main, 'broken-metric', { 'metrics.json': '{"acc": 0.6,\n' });
  exp(main, 'no-extra', { 'extra.yaml': null });
  exp(main, 'two-steps', { 'metrics.json': '{"acc": 0.8, "n": 4}\n' }, 2);
  exp(main, 'bad-dvc-yaml', { 'dvc.yaml': 'stages:\n  train: [oops\n' });
  exp(main, 'bad-params', { 'params.yaml': 'train: [lr\n' });
  exp(main, 'no-cmd', { 'dvc.yaml': 'stages:\n  train:\n    deps: [a]\n' });
  exp(main, 'bad-var', { 'dvc.yaml': 'stages:\n  train:\n    cmd: echo ${nope}\n' });
  exp(main, 'bad-lock', { 'dvc.lock': 'schema: [2\n' });
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'checkout', '-q', '-b', 'other');
  write({ 'params.yaml': 'train:\n  lr: 0.05\n  epochs: 5\nunused: 1\n', 'metrics.json': '{"acc": 0.4, "n": 5}\n' });
  git(dir, 'commit', '-q', '-am', 'other baseline');
  exp(git(dir, 'rev-parse', 'HEAD'), 'on-other', { 'metrics.json': '{"acc": 0.45, "n": 5}\n' });
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

describe('interop: lineage exps --json and dvc exp show --json', function () {
  this.timeout(600000);
  before(() => interopTool('dvc'));

  it('a repository made here: params-only experiments, unreadable files, pipelines DVC cannot load, two baselines', () => {
    const dir = makeRepo();
    compareRows(dir, toolJson<Row[]>('dvc', ['exp', 'show', '--json', '-a'], dir), lineageJson<Row[]>(['exps', '--json'], dir));
    compareRows(
      dir,
      toolJson<Row[]>('dvc', ['exp', 'show', '--json'], dir),
      lineageJson<Row[]>(['exps', '--json', '--baseline', 'HEAD'], dir),
    );
    const text = lineageOk(['exps'], dir).stdout;
    // The experiment that differs only in params shows its own lr; the ones DVC cannot load are listed with why.
    assert.match(text, /^ {2}params-only\s+\S+\s+0\.5\s.*0\.3/m);
    assert.match(text, /^ {2}bad-var: ResolveError: /m);
  });

  it('the demo repository: every baseline with experiments, as dvc exp show -a -T shows it', async () => {
    const { dir } = await sharedDemoRepo();
    compareRows(dir, toolJson<Row[]>('dvc', ['exp', 'show', '--json', '-a', '-T'], dir), lineageJson<Row[]>(['exps', '--json'], dir));
  });
});
