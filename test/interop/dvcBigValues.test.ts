// Numbers DVC keeps exactly, against lineage on the same repository: ints past 2^53 in
// params.yaml (Python ints have no size limit), TOML ints past int64 and 10^29 (tomlkit reads
// ints of any size), TOML floats (1e300, 0.1, 1e-7, inf, nan) and metrics past 2^53.
// `params diff --json` and `metrics diff --json` are compared number token by number token,
// so 9007199254740993 must not come out as 9007199254740992 and 1e-07 not as 1e-7.
//
// An integral float (TOML `one = 1.0`) prints 1.0 as DVC prints it, and NaN/±Infinity are
// written bare, as DVC (Python's json) writes them; the text tables below compare them too.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { runCli } from '../helpers/runCli';
import { interopTool } from './tools';
import { assertSameValues, copyRepo, lineageJson, lineageOk, toolEnv, toolJson, toolOk } from './helpers';

const PIPELINE = `stages:
  train:
    cmd: cat params.yaml params.toml > model.txt && cp stats.json metrics.json
    params:
    - seed
    - seeds
    - lr
    - params.toml:
    outs:
    - model.txt
    metrics:
    - metrics.json:
        cache: false
`;

const PARAMS = 'seed: 9007199254740993\nseeds: [9007199254740993, 1e-7]\nlr: 0.001\n';
const TOML =
  [
    'big = 9223372036854775808',
    'huge = 100000000000000000000000000000',
    'neg = -9223372036854775809',
    'i64 = 9223372036854775807',
    'hexbig = 0xFFFFFFFFFFFFFFFFFF',
    'und = 1_000_000_000_000_000_000_000',
    'f300 = 1e300',
    'tenth = 0.1',
    'tiny = 1e-7',
    'e16 = 1e16',
    'pinf = inf',
    'ninf = -inf',
    'nn = nan',
    'same = 18446744073709551616',
    'one = 1.0',
    'two = 2.0',
  ].join('\n') + '\n';
const STATS = '{"count": 9007199254740993, "acc": 0.5, "tiny": 1e-7, "big": 1e16}\n';

/** The edit every comparison looks at: each big value moves by one, each float changes. */
function edit(dir: string): void {
  writeFileSync(join(dir, 'params.yaml'), 'seed: 9007199254740992\nseeds: [9007199254740992, 2e-7]\nlr: 0.001\n');
  writeFileSync(
    join(dir, 'params.toml'),
    TOML.replace('big = 9223372036854775808', 'big = 9223372036854775809')
      .replace('huge = 100000000000000000000000000000', 'huge = 100000000000000000000000000001')
      .replace('i64 = 9223372036854775807', 'i64 = 9223372036854775806')
      .replace('hexbig = 0xFFFFFFFFFFFFFFFFFF', 'hexbig = 0xFFFFFFFFFFFFFFFFFE')
      .replace('und = 1_000_000_000_000_000_000_000', 'und = 1_000_000_000_000_000_000_001')
      .replace('f300 = 1e300', 'f300 = 2e300')
      .replace('tenth = 0.1', 'tenth = 0.2')
      .replace('tiny = 1e-7', 'tiny = 2e-7')
      .replace('e16 = 1e16', 'e16 = 1e17')
      .replace('pinf = inf', 'pinf = -inf')
      .replace('two = 2.0', 'two = 3.0'),
  );
  writeFileSync(join(dir, 'metrics.json'), '{"count": 9007199254740992, "acc": 0.25, "tiny": 2e-7, "big": 2e16}\n');
}

type Tokens = null | boolean | string | { number: string } | Tokens[] | { [key: string]: Tokens };

/** JSON with every number kept as its text (and Python's bare NaN/Infinity accepted). */
function parseTokens(text: string): Tokens {
  let pos = 0;
  const ws = () => {
    while (/\s/.test(text[pos] ?? '')) pos++;
  };
  const value = (): Tokens => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: { [key: string]: Tokens } = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        assert.equal(text[pos++], ':', `':' expected at ${pos} in ${text}`);
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[pos++] === '}') return out;
      }
    }
    if (c === '[') {
      pos++;
      const out: Tokens[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[pos++] === ']') return out;
      }
    }
    if (c === '"') {
      const m = /"(?:[^"\\]|\\.)*"/y;
      m.lastIndex = pos;
      const s = m.exec(text)![0];
      pos += s.length;
      return JSON.parse(s) as string;
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    const m = /-?Infinity|NaN|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
    m.lastIndex = pos;
    const num = m.exec(text);
    assert.ok(num, `a value expected at ${pos} in ${text}`);
    pos += num[0].length;
    return { number: num[0] };
  };
  const out = value();
  ws();
  assert.equal(pos, text.length, `trailing text in ${text}`);
  return out;
}

/** `Path  Param  old  new ...` table rows (columns split on 2+ spaces) as {path: {key: [old, new]}}. */
function tableCells(text: string): Record<string, Record<string, [string, string]>> {
  const out: Record<string, Record<string, [string, string]>> = {};
  for (const line of text.trimEnd().split('\n').slice(1)) {
    const [path, key, old, now] = line.trim().split(/\s{2,}/);
    (out[path] ??= {})[key] = [old, now];
  }
  return out;
}

