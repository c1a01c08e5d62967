// The statements driverParity.test.ts runs through both SQLite drivers. Each step's value (rows
// with their prototypes, Buffers, -0) or error (code, message, StoreError problem) is compared.
import { strict as assert } from 'node:assert';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase } from '../../../src/core/store/driver';

export type Outcome = { value: unknown } | { error: { kind: string; code?: string; message: string; problem?: string } };
type Open = (file: string, readonly?: boolean) => SqlDatabase;

export interface ParityCase {
  name: string;
  setup?: string;
  steps: ((db: SqlDatabase, file: string, open: Open) => unknown)[];
  /** What better-sqlite3 gave, checked against what the engine relies on. */
  expect?: (seen: Outcome[]) => void;
}

const value = (o: Outcome) => (o as { value: unknown }).value;
const problem = (o: Outcome) => (o as { error: { problem?: string } }).error?.problem;
const get =
  (sql: string, ...p: unknown[]) =>
  (db: SqlDatabase) =>
    db.prepare(sql).get(...p);
const all =
  (sql: string, ...p: unknown[]) =>
  (db: SqlDatabase) =>
    db.prepare(sql).all(...p);
const run =
  (sql: string, ...p: unknown[]) =>
  (db: SqlDatabase) =>
    db.prepare(sql).run(...p);
const exec = (sql: string) => (db: SqlDatabase) => db.exec(sql);

