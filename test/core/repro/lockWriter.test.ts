import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextFilesOf, parseDvcYaml } from '../../../src/core/formats/dvcYaml';
import { renderPipeline } from '../../../src/core/formats/dvcYamlRender';
import type { Files } from '../../../src/core/formats/dvcYamlContext';
import { dumpDvcYaml, emitYaml } from '../../../src/core/yamlRoundTrip/dvcYamlDump';
import { LockFileError, lockStageEntry, removeLockStage, renderLockUpdate, updateLockFile } from '../../../src/core/repro/lockWriter';
import type { LockOutput } from '../../../src/core/repro/lockWriter';
import { loadParamsText, readTrackedParams, templateData, withPythonValues } from '../../../src/core/repro/paramValues';
import { PyFloat } from '../../../src/core/python/pyFloat';
import type { PyDict } from '../../../src/core/python/pyFloat';
import { loadYamlRoundTrip, loadYamlSafe } from '../../../src/core/yamlRoundTrip/yamlLoad';
import { FIXTURES, decodeTyped, readFixture } from './fixtures/typedJson';

const out = (
  path: string,
  md5: string,
  size: number,
  extra: Partial<LockOutput['hash']> = {},
  kind: LockOutput['kind'] = 'md5',
): LockOutput => ({ path, hash: { md5, size, ...extra }, kind });

describe('lockStageEntry (to_single_stage_lockfile)', () => {
  it('orders cmd, deps, params, outs; deps/outs by path; params.yaml first, then files and keys sorted', () => {
    const entry = lockStageEntry({
      cmd: 'python train.py',
      deps: [
        out('src/train.py', 'a'.repeat(32), 10, { isexec: true }),
        out('data', 'b'.repeat(32) + '.dir', 30, { nfiles: 3 }),
        out('B.csv', 'c'.repeat(32), 5, {}, 'md5-dos2unix'),
      ],
      outs: [out('model.pkl', 'd'.repeat(32), 7, { isexec: false })],
      params: [
        {
          file: 'z.json',
          values: new Map([
            ['b', 1],
            ['a', 2],
          ]),
        },
        { file: 'params.yaml', values: { 'train.lr': new PyFloat(0.1), epochs: 3 } },
        { file: 'conf/x.toml', values: new Map() },
      ],
    });
    assert.equal(
      dumpDvcYaml(entry),
      [
        'cmd: python train.py',
        'deps:',
        '- path: B.csv',
        '  md5: ' + 'c'.repeat(32),
        '  size: 5',
        '- path: data',
        '  hash: md5',
        '  md5: ' + 'b'.repeat(32) + '.dir',
        '  size: 30',
        '  nfiles: 3',
        '- path: src/train.py',
        '  hash: md5',
        '  md5: ' + 'a'.repeat(32),
        '  size: 10',
        '  isexec: true',
        'params:',
        '  params.yaml:',
        '    epochs: 3',
        '    train.lr: 0.1',
        '  conf/x.toml: {}',
        '  z.json:',
        '    a: 2',
        '    b: 1',
        'outs:',
        '- path: model.pkl',
        '  hash: md5',
        '  md5: ' + 'd'.repeat(32),
        '  size: 7',
        '',
      ].join('\n'),
    );
  });

  it('leaves out empty sections and keeps a list cmd; sorts by code point like Python', () => {
    const entry = lockStageEntry({ cmd: ['a', 'b'], deps: [out('\u{1F600}', 'e', 1), out('\uFFFF', 'f', 1)], outs: [], params: {} });
    assert.deepEqual([...entry.keys()], ['cmd', 'deps']);
    assert.deepEqual(
      (entry.get('deps') as PyDict[]).map((d) => d.get('path')),
      ['\uFFFF', '\u{1F600}'],
    );
  });
});

