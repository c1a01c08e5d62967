import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase, type SqlDatabase, type SqlStatement, type OpenOptions } from './driver';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

export type StoreProblem = 'corrupt' | 'newer-schema' | 'locked' | 'unopenable' | 'full' | 'io';

/** A store that cannot be used as it is; the message says what to do. Never auto-deleted. */
export class StoreError extends Error {
  constructor(
    readonly problem: StoreProblem,
    readonly file: string,
    message: string,
  ) {
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

  private constructor(
    readonly db: SqlDatabase,
    readonly file: string,
  ) {}

  static open(file: string, options: OpenOptions = {}): Store {
    if (file !== ':memory:' && existsSync(damagedMarker(file))) throw corruptError(file, 'it failed an integrity check earlier');
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
    for (const suffix of ['', '-wal', '-shm', DAMAGED]) rmSync(file + suffix, { force: true });
  }

  get driver(): string {
    return this.db.driver;
  }

  private migrate(readonly: boolean): void {
    const version = this.userVersion();
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'newer-schema',
        this.file,
        `The index ${this.file} was written by a newer ML Lineage (schema ${version}, this one reads up to ${SCHEMA_VERSION}). Update ML Lineage, or rebuild the index (lineage index --rebuild) to replace it.`,
      );
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
    if (!this.intact) this.checkIntegrity();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      // After SQLITE_FULL or an I/O error SQLite may have rolled back already; a failing
      // ROLLBACK must not hide the error that matters.
      try {
        this.db.exec('ROLLBACK');
      } catch {
        /* already rolled back */
      }
      const fault = storeFault(error, this.file);
      if (fault instanceof StoreError && fault.problem === 'corrupt') markDamaged(this.file, fault.message);
      throw fault;
    }
  }

  private intact = false;

  /**
   * A damaged store is never written to: before the first write of this process, SQLite's
   * quick_check reads every page; a failure marks the file so every later open refuses it
   * (readers too) until it is rebuilt.
   */
  checkIntegrity(): void {
    if (this.file === ':memory:') {
      this.intact = true;
      return;
    }
    let rows: { quick_check: string }[];
    try {
      rows = this.db.prepare('PRAGMA quick_check(5)').all() as { quick_check: string }[];
    } catch (error) {
      rows = [{ quick_check: (error as Error).message }];
    }
    if (rows.length !== 1 || rows[0].quick_check !== 'ok') {
      const why = rows.map((r) => r.quick_check).join('; ');
      markDamaged(this.file, why);
      throw corruptError(this.file, why);
    }
    this.intact = true;
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

const DAMAGED = '.damaged';
const damagedMarker = (file: string) => file + DAMAGED;

function markDamaged(file: string, why: string): void {
  try {
    writeFileSync(damagedMarker(file), `${new Date().toISOString()} ${why}\n`);
  } catch {
    /* the open check then relies on SQLite's own errors */
  }
}

function corruptError(file: string, why: string): StoreError {
  return new StoreError(
    'corrupt',
    file,
    `The index ${file} is damaged (${why}). Rebuild it with \`lineage index --rebuild\` (or "Lineage: Rebuild Index"); run environments recorded on this machine are kept. It is never written to until then.`,
  );
}

/** What an SQLite error means for the user, naming the index file; other errors pass through. */
export function storeFault(error: unknown, file: string): Error {
  if (error instanceof StoreError) return error;
  return classify(error, file);
}

function classify(error: unknown, file: string): Error {
  const message = (error as Error).message ?? String(error);
  const code = String((error as { code?: string }).code ?? '');
  if (/not a database|malformed|corrupt/i.test(message) || /SQLITE_(CORRUPT|NOTADB)/.test(code)) return corruptError(file, message);
  if (/database or disk is full/i.test(message) || /SQLITE_FULL/.test(code)) {
    return new StoreError(
      'full',
      file,
      `The disk holding the index ${file} is full (${message}). Free some space and run the command again; what was indexed before is intact.`,
    );
  }
  if (/disk I\/O error/i.test(message) || /SQLITE_IOERR/.test(code)) {
    return new StoreError(
      'io',
      file,
      `Reading or writing the index ${file} failed with an I/O error (${message}). Check the disk; if it persists, rebuild the index with \`lineage index --rebuild\`.`,
    );
  }
  if (/unable to open|cannot open|EACCES|EISDIR|readonly/i.test(message)) {
    return new StoreError(
      'unopenable',
      file,
      `The index ${file} cannot be opened (${message}). Check the path and its permissions, or pass another with --store.`,
    );
  }
  if (/locked|busy/i.test(message)) {
    return new StoreError('locked', file, `The index ${file} is locked by another process (${message}). Try again when it finishes.`);
  }
  return error as Error;
}
