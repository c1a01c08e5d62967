import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase, type SqlDatabase, type SqlStatement, type OpenOptions } from './driver';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

export type StoreProblem = 'corrupt' | 'newer-schema' | 'locked' | 'unopenable';

/** A store that cannot be used as it is; the message says what to do. Never auto-deleted. */
export class StoreError extends Error {
  constructor(readonly problem: StoreProblem, readonly file: string, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The SQLite index. WAL lets the CLI and the editor read while the other writes; the busy
 * timeout makes a writer wait instead of failing; every indexing batch is one transaction,
 * so a killed process leaves the last committed batch and nothing half-written.
 */
export class Store {
  private readonly statements = new Map<string, SqlStatement>();

  private constructor(readonly db: SqlDatabase, readonly file: string) {}

  static open(file: string, options: OpenOptions = {}): Store {
    if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
    let db: SqlDatabase;
    try {
      db = openDatabase(file, options);
    } catch (error) {
      throw classify(error, file);
    }
    const store = new Store(db, file);
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      if (!options.readonly) enterWal(db);
      db.exec('PRAGMA foreign_keys = ON');
      db.exec('PRAGMA synchronous = NORMAL');
      store.migrate(Boolean(options.readonly));
    } catch (error) {
      db.close();
      throw error instanceof StoreError ? error : classify(error, file);
    }
    return store;
  }

  static exists(file: string): boolean {
    return existsSync(file);
  }

  /** Deletes an index file with its WAL and shared-memory files: only on an explicit rebuild. */
  static remove(file: string): void {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }

  get driver(): string {
    return this.db.driver;
  }

  private migrate(readonly: boolean): void {
    const version = this.userVersion();
    if (version > SCHEMA_VERSION) {
      throw new StoreError('newer-schema', this.file, `The index ${this.file} was written by a newer ML Lineage (schema ${version}, this one reads up to ${SCHEMA_VERSION}). Update ML Lineage, or rebuild the index (lineage index --rebuild) to replace it.`);
    }
    if (version === SCHEMA_VERSION || readonly) return;
    // Two processes opening a fresh store at once (the editor and a terminal) both get here:
    // each step re-reads the version inside its write transaction, so the second one waits for
    // the first's step and then skips it instead of running the same migration twice.
    for (let done = false; !done;) {
      done = this.transaction(() => {
        const current = this.userVersion();
        if (current >= SCHEMA_VERSION) return true;
        this.db.exec(MIGRATIONS[current]);
        this.db.exec(`PRAGMA user_version = ${current + 1}`);
        return false;
      });
    }
  }

  private userVersion(): number {
    return Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  }

  /** A cached prepared statement. */
  sql(text: string): SqlStatement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  getMeta(key: string): string | undefined {
    return (this.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/**
 * Switching a fresh file to WAL needs it to itself, and SQLite answers "database is locked"
 * at once (no busy handler) while another process is creating it; wait and try again.
 */
function enterWal(db: SqlDatabase): void {
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!/locked|busy/i.test((error as Error).message) || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
}

function classify(error: unknown, file: string): Error {
  const message = (error as Error).message ?? String(error);
  if (/not a database|malformed|corrupt/i.test(message)) {
    return new StoreError('corrupt', file, `The index ${file} is not a readable SQLite database (${message}). Rebuild it with \`lineage index --rebuild\` (or "Lineage: Rebuild Index"); it is never overwritten without asking.`);
  }
  if (/unable to open|cannot open|EACCES|EISDIR|readonly/i.test(message)) {
    return new StoreError('unopenable', file, `The index ${file} cannot be opened (${message}). Check the path and its permissions, or pass another with --store.`);
  }
  if (/locked|busy/i.test(message)) {
    return new StoreError('locked', file, `The index ${file} is locked by another process (${message}). Try again when it finishes.`);
  }
  return error as Error;
}
