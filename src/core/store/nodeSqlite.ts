// The runtime's built-in node:sqlite (Node 22.13+, and desktop VS Code's Electron, which has no
// better-sqlite3 binary in the package), made to answer exactly as better-sqlite3 does, so the
// engine and its tests see one behaviour whichever driver opened the file. Each rule below is
// held by test/core/store/driverParity.test.ts, which runs the same queries through both.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDatabase, SqlStatement } from './driver';
import { sqliteCodeName } from './sqliteCodes';

interface NodeStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
  columns?(): unknown[];
  setReadBigInts(on: boolean): void;
  setAllowUnknownNamedParameters?(on: boolean): void;
}
interface NodeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  close(): void;
}
export interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: object) => NodeDatabase;
}

/** The module, or why it is not there (Node 20, or 22 before 22.13 without --experimental-sqlite). */
export function loadNodeSqlite(): NodeSqliteModule | Error {
  try {
    // A runtime built-in: the bundler leaves `node:` modules to the runtime (platform node).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node:sqlite') as NodeSqliteModule;
  } catch (error) {
    return error as Error;
  }
}

/** node:sqlite's errors carry the numeric code; better-sqlite3 names it, and callers match names. */
function named(error: unknown): unknown {
  const e = error as { code?: unknown; errcode?: unknown } | undefined;
  if (e?.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') e.code = sqliteCodeName(e.errcode);
  return error;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw named(error);
  }
}

const BIND_TYPES = 'SQLite3 can only bind numbers, strings, bigints, buffers, and null';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * better-sqlite3 binds undefined as NULL, spreads arrays, refuses booleans, and refuses a bigint
 * past 64 bits with a RangeError; node:sqlite does none of that the same way.
 */
function bindable(params: unknown[]): unknown[] {
  if (!params.some((p) => p === undefined || typeof p === 'boolean' || typeof p === 'bigint' || Array.isArray(p))) return params;
  const one = (p: unknown) => {
    if (typeof p === 'boolean') throw new TypeError(BIND_TYPES);
    if (typeof p === 'bigint' && (p < INT64_MIN || p > INT64_MAX)) throw new RangeError('The bound string, buffer, or bigint is too big');
    return p === undefined ? null : p;
  };
  return params.flatMap((p) => (Array.isArray(p) ? p.map(one) : [one(p)]));
}

/**
 * Rows as better-sqlite3 gives them: plain objects (node:sqlite's have a null prototype, which
 * deepStrictEqual and hasOwnProperty notice), blobs as Buffers (not bare Uint8Arrays), and
 * integers as numbers even past 2^53 (rounded, as better-sqlite3 rounds them). A column named
 * __proto__ is an own property, as better-sqlite3 builds rows on the V8 of Node 22+ and Electron.
 */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    const raw = row[key];
    const v =
      typeof raw === 'bigint' ? Number(raw) : raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : raw;
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

const LEADING = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const WRITE_WORDS = /\b(?:INSERT|UPDATE|DELETE|REPLACE)\b/i;

function writes(sql: string): boolean {
  const text = sql.replace(LEADING, '');
  const first = /^\w+/.exec(text)?.[0].toUpperCase();
  return (
    first === 'INSERT' || first === 'UPDATE' || first === 'DELETE' || first === 'REPLACE' || (first === 'WITH' && WRITE_WORDS.test(text))
  );
}

class Statement implements SqlStatement {
  /** readBigInts is on: set once a read met an integer beyond 2^53, which node:sqlite refuses to round. */
  private bigInts = false;
  private reader: boolean | undefined;
  /** node:sqlite reports the last DML's count even for a SELECT or PRAGMA; better-sqlite3 reports 0 there. */
  private readonly writes: boolean;

  constructor(
    private readonly stmt: NodeStatement,
    sql: string,
  ) {
    this.writes = writes(sql);
    // better-sqlite3 ignores named parameters a statement does not use.
    stmt.setAllowUnknownNamedParameters?.(true);
    // A RETURNING statement cannot be run again to retry a read, so it reads big integers from the start.
    if (/\bRETURNING\b/i.test(sql)) this.useBigInts();
  }

  run(...params: unknown[]): { changes: number; lastInsertRowid: number } {
    const result = guard(() => this.stmt.run(...bindable(params)));
    return { changes: this.writes ? Number(result.changes) : 0, lastInsertRowid: Number(result.lastInsertRowid) };
  }

  get(...params: unknown[]): unknown {
    this.mustRead();
    const row = this.read(() => this.stmt.get(...bindable(params)));
    return row === undefined ? undefined : plain(row);
  }

  all(...params: unknown[]): unknown[] {
    this.mustRead();
    return this.read(() => this.stmt.all(...bindable(params))).map(plain);
  }

  /** better-sqlite3 refuses get()/all() on a statement without result columns (node:sqlite runs it). */
  private mustRead(): void {
    if (this.reader === undefined) this.reader = typeof this.stmt.columns === 'function' ? this.stmt.columns().length > 0 : true;
    if (!this.reader) throw new TypeError('This statement does not return data. Use run() instead');
  }

  private useBigInts(): void {
    this.stmt.setReadBigInts(true);
    this.bigInts = true;
  }

  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_OUT_OF_RANGE' || this.bigInts) throw named(error);
    }
    // Reading has no side effects (RETURNING statements never get here): read again, as bigints.
    this.useBigInts();
    return guard(fn);
  }
}

/** Opens `file` with node:sqlite; failures to open are the caller's, as with better-sqlite3. */
export function openNodeSqlite(sqlite: NodeSqliteModule, file: string, readonly: boolean): SqlDatabase {
  const anonymous = file === '' || file === ':memory:';
  if (!anonymous && !existsSync(dirname(file))) throw new TypeError('Cannot open database because the directory does not exist');
  const db = guard(() => new sqlite.DatabaseSync(file, { readOnly: readonly }));
  // better-sqlite3's defaults: a 5 s busy timeout (node:sqlite: none) and a 16 MB page cache
  // (2 MB). The cache pragma reads the schema, which opening must not (a locked or damaged file
  // fails at its first statement with better-sqlite3), so it goes just before the first
  // prepare(), which reads the schema anyway and would fail with the same error.
  db.exec('PRAGMA busy_timeout = 5000');
  let cacheSet = false;
  let open = true;
  return {
    driver: 'node:sqlite',
    exec: (sql) => guard(() => db.exec(sql)),
    prepare: (sql) => {
      if (!cacheSet) {
        guard(() => db.exec('PRAGMA cache_size = -16000'));
        cacheSet = true;
      }
      return new Statement(
        guard(() => db.prepare(sql)),
        sql,
      );
    },
    // better-sqlite3's close() may be called twice; node:sqlite's throws the second time.
    close: () => {
      if (open) {
        open = false;
        db.close();
      }
    },
  };
}
