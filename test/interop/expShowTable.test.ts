// `lineage exps show` beside `dvc exp show` with the same flags: --csv byte for byte (the
// flags that pick baselines, --sort-by, --keep/--drop, --only-changed, -n, --precision,
// --sha), --md byte for byte, --json value for value (DVC's deps/outs/meta are not produced).
// On the demo repository and on one made here with keys and values that are hard to print.
//
// Where DVC's own output is not deterministic the comparison says how it is relaxed:
// - a commit with several tags is named by whichever tag DVC's unordered ref listing yields
//   first (dvc/repo/experiments/utils.py describe), so there any of its tags is accepted;
// - Created is local time without an offset (datetime.fromtimestamp); both sides run with the
//   same TZ (one off UTC by a half hour, so a conversion in the wrong zone shows), so those
//   cells compare byte for byte. DVC keeps each commit's row in its experiment cache
//   (.dvc/tmp/exps/cache) with that local time in it, so a later run in another TZ prints the
//   first run's times: the demo repository is copied here rather than shared with the other
//   files, whose DVC runs use the default TZ.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameValues, copyRepo, lineageOk, runTool, scratchDir, sharedDemoRepo, toolEnv } from './helpers';
import { runCli } from '../helpers/runCli';
import { interopTool } from './tools';
import { parseJsonPython } from '../../src/core/python/jsonPython';

const ENV = toolEnv({ TZ: 'Asia/Kolkata' });

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** RFC 4180 as Python's csv writes it: quoted fields may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

/** Whether two names DVC could give a baseline are tags of one commit that has several. */
function sameMultiTagged(dir: string, a: string, b: string): boolean {
  try {
    const sha = git(dir, 'rev-parse', `${a}^{commit}`);
    if (sha !== git(dir, 'rev-parse', `${b}^{commit}`)) return false;
    return git(dir, 'tag', '--points-at', sha).split('\n').filter(Boolean).length > 1;
  } catch {
    return false;
  }
}

function dvc(dir: string, args: string[]) {
  return runTool('dvc', ['exp', 'show', ...args], dir, ENV);
}

/** `dvc exp show --csv FLAGS` and `lineage exps show --csv FLAGS`: the same bytes, or the same cells but for a multi-tagged baseline's name. */
function compareCsv(dir: string, flags: string[], what: string): void {
  const theirs = dvc(dir, ['--csv', ...flags]);
  assert.equal(theirs.status, 0, `${what}: dvc exp show --csv ${flags.join(' ')} failed:\n${theirs.stderr}`);
  const ours = lineageOk(['exps', 'show', '--csv', ...flags], dir, ENV).stdout;
  if (ours === theirs.stdout) return;
  const [t, o] = [parseCsv(theirs.stdout), parseCsv(ours)];
  assert.deepEqual(o[0], t[0], `${what}: columns of --csv ${flags.join(' ')}`);
  assert.equal(o.length, t.length, `${what}: rows of --csv ${flags.join(' ')}`);
  const rev = t[0].indexOf('rev');
  for (let r = 1; r < t.length; r++) {
    for (let c = 0; c < t[0].length; c++) {
      if (o[r][c] === t[r][c]) continue;
      assert.ok(
        c === rev && sameMultiTagged(dir, o[r][c], t[r][c]),
        `${what}: --csv ${flags.join(' ')}, row ${r} (${t[r][rev]}), column ${t[0][c]}: dvc ${JSON.stringify(t[r][c])}, lineage ${JSON.stringify(o[r][c])}`,
      );
    }
  }
}

function compareMd(dir: string, flags: string[], what: string): void {
  const theirs = dvc(dir, ['--md', ...flags]);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(
    lineageOk(['exps', 'show', '--md', ...flags], dir, ENV).stdout,
    theirs.stdout,
    `${what}: --md ${flags.join(' ')} byte for byte`,
  );
}

/** Python's json.loads: bare NaN and ±Infinity, ints of any size. */
function pyJson(text: string): unknown {
  const r = parseJsonPython(text, { bigInts: true });
  assert.ok(r.ok, `not JSON: ${text.slice(0, 200)}`);
  return r.value;
}

interface JsonRow {
  rev: string;
  name: string | null;
  data: Record<string, unknown> | null;
  experiments: { revs: JsonRow[] }[] | null;
}

