import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVER_ENV, nativeBindingCandidates, openDatabase } from '../../../src/core/store/driver';
import { loadNodeSqlite } from '../../../src/core/store/nodeSqlite';
import { skipInNodeSqliteRun } from '../../helpers/sqliteDrivers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BUILT = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const NAME = `better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`;

describe('SQLite driver seam', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-driver-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.LINEAGE_SQLITE_BINDING;
  });

  it('picks the binary for this runtime from <extension>/native/ and says so', function () {
    skipInNodeSqliteRun(this, 'it loads the package build of better-sqlite3, made for the Node that ran npm install');
    mkdirSync(join(dir, 'native'));
    copyFileSync(BUILT, join(dir, 'native', NAME));
    writeFileSync(join(dir, 'native', 'better_sqlite3-linux-x64-abi1.node'), 'another runtime');
    assert.deepEqual(nativeBindingCandidates(dir), [join(dir, 'native', NAME)]);
    const logs: string[] = [];
    const db = openDatabase(join(dir, 'a.sqlite'), { extensionRoot: dir, log: (m) => logs.push(m) });
    try {
      assert.equal(db.driver, 'better-sqlite3');
      assert.deepEqual(logs, [`SQLite driver: better-sqlite3 (${join(dir, 'native', NAME)})`]);
      assert.deepEqual(db.prepare('SELECT 1 + 1 AS two').get(), { two: 2 });
    } finally {
      db.close();
    }
  });

  it('skips a binary that does not load and falls back to the package build', function () {
    skipInNodeSqliteRun(this, 'it falls back to the package build of better-sqlite3');
    process.env.LINEAGE_SQLITE_BINDING = join(dir, 'broken.node');
    writeFileSync(process.env.LINEAGE_SQLITE_BINDING, 'not an ELF file');
    const logs: string[] = [];
    const db = openDatabase(join(dir, 'b.sqlite'), { log: (m) => logs.push(m) });
    try {
      assert.deepEqual(logs, ['SQLite driver: better-sqlite3']);
    } finally {
      db.close();
    }
  });

  it('reports a file it cannot open as it is, instead of blaming the driver', () => {
    assert.throws(
      () => openDatabase(dir),
      (e: Error) => !/No SQLite driver/.test(e.message),
    );
  });

  it(`${DRIVER_ENV} must name a driver`, () => {
    const before = process.env[DRIVER_ENV];
    process.env[DRIVER_ENV] = 'sqlite3';
    try {
      assert.throws(
        () => openDatabase(join(dir, 'c.sqlite')),
        /LINEAGE_SQLITE_DRIVER=sqlite3 names no SQLite driver: use better-sqlite3, node:sqlite, or auto/,
      );
    } finally {
      if (before === undefined) delete process.env[DRIVER_ENV];
      else process.env[DRIVER_ENV] = before;
    }
  });
});

/**
 * In a child process, so what it requires is its own: opens ':memory:' with `env` and reports
 * the driver or the error, the log, and whether better-sqlite3's JavaScript was ever required.
 * `hideBetterSqlite3` makes require('better-sqlite3') fail as in a package without it.
 */
function openInChild(
  env: Record<string, string>,
  hideBetterSqlite3 = false,
): { driver?: string; error?: string; logs: string[]; required: boolean } {
  const script = `
    const Module = require('module');
    if (${hideBetterSqlite3}) {
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'better-sqlite3') throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
    }
    const logs = []; const out = { logs };
    try { out.driver = require(${JSON.stringify(require.resolve('../../../src/core/store/driver'))}).openDatabase(':memory:', { log: (m) => logs.push(m) }).driver; }
    catch (e) { out.error = e.message; }
    out.required = Object.keys(require.cache).some((k) => k.includes('better-sqlite3'));
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, LINEAGE_SQLITE_BINDING: '', ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe(`SQLite driver switch (${DRIVER_ENV})`, () => {
  const hasNodeSqlite = !(loadNodeSqlite() instanceof Error);

  it('node:sqlite: opens through node:sqlite and never requires better-sqlite3', () => {
    const r = openInChild({ [DRIVER_ENV]: 'node:sqlite' });
    assert.equal(r.required, false);
    if (hasNodeSqlite) {
      assert.equal(r.driver, 'node:sqlite', r.error);
      assert.deepEqual(r.logs, ['SQLite driver: node:sqlite (LINEAGE_SQLITE_DRIVER=node:sqlite)']);
    } else {
      assert.match(
        r.error ?? '',
        /^SQLite driver node:sqlite \(LINEAGE_SQLITE_DRIVER=node:sqlite\) does not load in this runtime \(Node [\d.]+, ABI \d+\): node:sqlite: /,
      );
    }
  });

  it('better-sqlite3: never falls back to node:sqlite when better-sqlite3 does not load', () => {
    const r = openInChild({ [DRIVER_ENV]: 'better-sqlite3' }, true);
    assert.equal(r.driver, undefined);
    assert.match(
      r.error ?? '',
      /^SQLite driver better-sqlite3 \(LINEAGE_SQLITE_DRIVER=better-sqlite3\) does not load in this runtime .*Cannot find module 'better-sqlite3'/,
    );
  });

  it('unset or auto: falls back to node:sqlite where better-sqlite3 does not load, and says why', () => {
    for (const value of ['', 'auto']) {
      const r = openInChild({ [DRIVER_ENV]: value }, true);
      if (hasNodeSqlite) {
        assert.equal(r.driver, 'node:sqlite', r.error);
        assert.match(
          r.logs[0],
          /^SQLite driver: node:sqlite \(better-sqlite3 did not load: better-sqlite3: Cannot find module 'better-sqlite3'\)$/,
        );
      } else {
        assert.match(r.error ?? '', /^No SQLite driver loads in this runtime/);
      }
    }
  });
});
