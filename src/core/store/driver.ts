import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
}

export function openDatabase(file: string, options: OpenOptions = {}): SqlDatabase {
  const errors: string[] = [];
  for (const binding of [...nativeBindingCandidates(options.extensionRoot), undefined]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const BetterSqlite3 = require('better-sqlite3') as typeof import('better-sqlite3');
      const db = new BetterSqlite3(file, { readonly: Boolean(options.readonly), fileMustExist: Boolean(options.readonly), ...(binding ? { nativeBinding: binding } : {}) });
      options.log?.(`SQLite driver: better-sqlite3${binding ? ` (${binding})` : ''}`);
      return {
        driver: 'better-sqlite3',
        exec: (sql) => { db.exec(sql); },
        prepare: (sql) => db.prepare(sql) as unknown as SqlStatement,
        close: () => db.close(),
      };
    } catch (error) {
      const message = (error as Error).message;
      // Only a binary that does not load means "try the next driver"; a file that cannot be
      // opened or is not a database is the caller's problem and is reported as it is.
      const loadFailure = (error as { code?: string }).code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|compiled against|bindings file|self-register|ELF|Cannot find module/i.test(message);
      if (!loadFailure) throw error;
      errors.push(`better-sqlite3${binding ? ` (${binding})` : ''}: ${message.split('\n')[0]}`);
    }
  }
  try {
    // node:sqlite exists from Node 22.5; the require is hidden from the bundler on purpose.
    const nodeSqlite = eval('require')('node:sqlite') as { DatabaseSync: new (file: string, options?: object) => any };
    const db = new nodeSqlite.DatabaseSync(file, { readOnly: options.readonly });
    options.log?.(`SQLite driver: node:sqlite (better-sqlite3 did not load: ${errors.join('; ')})`);
    return {
      driver: 'node:sqlite',
      exec: (sql) => db.exec(sql),
      prepare: (sql) => db.prepare(sql) as SqlStatement,
      close: () => db.close(),
    };
  } catch (error) {
    errors.push(`node:sqlite: ${(error as Error).message.split('\n')[0]}`);
  }
  throw new Error(`No SQLite driver loads in this runtime (Node ${process.versions.node}, ABI ${process.versions.modules}): ${errors.join('; ')}`);
}