describe('interop: exact numbers (ints past 2^53, TOML ints past int64, TOML floats)', function () {
  this.timeout(300000);
  let fixture: GitFixture;
  let base: string;

  before(() => {
    interopTool('dvc');
    fixture = GitFixture.create().write({
      '.dvc/config': '',
      '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
      '.dvcignore': '',
      'dvc.yaml': PIPELINE,
      'params.yaml': PARAMS,
      'params.toml': TOML,
      'stats.json': STATS,
      '.gitignore': '/model.txt\n',
    });
    fixture.commit('pipeline');
    base = fixture.dir;
  });
  after(() => fixture?.cleanup());

  const lock = (dir: string) => readFileSync(join(dir, 'dvc.lock'), 'utf8');
  const lineageText = (args: string[], dir: string) => lineageOk(args, dir).stdout;
  const diffJson = (kind: 'params' | 'metrics', extra: string[], dir: string) => {
    const theirs = parseTokens(toolOk('dvc', [kind, 'diff', '--json', ...extra], dir));
    const r = runCli([kind, 'diff', '--json', ...extra], { repo: dir, env: toolEnv() });
    assert.equal(r.status, 0, r.stderr);
    assertSameValues(
      `dvc ${kind} diff --json ${extra.join(' ')} vs lineage (number tokens compared as text)`,
      theirs,
      parseTokens(r.stdout),
    );
  };

  let ran = '';
  it('repro writes the same dvc.lock as dvc repro (ints with all their digits, floats as repr)', () => {
    const theirs = copyRepo(base, 'big-dvc');
    const ours = copyRepo(base, 'big-lineage');
    toolOk('dvc', ['repro'], theirs);
    lineageOk(['repro'], ours);
    assert.equal(lock(ours), lock(theirs));
    assert.match(lock(ours), /seed: 9007199254740993\n/);
    assert.match(lock(ours), /huge: 100000000000000000000000000000\n/);
    assert.deepEqual(
      toolJson('dvc', ['status', '--json'], ours),
      { train: [{ 'changed deps': { 'params.toml': { nn: 'modified' } } }] },
      'dvc status after lineage repro: only nan != nan',
    );
    // HEAD records the run, so `params diff` compares it with the edited workspace.
    new GitFixture(theirs).commit('ran');
    ran = theirs;
  });

  it('status agrees after 9007199254740993 -> 9007199254740992 and the TOML edits', () => {
    assert.ok(ran, 'the repro case ran');
    const dir = copyRepo(ran, 'big-status');
    assertSameValues(
      'dvc status --json vs lineage status --json (as committed)',
      toolJson('dvc', ['status', '--json'], dir),
      lineageJson(['status', '--json'], dir),
    );
    writeFileSync(join(dir, 'params.yaml'), PARAMS.replace('seed: 9007199254740993', 'seed: 9007199254740992'));
    const seedOnly = toolJson('dvc', ['status', '--json'], dir);
    assert.deepEqual(seedOnly, { train: [{ 'changed deps': { 'params.yaml': { seed: 'modified' }, 'params.toml': { nn: 'modified' } } }] });
    assertSameValues(
      'dvc status --json vs lineage status --json (seed 9007199254740993 -> 9007199254740992)',
      seedOnly,
      lineageJson(['status', '--json'], dir),
    );
    edit(dir);
    assertSameValues(
      'dvc status --json vs lineage status --json (every value edited)',
      toolJson('dvc', ['status', '--json'], dir),
      lineageJson(['status', '--json'], dir),
    );
    // Both reproduce it the same way, and DVC finds nothing left but nan.
    const ours = copyRepo(dir, 'big-status-lineage');
    toolOk('dvc', ['repro'], dir);
    lineageOk(['repro'], ours);
    assert.equal(lock(ours), lock(dir), 'dvc.lock after the edits');
  });

  it('params diff and metrics diff --json print every number as DVC does', () => {
    assert.ok(ran, 'the repro case ran');
    const dir = copyRepo(ran, 'big-diff');
    edit(dir);
    diffJson('params', [], dir);
    diffJson('params', ['--all'], dir);
    diffJson('metrics', [], dir);
    diffJson('metrics', ['--all'], dir);
  });

  it('params diff tables show the same values (nan and inf included)', () => {
    assert.ok(ran, 'the repro case ran');
    const dir = copyRepo(ran, 'big-table');
    edit(dir);
    const theirs = tableCells(toolOk('dvc', ['params', 'diff', '--all'], dir));
    const ours = tableCells(lineageText(['params', 'diff', '--all'], dir));
    // DVC prints a list as str(list) and lineage as JSON: lists are compared by --json above.
    delete theirs['params.yaml'].seeds;
    delete ours['params.yaml'].seeds;
    assert.deepEqual(ours, theirs);
    assert.deepEqual(theirs['params.toml'].huge, ['100000000000000000000000000000', '100000000000000000000000000001']);
    assert.deepEqual(theirs['params.toml'].tiny, ['1e-07', '2e-07']);
  });
});
