import type { Store } from '../store/store';
import type { ExternalRun, MetricPoint, RunSourceKind } from './types';
import { readSeries, runFromRow, type RunRow } from './runStore';

export interface RunFilter {
  source?: RunSourceKind;
  /** MLflow experiment name or id / W&B project. */
  experiment?: string;
  /** At most this many runs (newest first). */
  limit?: number;
}

/** A revision whose sha is the run's commit or starts with it (a range on the sha index, not a scan). */
const LINKED = `r.sha >= e.git_commit AND r.sha < e.git_commit || 'g'`;
const NEWEST_FIRST = 'ORDER BY start_time IS NULL, start_time DESC, run_id';

/**
 * Whether the index has the runs tables: an index written by an older version and opened
 * read-only (Restricted Mode) is not migrated, and simply has no runs to show.
 */
export function hasRunTables(store: Store): boolean {
  return Boolean(store.sql(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ext_run'`).get());
}

/** Runs of the index, newest first; series are not loaded (see runSeries). */
export function listRuns(store: Store, filter: RunFilter = {}): ExternalRun[] {
  const source = filter.source ?? null;
  const experiment = filter.experiment ?? null;
  const rows = store
    .sql(
      `SELECT * FROM ext_run WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR experiment = ? OR experiment_id = ?) ${NEWEST_FIRST} LIMIT ?`,
    )
    .all(source, source, experiment, experiment, experiment, filter.limit ?? -1) as RunRow[];
  return dedupe(rows).map((r) => runFromRow(store, r));
}

/**
 * Runs that recorded `sha` as their Git commit (MLflow's mlflow.source.git.commit, W&B's
 * git.commit), newest first. A tag holding an abbreviated id (7+ hex) links too.
 */
export function runsForCommit(store: Store, sha: string): ExternalRun[] {
  if (!hasRunTables(store)) return [];
  const full = sha.toLowerCase();
  // Every abbreviation of the sha, so the lookup uses the git_commit index.
  const ids = [full, ...Array.from({ length: Math.max(0, full.length - 7) }, (_, i) => full.slice(0, 7 + i))];
  const rows = store
    .sql(`SELECT * FROM ext_run WHERE git_commit IN (${ids.map(() => '?').join(', ')}) ${NEWEST_FIRST}`)
    .all(...ids) as RunRow[];
  return dedupe(rows).map((r) => runFromRow(store, r));
}

/** One run by source kind and run id, with its full metric series. */
export function runById(store: Store, source: RunSourceKind, id: string): ExternalRun | undefined {
  const row = store.sql('SELECT * FROM ext_run WHERE kind = ? AND run_id = ? ORDER BY location LIMIT 1').get(source, id) as
    RunRow | undefined;
  return row ? runFromRow(store, row, true) : undefined;
}

/** One metric's step history of a run (Metric History), ordered by step then time. */
export function runSeries(store: Store, source: RunSourceKind, id: string, key: string): MetricPoint[] {
  const row = store.sql('SELECT id FROM ext_run WHERE kind = ? AND run_id = ? ORDER BY location LIMIT 1').get(source, id) as
    { id: number } | undefined;
  return row ? readSeries(store, row.id, key) : [];
}

export interface RunGroup {
  source: RunSourceKind;
  /** Experiment name (MLflow) or project (W&B); null when the run has none. */
  experiment: string | null;
  experimentId: string | null;
  runs: number;
  /** ms since the epoch of the newest run's start. */
  latest: number | null;
}

/** MLflow experiments and W&B projects with their run counts, for the Runs tree's top level. */
export function runGroups(store: Store): RunGroup[] {
  const rows = store
    .sql(
      `SELECT kind, experiment, MIN(experiment_id) AS experiment_id, COUNT(DISTINCT run_id) AS runs, MAX(start_time) AS latest
      FROM ext_run GROUP BY kind, experiment ORDER BY kind, experiment IS NULL, experiment`,
    )
    .all() as { kind: RunSourceKind; experiment: string | null; experiment_id: string | null; runs: number; latest: number | null }[];
  return rows.map((r) => ({ source: r.kind, experiment: r.experiment, experimentId: r.experiment_id, runs: r.runs, latest: r.latest }));
}

/** The runs of one group (experiment null: runs without one), newest first. */
export function runsInGroup(store: Store, source: RunSourceKind, experiment: string | null, limit = -1): ExternalRun[] {
  const rows = store
    .sql(`SELECT * FROM ext_run WHERE kind = ? AND experiment IS ? ${NEWEST_FIRST} LIMIT ?`)
    .all(source, experiment, limit) as RunRow[];
  return dedupe(rows).map((r) => runFromRow(store, r));
}

/** Commits (as stored in the runs, full or abbreviated) that some run links to and the index knows. */
export function commitsWithRuns(store: Store): Set<string> {
  const rows = store
    .sql(
      `SELECT DISTINCT r.sha FROM ext_run e JOIN revision r ON ${LINKED}
      WHERE length(e.git_commit) >= 7`,
    )
    .all() as { sha: string }[];
  return new Set(rows.map((r) => r.sha));
}

/** Runs with no Git commit, or with one the index does not hold (another clone, a rewritten branch). */
export function unlinkedRuns(store: Store, limit = -1): ExternalRun[] {
  const rows = store
    .sql(
      `SELECT * FROM ext_run e WHERE e.git_commit IS NULL OR length(e.git_commit) < 7
      OR NOT EXISTS (SELECT 1 FROM revision r WHERE ${LINKED}) ${NEWEST_FIRST} LIMIT ?`,
    )
    .all(limit) as RunRow[];
  return dedupe(rows).map((r) => runFromRow(store, r));
}

export function unlinkedRunCount(store: Store): number {
  return (
    store
      .sql(
        `SELECT COUNT(DISTINCT e.kind || ':' || e.run_id) AS n FROM ext_run e WHERE e.git_commit IS NULL OR length(e.git_commit) < 7
      OR NOT EXISTS (SELECT 1 FROM revision r WHERE ${LINKED})`,
      )
      .get() as { n: number }
  ).n;
}

export interface StoredRunProblem {
  kind: RunSourceKind;
  source: string;
  file: string;
  line: number | null;
  message: string;
}

/** What readers could not read, per source: file, line and message. */
export function runProblems(store: Store): StoredRunProblem[] {
  return store
    .sql(
      `SELECT s.kind, s.location AS source, p.file, p.line, p.message FROM run_problem p JOIN run_source s ON s.id = p.source_id
      ORDER BY s.location, p.file, p.line`,
    )
    .all() as StoredRunProblem[];
}

/** The same run read from two sources (a local mlruns copy and the server) is listed once. */
function dedupe(rows: RunRow[]): RunRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.kind}:${r.run_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
