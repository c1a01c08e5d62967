// The same statements through better-sqlite3 and node:sqlite must give the same answers: the
// index written by the CLI (better-sqlite3) is read in desktop VS Code (node:sqlite), and the
// engine is tested on one driver per run. Both load in one process only on Node 24 with the
// editor tier's ABI 137 binary (test/runCoreOnNodeSqlite.mjs); elsewhere this suite says which
// driver is missing and skips, unless LINEAGE_REQUIRE_BOTH_DRIVERS makes that a failure.
//
// Not normalised, because node:sqlite gives no handle on them (better-sqlite3 is the stricter,
// and the suite's main run on it catches such code): too few positional or missing named
// parameters (better-sqlite3 throws, node:sqlite binds NULL); several statements in one
// prepare() (better-sqlite3 throws, node:sqlite keeps the first); SQL that only one SQLite build
// compiles (better-sqlite3 adds DELETE/UPDATE … LIMIT and soundex()). The engine uses none.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqlDatabase, type SqliteDriverName } from '../../../src/core/store/driver';
import { storeFault } from '../../../src/core/store/store';
import { availableDrivers, type DriverAvailability } from '../../helpers/sqliteDrivers';
import { parityCases, type Outcome } from './driverParityCases';

const DRIVERS: SqliteDriverName[] = ['better-sqlite3', 'node:sqlite'];

describe('SQLite drivers give identical answers (better-sqlite3 and node:sqlite)', function () {
  let drivers: DriverAvailability;
  let dir: string;

  before(function () {
    drivers = availableDrivers();
    if (drivers.missing.length === 0) return;
    const why = `only ${Object.keys(drivers.open).join(', ') || 'no driver'} loads in Node ${process.versions.node}; missing ${drivers.missing.join('; ')}`;
    if (process.env.LINEAGE_REQUIRE_BOTH_DRIVERS) throw new Error(`driver parity cannot run: ${why}`);
    console.log(`      driver parity skipped: ${why}`);
    this.skip();
  });
  after(() => {
    if (drivers) rmSync(drivers.scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-parity-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function open(driver: SqliteDriverName, file: string, readonly = false): SqlDatabase {
    return openDatabase(file, { ...drivers.open[driver], readonly });
  }

  /** What a step gave: its value, or the error as callers see it (class, code, message, what classify() makes of it). */
  function outcome(fn: () => unknown, file: string): Outcome {
    try {
      return { value: fn() };
    } catch (error) {
      const e = error as Error & { code?: string };
      const fault = storeFault(error, file);
      const kind = e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : 'Error';
      return { error: { kind, code: e.code, message: e.message, problem: (fault as { problem?: string }).problem } };
    }
  }

  for (const c of parityCases) {
    it(c.name, () => {
      const seen = DRIVERS.map((driver) => {
        const file = join(dir, `${driver.replace(':', '-')}.sqlite`);
        const db = outcome(() => open(driver, file), file);
        if ('error' in db) return [db];
        const handle = db.value as SqlDatabase;
        try {
          if (c.setup) handle.exec(c.setup);
          return c.steps.map((step) => outcome(() => step(handle, file, (f, ro) => open(driver, f, ro)), file));
        } finally {
          handle.close();
        }
      });
      assert.deepStrictEqual(seen[1], seen[0], `node:sqlite (actual) and better-sqlite3 (expected) differ`);
      if (c.expect) c.expect(seen[0]);
    });
  }

  it('a file that is not a database: both drivers, the same error and the same StoreError', () => {
    const file = join(dir, 'junk.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 'not a database '));
    const seen = DRIVERS.map((driver) =>
      outcome(() => {
        const db = open(driver, file);
        try {
          return db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
        } finally {
          db.close();
        }
      }, file),
    );
    assert.deepStrictEqual(seen[1], seen[0]);
    assert.deepEqual(seen[0], { error: { kind: 'Error', code: 'SQLITE_NOTADB', message: 'file is not a database', problem: 'corrupt' } });
  });
});