export const parityCases: ParityCase[] = [
  {
    name: 'integers up to and past 2^53 read as numbers, rounded as better-sqlite3 rounds them',
    setup: 'CREATE TABLE t (v INTEGER)',
    steps: [
      get('SELECT 0 a, -1 b, 9007199254740991 c, 9007199254740993 d, 1152921504606846977 e, 9223372036854775807 f, -9223372036854775808 g'),
      run('INSERT INTO t VALUES (?), (?), (?)', 7, 2n ** 60n + 1n, -(2n ** 62n)),
      all('SELECT v FROM t ORDER BY rowid'),
      // The same statement again, now with small values only.
      all('SELECT v FROM t WHERE abs(v) < ? ORDER BY rowid', 100),
      get('SELECT sum(v) s, max(v) m, count(*) n FROM t'),
    ],
    expect: (seen) =>
      assert.deepEqual(value(seen[0]), {
        a: 0,
        b: -1,
        c: 9007199254740991,
        d: 9007199254740992,
        e: 1152921504606846976,
        f: 9223372036854775807,
        g: -9223372036854775808,
      }),
  },
  {
    name: 'bigint parameters bind as integers',
    steps: [get('SELECT ? v, typeof(?) t, ? + 1 w', 5n, 5n, 2n ** 62n), get('SELECT ? v', -(2n ** 63n))],
  },
  {
    name: "a bigint past 64 bits is refused by both, with better-sqlite3's RangeError",
    steps: [get('SELECT ? v', 2n ** 70n)],
  },
  {
    name: 'NaN binds as NULL; ±Infinity and -0 as REAL; the same values read back',
    setup: 'CREATE TABLE t (r REAL, x)',
    steps: [
      get('SELECT ? a, typeof(?) b, ? c, ? d, ? e, typeof(?) f', NaN, NaN, Infinity, -Infinity, -0, -0),
      run('INSERT INTO t VALUES (?, ?), (?, ?), (?, ?)', NaN, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308),
      all('SELECT r, x, typeof(r) tr, typeof(x) tx FROM t ORDER BY rowid'),
      get('SELECT 1e999 a, -1e999 b, 0.0 / 0 c, 0.1 + 0.2 d, 1.0 / 3 e, -0.0 f, 2.0 g, typeof(2.0) h'),
    ],
  },
  {
    name: 'blobs read as Buffers, empty ones too; Uint8Array parameters bind as blobs',
    setup: 'CREATE TABLE t (b BLOB)',
    steps: [
      get(
        "SELECT ? a, ? b, x'' c, zeroblob(3) d, length(randomblob(4)) e, typeof(?) f",
        Buffer.from([0, 1, 255]),
        new Uint8Array([9, 8]),
        Buffer.alloc(0),
      ),
      run('INSERT INTO t VALUES (?), (?)', Buffer.from('abc'), Buffer.alloc(0)),
      all('SELECT b, typeof(b) t, hex(b) h FROM t ORDER BY rowid'),
    ],
  },
  {
    name: 'text: NUL, astral characters, invalid UTF-8 and lone surrogates read back alike, and find themselves',
    setup: 'CREATE TABLE t (k TEXT PRIMARY KEY)',
    steps: [
      run('INSERT INTO t VALUES (?), (?), (?), (?), (?)', 'a\0b', 'é😀', 'a\ud800b', '\udc00x', 'x\udbff'),
      all('SELECT k, length(k) l, hex(k) h FROM t ORDER BY rowid'),
      get('SELECT count(*) n FROM t WHERE k IN (?, ?, ?)', 'a\ud800b', '\udc00x', 'x\udbff'),
      get("SELECT CAST(x'61ff62' AS TEXT) a, CAST(x'eda080' AS TEXT) b, upper('straße') c, 'a' < 'B' d, 'a' LIKE 'A' e"),
    ],
    expect: (seen) => assert.deepEqual(value(seen[2]), { n: 3 }),
  },
  {
    name: 'column affinity: the same storage class and value for each declared type',
    setup: 'CREATE TABLE t (i INTEGER, r REAL, n NUMERIC, s TEXT, b BLOB, x)',
    steps: [
      run(
        'INSERT INTO t VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)',
        '12',
        3,
        '1.0',
        12,
        '7',
        '1.0',
        '1.5',
        '2.5',
        '1e20',
        1.5,
        7,
        3.0,
        'abc',
        'x',
        '0x10',
        12345678901234567890n & 0x7fffffffffffffffn,
        Buffer.from('z'),
        2 ** 53,
      ),
      all(
        'SELECT i, typeof(i) ti, r, typeof(r) tr, n, typeof(n) tn, s, typeof(s) ts, b, typeof(b) tb, x, typeof(x) tx FROM t ORDER BY rowid',
      ),
      get(
        "SELECT CAST('3.0' AS REAL) a, CAST(1.9 AS INTEGER) b, CAST('12abc' AS INTEGER) c, CAST(1e30 AS INTEGER) d, 7 / 2 e, 7 / 2.0 f, round(2.5) g",
      ),
    ],
  },
  {
    name: 'parameters: undefined is NULL, arrays spread, named ones with any prefix, unused names ignored',
    steps: [
      get('SELECT ? a, typeof(?) b', undefined, undefined),
      get('SELECT ? a, ? b, ? c', [1, 2], 3),
      get('SELECT @x a, :y b, $z c', { x: 1, y: 'two', z: null }),
      get('SELECT @x a', { x: 1, unused: 2 }),
    ],
  },
  {
    name: "a boolean parameter is refused by both, with better-sqlite3's message",
    steps: [get('SELECT ? a', true)],
  },
  {
    name: 'rows: plain objects, the last of duplicate names, __proto__ and constructor as better-sqlite3 sets them',
    steps: [
      get('SELECT 1 a, 2 a, 3 "constructor", 4 "__proto__", 5 "1", 6 b'),
      (db) => Object.getPrototypeOf(db.prepare('SELECT 1 a').get()) === Object.prototype,
      get('SELECT 1 WHERE 0'),
      all('SELECT 1 WHERE 0'),
    ],
  },
  {
    name: 'run(): changes and lastInsertRowid for writes, 0 changes for anything else',
    setup: 'CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE)',
    steps: [
      run("INSERT INTO t (k) VALUES ('a'), ('b')"),
      run("INSERT OR IGNORE INTO t (k) VALUES ('a')"),
      run("UPDATE t SET k = 'z' WHERE k = 'none'"),
      run('SELECT * FROM t'),
      run('CREATE TABLE u (x)'),
      run('PRAGMA user_version = 3'),
      run("/* a comment */ REPLACE INTO t (k) VALUES ('b')"),
      run("WITH v(k) AS (VALUES ('c'), ('d')) INSERT INTO t (k) SELECT k FROM v"),
      run('INSERT INTO t (id, k) VALUES (?, ?)', 2n ** 60n + 1n, 'big'),
      get("INSERT INTO t (id, k) VALUES (1152921504606846999, 'ret') RETURNING id, k"),
      run('DELETE FROM t WHERE id < 100'),
      all('SELECT id, k FROM t ORDER BY id'),
    ],
  },
  {
    name: 'get() and all() on a statement without result columns are refused, and it does not run',
    setup: 'CREATE TABLE t (x)',
    steps: [
      get('INSERT INTO t VALUES (1)'),
      all('INSERT INTO t VALUES (2)'),
      get('PRAGMA user_version = 4'),
      get('SELECT count(*) n FROM t'),
      get('PRAGMA user_version'),
    ],
  },
  {
    name: 'transactions through exec(): commit, rollback, savepoints, and a misplaced COMMIT or nested BEGIN',
    setup: 'CREATE TABLE t (x)',
    steps: [
      exec('BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT'),
      exec('BEGIN; INSERT INTO t VALUES (2); ROLLBACK'),
      exec('SAVEPOINT a; INSERT INTO t VALUES (3); SAVEPOINT b; INSERT INTO t VALUES (4); ROLLBACK TO b; RELEASE a'),
      exec('COMMIT'),
      (db) => {
        db.exec('BEGIN');
        try {
          db.exec('BEGIN');
        } finally {
          db.exec('ROLLBACK');
        }
      },
      all('SELECT x FROM t ORDER BY x'),
    ],
  },
  {
    name: 'pragmas: defaults (busy timeout, page cache, foreign keys), WAL, quick_check, table_info, compile-time answers',
    setup: 'CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL NOT NULL DEFAULT 1.5)',
    steps: [
      get('PRAGMA busy_timeout'),
      get('PRAGMA cache_size'),
      get('PRAGMA foreign_keys'),
      get('PRAGMA user_version'),
      get('PRAGMA journal_mode = WAL'),
      get('PRAGMA journal_mode'),
      all('PRAGMA quick_check(5)'),
      all('PRAGMA table_info(t)'),
      get('PRAGMA page_size'),
      get('PRAGMA auto_vacuum'),
      get('PRAGMA encoding'),
    ],
  },
  {
    name: 'SQL the engine uses: JSON, math and printf answer alike',
    steps: [
      get(
        `SELECT json_extract('{"a":[1,2.5,"x"]}', '$.a[1]') a, '{"a":{"b":null}}' ->> '$.a' b, json_array(1, 'x', NULL) c, json_valid('{') d`,
      ),
      all(`SELECT key, value, type FROM json_each('{"x":1,"y":[2],"z":"s"}')`),
      get("SELECT ln(2.0) a, pow(2, 10) b, sqrt(2) c, printf('%.3f|%d|%e', 1.0 / 3, 42, 12345.678) d, format('%5s', 'ab') e"),
    ],
  },
  {
    name: 'errors: syntax, missing table, constraints and a read-only write have the same code and message',
    setup: 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p REFERENCES p(id), u UNIQUE, n NOT NULL DEFAULT 0, k CHECK (k > 0))',
    steps: [
      get('SELEC 1'),
      get('SELECT * FROM nope'),
      get('SELECT "bare"'),
      run('INSERT INTO c (p) VALUES (5)'),
      run('INSERT INTO c (u) VALUES (1)'),
      run('INSERT INTO c (u) VALUES (1)'),
      run('INSERT INTO c (n) VALUES (NULL)'),
      run('INSERT INTO c (k) VALUES (-1)'),
      (_db, file, open) => {
        const ro = open(file, true);
        try {
          return ro.prepare('INSERT INTO p VALUES (1)').run();
        } finally {
          ro.close();
        }
      },
    ],
  },
  {
    name: 'a database locked by another connection: SQLITE_BUSY, classified as locked',
    setup: 'CREATE TABLE t (x); PRAGMA busy_timeout = 0',
    steps: [
      exec('BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)'),
      (_db, file, open) => {
        const other = open(file);
        try {
          other.exec('PRAGMA busy_timeout = 0');
          return other.prepare('SELECT count(*) n FROM t').get();
        } finally {
          other.close();
        }
      },
      exec('COMMIT'),
    ],
    expect: (seen) => assert.equal(problem(seen[1]), 'locked'),
  },
  {
    name: 'a full database: SQLITE_FULL, classified as full, the rows before it kept',
    setup: 'CREATE TABLE t (b BLOB); PRAGMA max_page_count = 8',
    steps: [run('INSERT INTO t VALUES (zeroblob(100))'), run('INSERT INTO t VALUES (zeroblob(100000))'), get('SELECT count(*) n FROM t')],
    expect: (seen) => assert.equal(problem(seen[1]), 'full'),
  },
  {
    name: 'a damaged page: SQLITE_CORRUPT, classified as corrupt, and quick_check reports it alike',
    setup:
      "CREATE TABLE t (k TEXT); CREATE INDEX tk ON t (k); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO t SELECT printf('row %05d %s', i, hex(zeroblob(20))) FROM n",
    steps: [
      (_db, file) => {
        const fd = openSync(file, 'r+');
        try {
          writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096 * 3);
        } finally {
          closeSync(fd);
        }
      },
      (_db, file, open) => {
        const again = open(file);
        try {
          return again.prepare('PRAGMA quick_check(3)').all();
        } finally {
          again.close();
        }
      },
      (_db, file, open) => {
        const again = open(file);
        try {
          return again.prepare('SELECT count(*) n FROM t WHERE k > ?').get('row');
        } finally {
          again.close();
        }
      },
      (_db, file, open) => {
        const again = open(file);
        try {
          return again.prepare('SELECT max(length(k)) n FROM t').get();
        } finally {
          again.close();
        }
      },
    ],
    expect: (seen) =>
      assert.ok(
        seen.some((o) => problem(o) === 'corrupt') || JSON.stringify(value(seen[1])) !== '[{"quick_check":"ok"}]',
        JSON.stringify(seen),
      ),
  },
  {
    name: 'opening: a missing folder, a missing file read-only, a folder; close() twice',
    steps: [
      (_db, file, open) => open(join(file, '..', 'no-such-folder', 'x.sqlite')),
      (_db, file, open) => open(join(file, '..', 'missing.sqlite'), true),
      (_db, file, open) => open(join(file, '..')).prepare('SELECT 1').get(),
      (db) => {
        db.close();
        db.close();
        return 'closed twice';
      },
    ],
  },
];