/** Rebuilds a project's dvc.lock with our code, stage by stage, hashes taken from DVC's lock. */
function rebuild(dir: string, lockPath: string, stagesInOrder: string[], dvcLock: string): void {
  const text = readFileSync(join(dir, 'dvc.yaml'), 'utf8');
  const parsed = parseDvcYaml(text);
  assert.ok(parsed.ok);
  const raw = withPythonValues(parsed.value, text).raw;
  const files: Files = new Map();
  for (const rel of contextFilesOf(raw)) {
    const p = join(dir, rel);
    if (!existsSync(p)) continue;
    const loaded = loadParamsText(readFileSync(p, 'utf8'), p);
    assert.ok(loaded.ok);
    files.set(rel, templateData(loaded.value));
  }
  const def = renderPipeline(raw, files);
  assert.deepEqual(def.errors, []);
  const locked = loadYamlSafe(dvcLock);
  assert.ok(locked.ok);
  const lockStages = (locked.value as PyDict).get('stages') as PyDict;
  const hashOf = (stage: string, section: string, path: string): LockOutput => {
    const entry = ((lockStages.get(stage) as PyDict).get(section) as PyDict[]).find((e) => e.get('path') === path)!;
    return { path, hash: { md5: entry.get('md5') as string, size: entry.get('size') as number }, kind: 'md5' };
  };
  for (const name of stagesInOrder) {
    const s = def.stages.find((x) => x.name === name);
    assert.ok(s, `stage ${name}`);
    updateLockFile(lockPath, name, {
      cmd: s.cmd,
      deps: s.deps.map((d) => hashOf(name, 'deps', d.path)),
      outs: s.outs.map((o) => hashOf(name, 'outs', o.path)),
      params: s.params.map((p) => {
        const t = readTrackedParams(join(dir, p.projectPath), p.keys);
        assert.deepEqual([t.missing, t.error], [[], undefined]);
        return { file: p.file, values: t.values };
      }),
    });
  }
}

describe('dvc.lock as DVC writes it (fixtures/lock-e2e, made by gen-lock-e2e.py)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lock-e2e-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const copy = (from: string): void => {
    for (const name of readdirSync(from, { recursive: true }) as string[]) {
      const src = join(from, name);
      if (statSync(src).isDirectory()) continue;
      const dst = join(dir, name);
      mkdirSync(join(dst, '..'), { recursive: true });
      writeFileSync(dst, readFileSync(src));
    }
  };

  it('a first repro: rendered cmds with Python floats, params (an &id001 alias), order of runs', () => {
    copy(join(FIXTURES, 'lock-e2e', 'step1'));
    const dvcLock = readFileSync(join(dir, 'dvc.lock'), 'utf8');
    rmSync(join(dir, 'dvc.lock'));
    rebuild(dir, join(dir, 'dvc.lock'), ['prep', 'gen@1.0', 'gen@2.5', 'gen@1e-05', 'whole', 'listcmd'], dvcLock);
    assert.equal(readFileSync(join(dir, 'dvc.lock'), 'utf8'), dvcLock);
  });

  it('a second repro: a changed stage stays in place, a new one goes last', () => {
    copy(join(FIXTURES, 'lock-e2e', 'step1'));
    copy(join(FIXTURES, 'lock-e2e', 'step2'));
    const dvcLock = readFileSync(join(FIXTURES, 'lock-e2e', 'step2', 'dvc.lock'), 'utf8');
    writeFileSync(join(dir, 'dvc.lock'), readFileSync(join(FIXTURES, 'lock-e2e', 'step1', 'dvc.lock')));
    rebuild(dir, join(dir, 'dvc.lock'), ['mid', 'whole'], dvcLock);
    assert.equal(readFileSync(join(dir, 'dvc.lock'), 'utf8'), dvcLock);
  });
});

