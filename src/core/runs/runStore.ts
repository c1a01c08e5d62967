import type { Store } from '../store/store';
import type { ExternalRun, MetricPoint, RunProblem, RunSourceKind } from './types';
import { decodePayload, decodeValue, encodePayload, encodeValue } from '../util/values';
import { redactExternalRun } from './runRedact';

export type RunSourceFormat = 'mlflow-files' | 'mlflow-sqlite' | 'mlflow-server' | 'wandb-dir';

/** Where runs are read from: a repo-relative folder or file, or a tracking server's URL. */
export interface RunSource {
  kind: RunSourceKind;
  format: RunSourceFormat;
  location: string;
}

export interface StoredSource extends RunSource {
  id: number;
  fingerprint: string | null;
  syncedAt: number | null;
  readMs: number | null;
  /** Why the last read failed as a whole; its earlier runs are kept. */
  error: string | null;
}

interface SourceRow {
  id: number;
  kind: RunSourceKind;
  format: RunSourceFormat;
  location: string;
  fingerprint: string | null;
  synced_at: number | null;
  read_ms: number | null;
  error: string | null;
}

export function listSources(store: Store): StoredSource[] {
  return (store.sql('SELECT * FROM run_source ORDER BY location').all() as SourceRow[]).map((r) => ({
    id: r.id,
    kind: r.kind,
    format: r.format,
    location: r.location,
    fingerprint: r.fingerprint,
    syncedAt: r.synced_at,
    readMs: r.read_ms,
    error: r.error,
  }));
}

/** Ids of the sources with a run stored as running: its status can change with no file changing. */
export function sourcesWithRunningRuns(store: Store): Set<number> {
  return new Set(
    (store.sql(`SELECT DISTINCT source_id FROM ext_run WHERE status = 'running'`).all() as { source_id: number }[]).map((r) => r.source_id),
  );
}

function sourceId(store: Store, source: RunSource): number {
  store
    .sql(
      `INSERT INTO run_source (kind, format, location) VALUES (?, ?, ?)
      ON CONFLICT (location) DO UPDATE SET kind = excluded.kind, format = excluded.format`,
    )
    .run(source.kind, source.format, source.location);
  return (store.sql('SELECT id FROM run_source WHERE location = ?').get(source.location) as { id: number }).id;
}

/** A number for a REAL column: NaN becomes NULL (SQLite would store it as NULL anyway). */
const real = (value: number): number | null => (Number.isNaN(value) ? null : value);
const unreal = (value: number | null): number => (value === null ? NaN : value);

/**
 * Replaces everything stored for one source with what its reader returned, in one
 * transaction: a crash or a concurrent reader never sees half a source.
 */
export function replaceSource(
  store: Store,
  source: RunSource,
  fingerprint: string | null,
  runs: ExternalRun[],
  problems: RunProblem[],
  readMs: number,
): void {
  store.transaction(() => {
    const id = sourceId(store, source);
    // Children first, by range: a cascade would delete the step rows one parent lookup at a time.
    for (const table of ['ext_run_step', 'ext_run_metric', 'ext_run_param'])
      store.sql(`DELETE FROM ${table} WHERE run IN (SELECT id FROM ext_run WHERE source_id = ?)`).run(id);
    store.sql('DELETE FROM ext_run WHERE source_id = ?').run(id);
    store.sql('DELETE FROM run_problem WHERE source_id = ?').run(id);
    const insertRun =
      store.sql(`INSERT INTO ext_run (source_id, kind, location, run_id, experiment_id, experiment, name, status, start_time, end_time, user,
        git_commit, git_branch, git_remote, parent_id, tags, environment, models, artifacts, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source_id, run_id) DO NOTHING`);
    const param = store.sql('INSERT OR REPLACE INTO ext_run_param (run, key, value) VALUES (?, ?, ?)');
    const metric = store.sql('INSERT OR REPLACE INTO ext_run_metric (run, key, value) VALUES (?, ?, ?)');
    const step = store.sql('INSERT INTO ext_run_step (run, key, seq, step, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)');
    for (const read of runs) {
      const run = redactExternalRun(read);
      const info = insertRun.run(
        id,
        source.kind,
        run.location,
        run.id,
        run.experimentId,
        run.experiment,
        run.name,
        run.status,
        run.startTime,
        run.endTime,
        run.user,
        normalizeSha(run.git.commit),
        run.git.branch,
        run.git.remote,
        run.parentId,
        JSON.stringify(run.tags),
        run.environment ? encodePayload(run.environment) : null,
        JSON.stringify(run.models),
        JSON.stringify(run.artifacts),
        JSON.stringify(run.labels),
      );
      // A reader that lists one run twice: the first one wins, like a primary key would.
      if (Number(info.changes) === 0) continue;
      const rowId = Number(info.lastInsertRowid);
      for (const [key, value] of Object.entries(run.params)) param.run(rowId, key, encodeValue(value));
      for (const [key, value] of Object.entries(run.metrics)) metric.run(rowId, key, real(value));
      for (const [key, points] of Object.entries(run.series))
        points.forEach((p, i) => step.run(rowId, key, i, p.step, real(p.value), p.timestamp));
    }
    const problem = store.sql('INSERT INTO run_problem (source_id, file, line, message) VALUES (?, ?, ?, ?)');
    for (const p of problems) problem.run(id, p.file, p.line ?? null, p.message);
    store
      .sql('UPDATE run_source SET fingerprint = ?, synced_at = ?, read_ms = ?, error = NULL WHERE id = ?')
      .run(fingerprint, Date.now(), readMs, id);
  });
}

