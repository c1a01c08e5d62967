import type { Store } from '../store/store';
import type { ExternalRun, RunSourceKind } from './types';
import { runFromRow, type RunRow } from './runStore';

/** A run named where a revision is expected: `mlflow:<run id>`, `wandb:<run id>` or `<source>:<experiment>/<run name>`. */
const RUN_REVISION = /^(mlflow|wandb):(.+)$/s;

export class RunRevisionError extends Error {}

export function isRunRevision(text: string): boolean {
  return RUN_REVISION.test(text);
}

/** The canonical revision text of a run, what resolution returns and diff sides carry. */
export function runRevision(run: Pick<ExternalRun, 'source' | 'id'>): string {
  return `${run.source}:${run.id}`;
}

/** A short column label: the run's name, else the first 8 characters of its id. */
export function runLabel(run: Pick<ExternalRun, 'source' | 'id' | 'name'>): string {
  return `${run.source}:${run.name || run.id.slice(0, 8)}`;
}

/**
 * The run a revision text names: an exact run id first, then `<experiment>/<name>` (the last
 * `/` splits, as MLflow experiment names may hold slashes), then a unique id prefix of 6+
 * characters. Unknown or ambiguous names fail with a message listing what would match.
 */
export function resolveRunRevision(store: Store, text: string): ExternalRun {
  const m = RUN_REVISION.exec(text);
  if (!m) throw new RunRevisionError(`"${text}" is not a run revision (mlflow:<run id> or wandb:<run id>)`);
  const source = m[1] as RunSourceKind;
  const rest = m[2];
  if (/[\u0000-\u001f\u007f]/.test(rest) || rest.length > 1024)
    throw new RunRevisionError(`${JSON.stringify(text)} is not a valid run revision`);
  const byId = store.sql('SELECT * FROM ext_run WHERE kind = ? AND run_id = ? ORDER BY location LIMIT 1').get(source, rest) as
    RunRow | undefined;
  if (byId) return runFromRow(store, byId);
  const slash = rest.lastIndexOf('/');
  if (slash > 0 && slash < rest.length - 1) {
    const rows = distinct(
      store
        .sql('SELECT * FROM ext_run WHERE kind = ? AND experiment = ? AND name = ? ORDER BY start_time DESC')
        .all(source, rest.slice(0, slash), rest.slice(slash + 1)) as RunRow[],
    );
    if (rows.length === 1) return runFromRow(store, rows[0]);
    if (rows.length > 1)
      throw new RunRevisionError(
        `"${text}" is ambiguous: ${rows.length} runs of ${rest.slice(0, slash)} are named ${rest.slice(slash + 1)} (${rows
          .slice(0, 5)
          .map((r) => `${source}:${r.run_id}`)
          .join(', ')}); use a run id`,
      );
  }
  if (rest.length >= 6 && !rest.includes('/')) {
    const rows = distinct(
      store
        .sql(`SELECT * FROM ext_run WHERE kind = ? AND run_id >= ? AND run_id < ? || char(1114111) ORDER BY run_id`)
        .all(source, rest, rest) as RunRow[],
    );
    if (rows.length === 1) return runFromRow(store, rows[0]);
    if (rows.length > 1)
      throw new RunRevisionError(
        `"${text}" is ambiguous: it starts ${rows.length} run ids (${rows
          .slice(0, 5)
          .map((r) => `${source}:${r.run_id}`)
          .join(', ')})`,
      );
  }
  const count = (store.sql('SELECT COUNT(DISTINCT run_id) AS n FROM ext_run WHERE kind = ?').get(source) as { n: number }).n;
  throw new RunRevisionError(
    count === 0
      ? `unknown run "${text}": the index holds no ${source === 'mlflow' ? 'MLflow' : 'W&B'} runs (lineage runs lists what was found)`
      : `unknown run "${text}": no ${source === 'mlflow' ? 'MLflow' : 'W&B'} run has that id or experiment/name (lineage runs --source ${source} lists ${count})`,
  );
}

function distinct(rows: RunRow[]): RunRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.run_id) && Boolean(seen.add(r.run_id)));
}
