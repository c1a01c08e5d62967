// Rebuilding the index replaces everything Git and the run folders can give back, and must
// keep what they cannot: the environments `lineage repro` recorded on this machine (the
// answer to "which environment") and the stars and notes of the Experiments table. The old file is moved aside, not deleted; its local-only
// rows are copied into the fresh store; only then is the old file removed. When the old
// file is too damaged to read them, it is kept beside the new one and the caller is told.

import { existsSync, renameSync } from 'node:fs';
import { openDatabase, type OpenOptions } from './driver';
import { Store } from './store';

/** Tables whose rows exist only on this machine; every other table is derived from files. */
export const LOCAL_ONLY_TABLES: readonly string[] = ['repro_run', 'exp_mark'];

export interface RebuildResult {
  store: Store;
  /** Rows carried over, per table. */
  kept: Record<string, number>;
  /** Set when local-only rows could not be read: the old file stays at `keptFile`. */
  warning?: string;
  keptFile?: string;
}

type Row = Record<string, unknown>;

/** Reads the local-only rows of an old index, or says why it cannot. */
function salvage(file: string, options: OpenOptions): { rows: Map<string, Row[]> } | { error: string } {
  let db;
  try {
    db = openDatabase(file, { ...options, readonly: true });
  } catch (e) {
    return { error: (e as Error).message };
  }
  try {
    const rows = new Map<string, Row[]>();
    for (const table of LOCAL_ONLY_TABLES) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      rows.set(table, exists ? (db.prepare(`SELECT * FROM ${table}`).all() as Row[]) : []);
    }
    return { rows };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    db.close();
  }
}

/** Copies rows by the columns both sides have (an old schema may lack newer columns). */
function restore(store: Store, table: string, rows: Row[]): number {
  if (rows.length === 0) return 0;
  const columns = new Set((store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  store.transaction(() => {
    for (const row of rows) {
      const names = Object.keys(row).filter((k) => columns.has(k));
      store.db
        .prepare(`INSERT OR IGNORE INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
        .run(...names.map((n) => row[n]));
    }
  });
  return rows.length;
}

/** Replaces the index at `file` with an empty current-schema store holding the old local-only rows. */
export function rebuildStore(file: string, options: OpenOptions = {}): RebuildResult {
  if (!existsSync(file)) return { store: Store.open(file, options), kept: {} };
  const aside = `${file}.before-rebuild-${Date.now()}`;
  // The WAL holds committed rows not yet in the main file: it moves with it.
  for (const suffix of ['', '-wal', '-shm', '.damaged']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  const old = salvage(aside, options);
  const store = Store.open(file, options);
  if ('error' in old) {
    return {
      store,
      kept: {},
      keptFile: aside,
      warning: `The old index could not be read to keep the run environments recorded on this machine (${old.error}); it is kept at ${aside}.`,
    };
  }
  const kept: Record<string, number> = {};
  for (const [table, rows] of old.rows) kept[table] = restore(store, table, rows);
  Store.remove(aside);
  return { store, kept };
}