/**
 * A source whose reader failed as a whole: its earlier runs stay (a file caught mid-write or a
 * server that is down should not empty the tree), the problem is recorded, and the fingerprint
 * is cleared so the next sync tries again.
 */
export function recordSourceFailure(store: Store, source: RunSource, message: string): void {
  store.transaction(() => {
    const id = sourceId(store, source);
    store.sql('DELETE FROM run_problem WHERE source_id = ?').run(id);
    store.sql('INSERT INTO run_problem (source_id, file, line, message) VALUES (?, ?, NULL, ?)').run(id, source.location, message);
    store.sql('UPDATE run_source SET fingerprint = NULL, synced_at = ?, error = ? WHERE id = ?').run(Date.now(), message, id);
  });
}

export function removeSources(store: Store, ids: number[]): void {
  if (ids.length === 0) return;
  store.transaction(() => {
    for (const id of ids) store.sql('DELETE FROM run_source WHERE id = ?').run(id);
  });
}

/** Abbreviated or upper-case commit ids in tags still link to the commit. */
function normalizeSha(sha: string | null): string | null {
  const s = sha?.trim().toLowerCase();
  return s && /^[0-9a-f]{4,64}$/.test(s) ? s : sha?.trim() || null;
}

export interface RunRow {
  id: number;
  source_id: number;
  kind: RunSourceKind;
  location: string;
  run_id: string;
  experiment_id: string | null;
  experiment: string | null;
  name: string | null;
  status: string;
  start_time: number | null;
  end_time: number | null;
  user: string | null;
  git_commit: string | null;
  git_branch: string | null;
  git_remote: string | null;
  parent_id: string | null;
  tags: string;
  environment: string | null;
  models: string;
  artifacts: string;
  labels: string;
}

/** A stored row back to the reader's shape; series are left empty (read them per key). */
export function runFromRow(store: Store, row: RunRow, withSeries = false): ExternalRun {
  const params: ExternalRun['params'] = {};
  for (const p of store.sql('SELECT key, value FROM ext_run_param WHERE run = ? ORDER BY key').all(row.id) as {
    key: string;
    value: string;
  }[]) {
    params[p.key] = decodeValue(p.value) as ExternalRun['params'][string];
  }
  const metrics: Record<string, number> = {};
  for (const m of store.sql('SELECT key, value FROM ext_run_metric WHERE run = ? ORDER BY key').all(row.id) as {
    key: string;
    value: number | null;
  }[])
    metrics[m.key] = unreal(m.value);
  const series: Record<string, MetricPoint[]> = {};
  if (withSeries) {
    for (const { key } of store.sql('SELECT DISTINCT key FROM ext_run_step WHERE run = ? ORDER BY key').all(row.id) as { key: string }[])
      series[key] = readSeries(store, row.id, key);
  }
  // Masked again on the way out: rows written before redaction existed are still in old indexes.
  return redactExternalRun({
    source: row.kind,
    location: row.location,
    id: row.run_id,
    experimentId: row.experiment_id,
    experiment: row.experiment,
    name: row.name,
    status: row.status as ExternalRun['status'],
    startTime: row.start_time,
    endTime: row.end_time,
    user: row.user,
    git: { commit: row.git_commit, branch: row.git_branch, remote: row.git_remote },
    params,
    metrics,
    series,
    tags: JSON.parse(row.tags),
    environment: row.environment ? decodePayload(row.environment) : null,
    models: JSON.parse(row.models),
    artifacts: JSON.parse(row.artifacts),
    parentId: row.parent_id,
    labels: JSON.parse(row.labels),
  });
}

export function readSeries(store: Store, runRowId: number, key: string): MetricPoint[] {
  const rows = store.sql('SELECT step, value, timestamp FROM ext_run_step WHERE run = ? AND key = ? ORDER BY seq').all(runRowId, key) as {
    step: number;
    value: number | null;
    timestamp: number | null;
  }[];
  return rows.map((r) => ({ step: r.step, value: unreal(r.value), timestamp: r.timestamp }));
}