/** --json value for value; DVC's deps, outs and meta are left out (not produced), a multi-tagged baseline's name is either tag. */
function compareJson(dir: string, flags: string[], what: string): void {
  const theirs = dvc(dir, ['--json', ...flags]);
  assert.equal(theirs.status, 0, theirs.stderr);
  const ours = pyJson(lineageOk(['exps', 'show', '--json', ...flags], dir, ENV).stdout) as JsonRow[];
  // A file's error keeps its type only: DVC words it with a path relative to where it runs.
  const files = (f: unknown) =>
    Object.fromEntries(
      Object.entries(f as Record<string, { error?: { type: string } }>).map(([p, v]) => [p, v.error ? { error: v.error.type } : v]),
    );
  const strip = (r: JsonRow): JsonRow => ({
    ...r,
    data:
      r.data &&
      Object.fromEntries(
        Object.entries(r.data)
          .filter(([k]) => !['deps', 'outs', 'meta'].includes(k))
          .map(([k, v]) => [k, k === 'params' || k === 'metrics' ? files(v) : v]),
      ),
    experiments: r.experiments?.map((e) => ({ ...e, revs: e.revs.map(strip) })) ?? null,
  });
  const their = (pyJson(theirs.stdout) as JsonRow[]).map(strip);
  const mine = ours.map(strip);
  their.forEach((r, i) => {
    if (mine[i] && r.name && mine[i].name && r.name !== mine[i].name && sameMultiTagged(dir, r.name, mine[i].name!)) r.name = mine[i].name;
  });
  assertSameValues(`${what}: dvc exp show --json ${flags.join(' ')} vs lineage exps show --json`, their, mine);
}

/** Keys with dots, unicode and HTML; lists, NaN, ±Infinity, a huge int; a metric that is a number in one row and text in another; stage deps with hashes. */
function makeRepo(): string {
  const dir = join(scratchDir('exp-show-table'), 'repo');
  mkdirSync(join(dir, 'eval'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Table User');
  git(dir, 'config', 'user.email', 'table@example.com');
  assert.equal(runTool('dvc', ['init', '-q'], dir, ENV).status, 0);
  const write = (files: Record<string, string>) => {
    for (const [p, text] of Object.entries(files)) writeFileSync(join(dir, p), text);
  };
  write({
    'dvc.yaml':
      'stages:\n  train:\n    cmd: python train.py\n    deps: [train.py, data/in.csv]\n    params: [train]\nmetrics:\n  - metrics.json\n  - eval/größe.yaml\n',
    'train.py': 'print(1)\n',
    'data/in.csv': 'a,b\n',
    'params.yaml':
      'train:\n  lr: 0.001\n  "dotted.key": 1.0\n  layers: [64, 32]\n  big: 123456789012345678901234567890\n  nested: {a: 1, b: [1, 2.5, x]}\n  ünï: "<b>bold</b>"\n  flag: yes\n  none: null\nother: 5\n',
    'metrics.json':
      '{"acc": 0.5, "mixed": 1.5, "nan": NaN, "inf": Infinity, "ninf": -Infinity, "big": 123456789012345678901234567890, "list": [1, 2], "<i>html</i>": 1, "deep": {"x.y": 2}, "flt": 1e-07, "t": true, "text, with \\"quotes\\"": "a,b"}\n',
    'eval/größe.yaml': 'score: 0.25\n',
    'dvc.lock':
      "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: train.py\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef\n      size: 9\n    - path: data/in.csv\n      hash: md5\n      md5: fedcba9876543210fedcba9876543210\n      size: 4\n",
  });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'baseline');
  git(dir, 'tag', 'v1');
  git(dir, 'tag', 'v1-also');
  const base = git(dir, 'rev-parse', 'HEAD');
  let day = 1;
  const exp = (name: string, edit: (text: string) => string, file = 'metrics.json') => {
    git(dir, 'checkout', '-q', '--detach', base);
    const path = join(dir, file);
    writeFileSync(path, edit(execFileSync('cat', [path], { encoding: 'utf8' })));
    git(dir, 'add', '-A');
    const env = { ...process.env, GIT_COMMITTER_DATE: `2030-01-0${day++}T12:00:00+00:00` };
    const sha = execFileSync('git', ['commit-tree', git(dir, 'write-tree'), '-p', base, '-m', name], {
      cwd: dir,
      env,
      encoding: 'utf8',
    }).trim();
    git(dir, 'update-ref', `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/${name}`, sha);
    git(dir, 'reset', '-q', '--hard');
  };
  exp('e1', (t) => t.replace('"mixed": 1.5', '"mixed": "high"'));
  exp('e2', (t) => t.replace('"mixed": 1.5', '"mixed": 0.25').replace('"acc": 0.5', '"acc": 0.9'));
  exp('e3', (t) => t.replace('lr: 0.001', 'lr: 0.1'), 'params.yaml');
  exp('e4', () => '{"acc": 0.6,\n');
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'checkout', '-q', '-b', 'other');
  write({ 'metrics.json': '{"acc": 0.7, "mixed": 2}\n', 'params.yaml': 'train:\n  lr: 0.01\nother: 6\n' });
  git(dir, 'commit', '-q', '-am', 'other');
  git(dir, 'checkout', '-q', 'main');
  write({ 'eval/größe.yaml': 'score: 0.3\n' });
  git(dir, 'commit', '-q', '-am', 'second');
  return dir;
}

