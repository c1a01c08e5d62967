import { join, posix } from 'node:path';
import type { ExternalRun, MetricPoint, RunProblem, RunReadResult } from '../runs/types';
import { listArtifacts, localArtifactDir, modelsInArtifacts, readLocalModel, type LocalModel } from './mlflowArtifacts';
import { finishRun, toMillis, type RawMlflowRun } from './mlflowRun';
import { isLockedError, lockedError, openMlflowDb, selectList, type MlflowDb, type OpenMlflowOptions } from './mlflowSqliteOpen';

interface RunRow {
  run_uuid: string;
  name: string | null;
  status: string | null;
  start_time: number | null;
  end_time: number | null;
  user_id: string | null;
  artifact_uri: string | null;
  experiment_id: number | string | null;
  lifecycle_stage: string | null;
}
interface KeyRow {
  key: string;
  value: string | null;
  run_uuid: string;
}
interface MetricRow {
  key: string;
  value: number;
  timestamp: number | null;
  step: number | null;
  is_nan: number | null;
}

function groupByRun(rows: KeyRow[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) {
    let values = out.get(r.run_uuid);
    if (!values) out.set(r.run_uuid, (values = {}));
    values[r.key] = r.value ?? '';
  }
  return out;
}

/** Logged models (MLflow 3 `logged_models`) by source run: name and artifact location. */
function loggedModels(m: MlflowDb, rel: string, problems: RunProblem[]): Map<string, { name: string; location: string | null }[]> {
  const byRun = new Map<string, { name: string; location: string | null }[]>();
  if (!m.columns.has('logged_models')) return byRun;
  const cols = selectList(m, 'logged_models', ['name', 'artifact_location', 'source_run_id', 'lifecycle_stage'], rel, problems);
  for (const r of m.db.prepare(`SELECT ${cols} FROM logged_models`).all() as {
    name: string;
    artifact_location: string | null;
    source_run_id: string | null;
    lifecycle_stage: string | null;
  }[]) {
    if (!r.source_run_id || r.lifecycle_stage === 'deleted') continue;
    const list = byRun.get(r.source_run_id) ?? [];
    list.push({ name: r.name, location: r.artifact_location });
    byRun.set(r.source_run_id, list);
  }
  return byRun;
}

