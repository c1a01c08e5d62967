import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqlite';

/** The small part of a SQLite driver the store uses; both drivers below fit it. */
export interface SqlStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  readonly driver: string;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';

/**
 * Forces one driver for every database this process opens (the index, mlflow.db, a rebuild's
 * old file): `better-sqlite3`, `node:sqlite`, or unset/`auto` for the usual choice. The editor's
 * extension host inherits it from the process that starts the editor. Used to run the test
 * suites on node:sqlite, the driver desktop VS Code ends up with, and to rule a driver in or out
 * when something looks wrong.
 */
export const DRIVER_ENV = 'LINEAGE_SQLITE_DRIVER';

/**
 * better-sqlite3 is a native addon built for one Node ABI: a binary for Node 20 does not load
 * in the editor's Electron or Node 24 extension host. Packagers put one binary per target in
 * `native/better_sqlite3-<platform>-<arch>-abi<modules>.node`; the one matching this runtime
 * wins, else the package's own build, else the runtime's built-in node:sqlite.
 */
export function nativeBindingCandidates(extensionRoot: string | undefined): string[] {
  const name = `better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`;
  const list: string[] = [];
  if (process.env.LINEAGE_SQLITE_BINDING) list.push(process.env.LINEAGE_SQLITE_BINDING);
  if (extensionRoot) list.push(join(extensionRoot, 'native', name));
  return list.filter((p) => existsSync(p));
}

export interface OpenOptions {
  readonly?: boolean;
  extensionRoot?: string;
  log?: (message: string) => void;
  /** One driver only, over LINEAGE_SQLITE_DRIVER (the driver parity test opens both). */
  driver?: SqliteDriverName;
}

/** The driver asked for, or undefined for the usual choice. */
export function requestedDriver(options: OpenOptions = {}): SqliteDriverName | undefined {
  const value = options.driver ?? process.env[DRIVER_ENV]?.trim();
  if (!value || value === 'auto') return undefined;
  if (value === 'better-sqlite3' || value === 'node:sqlite') return value;
  throw new Error(`${DRIVER_ENV}=${value} names no SQLite driver: use better-sqlite3, node:sqlite, or auto (the same as unset).`);
}

export function openDatabase(file: string, options: OpenOptions = {}): SqlDatabase {
  const forced = requestedDriver(options);
  const why = options.driver ? 'asked for by the caller' : `${DRIVER_ENV}=${forced}`;
  const errors: string[] = [];
  // With node:sqlite forced, better-sqlite3 is never required: its binary may be built for
  // another ABI (the test run on Node 24 uses the project's Node 20 node_modules).
  if (forced !== 'node:sqlite') {
    for (const binding of [...nativeBindingCandidates(options.extensionRoot), undefined]) {
      const db = openBetterSqlite3(file, options, binding, errors);
      if (db) return db;
    }
    if (forced)
      throw new Error(
        `SQLite driver better-sqlite3 (${why}) does not load in this runtime (Node ${process.versions.node}, ABI ${process.versions.modules}): ${errors.join('; ')}`,
      );
  }
  const nodeSqlite = loadNodeSqlite();
  if (nodeSqlite instanceof Error) {
    errors.push(`node:sqlite: ${nodeSqlite.message.split('\n')[0]}`);
    const which = forced ? `SQLite driver node:sqlite (${why}) does not load` : 'No SQLite driver loads';
    throw new Error(`${which} in this runtime (Node ${process.versions.node}, ABI ${process.versions.modules}): ${errors.join('; ')}`);
  }
  // Opening errors (no such folder, not a database) are the caller's, reported as they are.
  const db = openNodeSqlite(nodeSqlite, file, Boolean(options.readonly));
  options.log?.(`SQLite driver: node:sqlite (${forced ? why : `better-sqlite3 did not load: ${errors.join('; ')}`})`);
  return db;
}

function openBetterSqlite3(file: string, options: OpenOptions, binding: string | undefined, errors: string[]): SqlDatabase | undefined {
  let db: import('better-sqlite3').Database;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when chosen: the desktop .vsix has no binary for it
    const BetterSqlite3 = require('better-sqlite3') as typeof import('better-sqlite3');
    db = new BetterSqlite3(file, {
      readonly: Boolean(options.readonly),
      fileMustExist: Boolean(options.readonly),
      ...(binding ? { nativeBinding: binding } : {}),
    });
  } catch (error) {
    const message = (error as Error).message;
    // Only a binary that does not load means "try the next driver"; a file that cannot be
    // opened or is not a database is the caller's problem and is reported as it is.
    const loadFailure =
      (error as { code?: string }).code === 'ERR_DLOPEN_FAILED' ||
      /NODE_MODULE_VERSION|compiled against|bindings file|self-register|ELF|Cannot find module/i.test(message);
    if (!loadFailure) throw error;
    errors.push(`better-sqlite3${binding ? ` (${binding})` : ''}: ${message.split('\n')[0]}`);
    return undefined;
  }
  options.log?.(`SQLite driver: better-sqlite3${binding ? ` (${binding})` : ''}`);
  return {
    driver: 'better-sqlite3',
    exec: (sql) => {
      db.exec(sql);
    },
    prepare: (sql) => wellFormedStatement(db.prepare(sql)),
    close: () => db.close(),
  };
}

type BetterStatement = import('better-sqlite3').Statement<unknown[]>;

/**
 * better-sqlite3 writes a lone UTF-16 surrogate (JSON allows "\ud800" in a metric name) as
 * invalid UTF-8 and reads it back as three U+FFFD, so the name no longer finds itself;
 * node:sqlite binds U+FFFD. Both now bind the well-formed string. iterate() stays for the
 * benchmark's floor, which reads one row at a time where the driver can.
 */
function wellFormedStatement(s: BetterStatement): SqlStatement & { iterate(...params: unknown[]): Iterable<unknown> } {
  return {
    run: (...params) => s.run(...wellFormed(params)),
    get: (...params) => s.get(...wellFormed(params)),
    all: (...params) => s.all(...wellFormed(params)),
    iterate: (...params) => s.iterate(...wellFormed(params)),
  };
}

type MaybeWellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

function wellFormed(params: unknown[]): unknown[] {
  const fix = (p: unknown): unknown => {
    if (typeof p === 'string') return (p as MaybeWellFormed).isWellFormed() ? p : (p as MaybeWellFormed).toWellFormed();
    if (Array.isArray(p)) return p.map(fix);
    if (typeof p === 'object' && p !== null && !ArrayBuffer.isView(p))
      return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fix(v)]));
    return p;
  };
  return params.some((p) =>
    typeof p === 'string' ? !(p as MaybeWellFormed).isWellFormed() : typeof p === 'object' && p !== null && !ArrayBuffer.isView(p),
  )
    ? params.map(fix)
    : params;
}