describe('updateLockFile / removeLockStage', () => {
  let dir = '';
  let lock = '';
  const entry = (cmd: string): PyDict => lockStageEntry({ cmd, deps: [], outs: [out('o.txt', '0'.repeat(32), 1)], params: [] });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockw-'));
    lock = join(dir, 'dvc.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the file with schema '2.0' first, replaces in place, appends new stages, leaves no temp file", () => {
    updateLockFile(lock, 'b', entry('echo b'));
    updateLockFile(lock, 'a', entry('echo a'));
    updateLockFile(lock, 'b', entry('echo B'));
    const text = readFileSync(lock, 'utf8');
    assert.match(text, /^schema: '2\.0'\nstages:\n {2}b:\n {4}cmd: echo B\n[\s\S]*\n {2}a:\n {4}cmd: echo a\n/);
    assert.deepEqual(readdirSync(dir), ['dvc.lock']);
  });

  it('keeps the file mode', () => {
    writeFileSync(lock, "schema: '2.0'\nstages: {}\n");
    chmodSync(lock, 0o640);
    updateLockFile(lock, 'a', entry('x'));
    assert.equal(statSync(lock).mode & 0o777, 0o640);
  });

  it('refuses a dvc.lock that does not parse, naming the file and line, and leaves it alone', () => {
    const broken = "schema: '2.0'\nstages:\n  a:\n    cmd: [unclosed\n";
    writeFileSync(lock, broken);
    assert.throws(
      () => updateLockFile(lock, 'a', entry('x')),
      (e: unknown) => e instanceof LockFileError && e.message.startsWith(`${lock}:`) && e.line !== undefined,
    );
    assert.equal(readFileSync(lock, 'utf8'), broken);
    writeFileSync(lock, "schema: '3.0'\nstages: {}\n");
    assert.throws(() => updateLockFile(lock, 'a', entry('x')), /schema/);
    writeFileSync(lock, 'train:\n  cmd: x\n');
    assert.throws(() => updateLockFile(lock, 'a', entry('x')), /DVC 1\.x layout/);
    writeFileSync(lock, "schema: '2.0'\nstages:\n");
    assert.throws(() => updateLockFile(lock, 'a', entry('x')), /'stages' must be a mapping/);
  });

  it('removes a stage, and the file with the last one', () => {
    updateLockFile(lock, 'a', entry('echo a'));
    updateLockFile(lock, 'b', entry('echo b'));
    assert.equal(removeLockStage(lock, 'x'), false);
    assert.equal(removeLockStage(lock, 'a'), true);
    assert.doesNotMatch(readFileSync(lock, 'utf8'), /echo a/);
    assert.equal(removeLockStage(lock, 'b'), true);
    assert.equal(existsSync(lock), false);
    assert.equal(removeLockStage(lock, 'b'), false);
  });

  it('keeps comments, blank lines and hand-written forms the way ruamel re-dumps them', () => {
    // Literal from DVC 3.67.1: Lockfile.dump_stages after editing stage b and adding z.
    const before = [
      '# head comment',
      '',
      "schema: '2.0'   # after schema",
      'stages:',
      '  # before a',
      '  a:',
      '    cmd: echo a   # eol a',
      '',
      '    deps:',
      '    - path: x    # eol path',
      '      md5: abc',
      '    # before b',
      '  b:',
      '    cmd: echo b',
      '  # before c',
      '  c:',
      '    cmd: echo c',
      '    params:',
      '      params.yaml:',
      '        lr: 1.0e-5',
      '        n: 0x1F',
      '        s: "quoted"',
      '# trailing',
      '',
    ].join('\n');
    let text = renderLockUpdate('dvc.lock', before, 'b', new Map([['cmd', 'new b']]));
    text = renderLockUpdate('dvc.lock', text, 'z', new Map([['cmd', 'z']]));
    assert.equal(
      text,
      [
        '# head comment',
        '',
        "schema: '2.0'   # after schema",
        'stages:',
        '  # before a',
        '  a:',
        '    cmd: echo a   # eol a',
        '',
        '    deps:',
        '    - path: x    # eol path',
        '      md5: abc',
        '    # before b',
        '  b:',
        '    cmd: new b',
        '  c:',
        '    cmd: echo c',
        '    params:',
        '      params.yaml:',
        '        lr: 1.0e-5',
        '        n: 0x1F',
        '        s: quoted',
        '# trailing',
        '  z:',
        '    cmd: z',
        '',
      ].join('\n'),
    );
  });
});

describe('round trip of generated lock texts, against DVC (fixtures/rt-cases.json)', () => {
  const data = readFixture<{
    cases: { text: string; redump: string | null; update?: { stage: string; entry: unknown; expected: string } }[];
  }>('rt-cases.json');

  it('re-dumps every text DVC can re-dump to the same bytes', () => {
    const bad: number[] = [];
    data.cases.forEach((c, i) => {
      if (c.redump === null) return; // DVC fails on it (ours may be more lenient, see gaps)
      const r = loadYamlRoundTrip(c.text);
      const text = r.ok ? (r.value === null ? '{}\n' : emitYaml(r.value)) : undefined;
      if (text !== c.redump) bad.push(i);
    });
    assert.deepEqual(bad, []);
  });

  it('records a stage into every text the way Lockfile.dump_stages does', () => {
    const updates = data.cases.filter((c) => c.update);
    assert.ok(updates.length >= 50);
    for (const c of updates) {
      const u = c.update!;
      assert.equal(renderLockUpdate('dvc.lock', c.text, u.stage, decodeTyped(u.entry) as PyDict), u.expected);
    }
  });
});