async function readAll(root: string, rel: string, m: MlflowDb, problems: RunProblem[]): Promise<ExternalRun[]> {
  for (const table of ['experiments', 'runs']) {
    if (!m.columns.has(table)) {
      problems.push({ file: rel, message: `no ${table} table: not an MLflow tracking database; nothing read` });
      return [];
    }
  }
  const expCols = selectList(m, 'experiments', ['experiment_id', 'name', 'lifecycle_stage'], rel, problems);
  const experiments = new Map<string, { name: string | null; deleted: boolean }>();
  for (const e of m.db.prepare(`SELECT ${expCols} FROM experiments`).all() as {
    experiment_id: number | string;
    name: string | null;
    lifecycle_stage: string | null;
  }[]) {
    experiments.set(String(e.experiment_id), { name: e.name, deleted: e.lifecycle_stage === 'deleted' });
  }
  const runCols = selectList(
    m,
    'runs',
    ['run_uuid', 'name', 'status', 'start_time', 'end_time', 'user_id', 'artifact_uri', 'experiment_id', 'lifecycle_stage'],
    rel,
    problems,
  );
  const runRows = (m.db.prepare(`SELECT ${runCols} FROM runs ORDER BY start_time, run_uuid`).all() as RunRow[]).filter(
    (r) => r.lifecycle_stage !== 'deleted' && !experiments.get(String(r.experiment_id))?.deleted,
  );
  const keyed = (table: string): Map<string, Record<string, string>> => {
    if (!m.columns.has(table)) {
      problems.push({ file: rel, message: `no ${table} table; runs read without ${table}` });
      return new Map();
    }
    return groupByRun(
      m.db.prepare(`SELECT ${selectList(m, table, ['key', 'value', 'run_uuid'], rel, problems)} FROM ${table}`).all() as KeyRow[],
    );
  };
  const params = keyed('params');
  const tags = keyed('tags');
  const hasMetrics = m.columns.has('metrics');
  if (!hasMetrics) problems.push({ file: rel, message: 'no metrics table; runs read without metrics' });
  // One query per run walks index_metrics_run_uuid_key_step: rows come grouped by key in step
  // order, one run's rows at a time are row objects, and no statement (no read transaction
  // either) holds the shared lock long enough to stall an MLflow writer's commit.
  const metricQuery = hasMetrics
    ? m.db.prepare(
        `SELECT ${selectList(m, 'metrics', ['key', 'value', 'timestamp', 'step', 'is_nan'], rel, problems)} FROM metrics WHERE run_uuid = ? ORDER BY key, step, timestamp`,
      )
    : null;
  const models = loggedModels(m, rel, problems);
  const runs: ExternalRun[] = [];
  for (const r of runRows) {
    const series: Record<string, MetricPoint[]> = {};
    if (metricQuery) {
      let key = '';
      let points: MetricPoint[] = [];
      for (const row of metricQuery.all(r.run_uuid) as MetricRow[]) {
        if (row.key !== key || points.length === 0) {
          key = row.key;
          points = series[key] ??= [];
        }
        points.push({ step: Number(row.step ?? 0), value: row.is_nan ? NaN : Number(row.value), timestamp: toMillis(row.timestamp) });
      }
    }
    const locals: LocalModel[] = [];
    let artifacts: string[] = [];
    const artifactDir = await localArtifactDir(root, r.artifact_uri, null);
    if (artifactDir) {
      artifacts = await listArtifacts(artifactDir);
      locals.push(...(await modelsInArtifacts(artifactDir, artifacts, root, problems)));
    }
    for (const lm of models.get(r.run_uuid) ?? []) {
      const dir = await localArtifactDir(root, lm.location, null);
      const local = dir ? await readLocalModel(dir, lm.name, root, problems) : null;
      locals.push(local ?? { model: { artifactPath: lm.name, flavors: [], modelUuid: null, createdAt: null }, environment: {} });
    }
    const exp = experiments.get(String(r.experiment_id));
    const raw: RawMlflowRun = {
      location: rel,
      id: r.run_uuid,
      experimentId: r.experiment_id === null ? null : String(r.experiment_id),
      experiment: exp?.name ?? null,
      name: r.name,
      status: r.status,
      startTime: toMillis(r.start_time),
      endTime: toMillis(r.end_time),
      user: r.user_id,
      params: params.get(r.run_uuid) ?? {},
      series,
      tags: tags.get(r.run_uuid) ?? {},
      models: locals.map((l) => l.model),
      artifacts,
      modelEnvironment: Object.assign({}, ...locals.map((l) => l.environment)),
    };
    runs.push(finishRun(raw, rel, problems));
  }
  return runs;
}

/**
 * Reads an MLflow SQLite store (`root/relFile`, usually `mlflow.db`) read-only, whatever schema
 * revision MLflow 2.x–3.x left it at: columns are read by name, and what a newer schema lacks
 * is a problem, not a failure. A writer holding an exclusive lock past the busy timeout makes
 * this throw an error that says "locked".
 */
export async function readMlflowSqlite(root: string, relFile: string, options: OpenMlflowOptions = {}): Promise<RunReadResult> {
  const rel = posix.normalize(relFile.replace(/\\/g, '/'));
  const problems: RunProblem[] = [];
  const m = openMlflowDb(join(root, relFile), rel, problems, options);
  try {
    return { runs: await readAll(root, rel, m, problems), problems };
  } catch (error) {
    if (isLockedError(error)) throw lockedError(rel, error);
    throw error;
  } finally {
    m.close();
  }
}
