import { copyFileSync, existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqlDatabase } from '../store/driver';
import type { RunProblem } from '../runs/types';
import { KNOWN_REVISIONS, LATEST_KNOWN_REVISION } from './mlflowSchema';

export interface MlflowDb {
  db: SqlDatabase;
  /** Table → its column names. */
  columns: Map<string, Set<string>>;
  revision: string | null;
  close(): void;
}

export interface OpenMlflowOptions {
  /** How long to wait for a writer's exclusive lock before saying "locked" (ms). */
  busyTimeoutMs?: number;
}

const OPEN_FAILURES =
  /SQLITE_CANTOPEN|SQLITE_READONLY_CANTINIT|SQLITE_READONLY_CANTLOCK|SQLITE_READONLY_RECOVERY|SQLITE_READONLY_DIRECTORY|unable to open/i;

function isWalFile(file: string): boolean {
  // Header bytes 18–19 are 2 for a database in WAL mode (1 for a rollback journal).
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(20);
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2;
  } finally {
    closeSync(fd);
  }
}

export function isLockedError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    /database is locked|database table is locked/i.test((error as Error).message)
  );
}

/**
 * Opens mlflow.db without ever writing to it or holding a lock a writer would wait for:
 * read-only (SQLite then takes only shared locks while a statement runs, and never migrates).
 * A WAL database on a medium where the reader cannot create the -shm file does not open
 * read-only at all; the driver build has no URI support (no `immutable=1`), so then the
 * database and its -wal are copied to a temporary folder and the copy is read, which also
 * replays what the -wal holds.
 */
export function openMlflowDb(file: string, rel: string, problems: RunProblem[], options: OpenMlflowOptions = {}): MlflowDb {
  let db: SqlDatabase;
  let cleanup = (): void => {};
  try {
    db = openDatabase(file, { readonly: true });
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2000))}`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (isLockedError(error)) throw lockedError(rel, error);
    if (!existsSync(file) || !OPEN_FAILURES.test(`${(error as { code?: string }).code} ${(error as Error).message}`) || !isWalFile(file))
      throw error;
    const dir = mkdtempSync(join(tmpdir(), 'lineage-mlflow-'));
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, join(dir, `mlflow.db${suffix}`));
    db = openDatabase(join(dir, 'mlflow.db'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    problems.push({
      file: rel,
      message: `WAL database cannot be opened read-only in place (${(error as Error).message}); read from a temporary copy`,
    });
  }
  try {
    const columns = new Map<string, Set<string>>();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    for (const { name } of tables) {
      const cols = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[];
      columns.set(name, new Set(cols.map((c) => c.name)));
    }
    let revision: string | null = null;
    if (columns.get('alembic_version')?.has('version_num')) {
      revision =
        (db.prepare('SELECT version_num FROM alembic_version LIMIT 1').get() as { version_num?: string } | undefined)?.version_num ?? null;
    }
    if (revision === null)
      problems.push({
        file: rel,
        message: 'no alembic_version: not a database MLflow created, or a damaged one; reading the tables it has',
      });
    else if (!KNOWN_REVISIONS.has(revision))
      problems.push({
        file: rel,
        message: `schema revision ${revision} is unknown to this reader (it knows MLflow's up to ${LATEST_KNOWN_REVISION}, MLflow 3.17); reading the tables and columns it knows`,
      });
    return {
      db,
      columns,
      revision,
      close: () => {
        db.close();
        cleanup();
      },
    };
  } catch (error) {
    db.close();
    cleanup();
    if (isLockedError(error)) throw lockedError(rel, error);
    throw error;
  }
}

export function lockedError(rel: string, error: unknown): Error {
  return new Error(
    `${rel} is locked: another process (an MLflow writer) holds an exclusive lock; try again when it has finished (${(error as Error).message})`,
  );
}

/**
 * The columns of `wanted` this table has, as a select list; a missing one is reported once
 * (a future MLflow may rename it) and read as NULL.
 */
export function selectList(m: MlflowDb, table: string, wanted: readonly string[], rel: string, problems: RunProblem[]): string {
  const have = m.columns.get(table) ?? new Set<string>();
  return wanted
    .map((c) => {
      if (have.has(c)) return `"${c}"`;
      problems.push({ file: rel, message: `table ${table} has no column ${c}; read as empty` });
      return `NULL AS "${c}"`;
    })
    .join(', ');
}