describe('interop: lineage exps show and dvc exp show (--csv, --md, --json)', function () {
  this.timeout(600000);
  before(() => interopTool('dvc'));

  it('a repository made here: odd keys and values, deps, an unreadable file, two branches, a commit with two tags', () => {
    const dir = makeRepo();
    for (const flags of [
      [],
      ['-A'],
      ['-a'],
      ['-T'],
      ['-a', '-T'],
      ['--sort-by', 'acc', '--sort-order', 'desc'],
      ['--sort-by', 'params.yaml:train.lr'],
      ['--only-changed'],
      ['--keep', 'train', '--drop', 'train|nan'],
      ['--drop', '.*', '--keep', 'Experiment|rev|acc$'],
      ['-n', '2'],
      ['-n', '-1'],
      ['--rev', 'other'],
      ['--rev', 'v1', '--rev', 'other'],
      ['--precision', '3'],
      ['--sha'],
      ['--hide-workspace'],
      ['-A', '--only-changed'],
    ])
      compareCsv(dir, flags, 'made');
    for (const flags of [[], ['--only-changed'], ['-a', '--sort-by', 'acc']]) compareMd(dir, flags, 'made');
    for (const flags of [[], ['-A'], ['-n', '2']]) compareJson(dir, flags, 'made');

    // A metric that is a number in one row and text in another: DVC fails comparing them;
    // lineage sorts numbers first (ascending), then text, then rows without the value.
    assert.notEqual(dvc(dir, ['--csv', '--rev', 'v1', '--sort-by', 'mixed']).status, 0, 'dvc exp show --sort-by on a mixed column fails');
    const mixed = lineageOk(['exps', 'show', '--csv', '--rev', 'v1', '--sort-by', 'mixed'], dir, ENV).stdout;
    assert.deepEqual(
      parseCsv(mixed)
        .slice(3)
        .map((r) => [r[0], r[6]]),
      [
        ['e2', '0.25'],
        ['e3', '1.5'],
        ['e1', 'high'],
        ['e4', '!'],
      ],
    );

    // Stars and notes: in the text and Markdown tables, never in --csv or --json.
    lineageOk(['exps', 'mark', 'e2', '--star', '--note', 'best, so far'], dir, ENV);
    compareCsv(dir, ['--rev', 'v1'], 'made, with a star');
    compareJson(dir, ['--rev', 'v1'], 'made, with a star');
    const md = lineageOk(['exps', 'show', '--md', '--rev', 'v1'], dir, ENV).stdout;
    assert.match(md.split('\n')[0], /^\| ★ +\| Experiment .*\| Note +\|$/);
    assert.match(md, /\| ★ +\| ├── \w{7} \[e2\] .*\| best, so far +\|/);
    assert.match(lineageOk(['exps', 'show', '--rev', 'v1'], dir, ENV).stdout, /^★ +├── \w{7} \[e2\] .* best, so far$/m);
    // --filter and --starred (not in DVC) keep the baseline of a kept experiment.
    const starred = parseCsv(lineageOk(['exps', 'show', '--csv', '--rev', 'v1', '--starred'], dir, ENV).stdout);
    assert.deepEqual(
      starred.slice(1).map((r) => [r[0], r[2]]),
      [
        ['', 'baseline'],
        ['e2', 'branch_base'],
      ],
    );
    const filtered = parseCsv(lineageOk(['exps', 'show', '--csv', '-A', '--filter', 'metrics.json:acc >= 0.7'], dir, ENV).stdout);
    const names = filtered.slice(1).map((r) => r[0] || r[1]);
    const v1 = v1Name(dir, filtered);
    assert.deepEqual([...names].sort(), ['e2', 'other', v1].sort());
    assert.equal(names[names.indexOf('e2') - 1], v1, 'the experiment under its baseline');
    const bad = runCli(['exps', 'show', '--filter', 'nope > 1'], { repo: dir, env: ENV });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--filter: no column "nope"/);
  });

  it('the demo repository: every flag DVC users reach for', async () => {
    const dir = copyRepo((await sharedDemoRepo()).dir, 'exp-show-table-demo');
    // Without the experiment cache an earlier file's DVC runs may have filled in another TZ.
    rmSync(join(dir, '.dvc', 'tmp'), { recursive: true, force: true });
    for (const flags of [
      [],
      ['-A'],
      ['-a'],
      ['-T'],
      ['--sort-by', 'accuracy'],
      ['--sort-by', 'train.lr', '--sort-order', 'desc'],
      ['--only-changed'],
      ['-n', '3'],
      ['--keep', 'acc', '--drop', 'models|src|data'],
      ['--sha'],
      ['--precision', '2'],
      ['--hide-workspace'],
      ['--rev', 'v1.0.0', '-n', '2'],
      ['-a', '--only-changed'],
    ])
      compareCsv(dir, flags, 'demo');
    for (const flags of [
      [],
      ['-a'],
      ['--only-changed', '--sort-by', 'accuracy', '--sort-order', 'desc'],
      ['--drop', 'data|models|src', '--precision', '3'],
    ])
      compareMd(dir, flags, 'demo');
    for (const flags of [[], ['-a'], ['-n', '4']]) compareJson(dir, flags, 'demo');
  });
});

/** The name the baseline v1 got in a table (v1 or v1-also: the commit has both tags). */
function v1Name(dir: string, table: string[][]): string {
  const name = table
    .slice(1)
    .map((r) => r[1])
    .find((n) => n === 'v1' || n === 'v1-also');
  assert.ok(name && sameMultiTagged(dir, name, 'v1'), 'the tagged baseline is a row');
  return name;
}
