import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { ExternalRun, LoggedModel, RunProblem, RunReadResult } from '../runs/types';
import { listArtifacts, localArtifactDir, modelsInArtifacts, readLocalModel, type LocalModel } from './mlflowArtifacts';
import { readMeta, readMetrics, readValues, str } from './mlflowFileKeys';
import { finishRun, toMillis, type RawMlflowRun } from './mlflowRun';

/** Folders of an experiment that are not runs: MLflow 3 logged models, traces, datasets, experiment tags. */
const NOT_RUNS = new Set(['models', 'traces', 'datasets', 'tags']);
/** Runs read at once: enough to hide file latency, few enough to keep descriptors in check. */
const CONCURRENCY = 16;

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

interface Experiment {
  store: string;
  id: string;
  name: string | null;
  dir: string;
  rel: string;
  models: Map<string, { name: string; dir: string }[]>;
}

/** MLflow 3 keeps logged models per experiment (`<exp>/models/m-…/`), pointing back at their run. */
async function experimentModels(exp: string, rel: string, problems: RunProblem[]): Promise<Map<string, { name: string; dir: string }[]>> {
  const byRun = new Map<string, { name: string; dir: string }[]>();
  for (const id of await subdirs(join(exp, 'models'))) {
    const meta = await readMeta(
      join(exp, 'models', id, 'meta.yaml'),
      `${rel}/models/${id}/meta.yaml`,
      problems,
      'logged model folder has no meta.yaml; skipped',
    );
    const run = str(meta?.source_run_id);
    if (!meta || !run || meta.lifecycle_stage === 'deleted') continue;
    const list = byRun.get(run) ?? [];
    list.push({ name: str(meta.name) ?? id, dir: join(exp, 'models', id, 'artifacts') });
    byRun.set(run, list);
  }
  return byRun;
}

async function readRun(root: string, exp: Experiment, runId: string, problems: RunProblem[]): Promise<ExternalRun | undefined> {
  const dir = join(exp.dir, runId);
  const rel = `${exp.rel}/${runId}`;
  const meta = await readMeta(join(dir, 'meta.yaml'), `${rel}/meta.yaml`, problems, 'run folder has no meta.yaml; run skipped');
  if (!meta || meta.lifecycle_stage === 'deleted') return undefined;
  const id = str(meta.run_id) ?? str(meta.run_uuid) ?? runId;
  const runProblems: RunProblem[] = [];
  const [params, series, tags] = await Promise.all([
    readValues(join(dir, 'params'), `${rel}/params`, runProblems),
    readMetrics(join(dir, 'metrics'), `${rel}/metrics`, runProblems),
    readValues(join(dir, 'tags'), `${rel}/tags`, runProblems),
  ]);
  const artifactDir = await localArtifactDir(root, str(meta.artifact_uri), join(dir, 'artifacts'));
  const artifacts = artifactDir ? await listArtifacts(artifactDir) : [];
  const locals: LocalModel[] = artifactDir ? await modelsInArtifacts(artifactDir, artifacts, root, runProblems) : [];
  for (const m of exp.models.get(id) ?? []) {
    const local = await readLocalModel(m.dir, m.name, root, runProblems);
    if (local) locals.push(local);
  }
  const models: LoggedModel[] = locals.map((l) => l.model);
  const raw: RawMlflowRun = {
    location: exp.store,
    id,
    experimentId: exp.id,
    experiment: exp.name,
    name: str(meta.run_name),
    status: typeof meta.status === 'number' || typeof meta.status === 'string' ? meta.status : null,
    startTime: toMillis(meta.start_time),
    endTime: toMillis(meta.end_time),
    user: str(meta.user_id),
    params,
    series,
    tags,
    models,
    artifacts,
    modelEnvironment: Object.assign({}, ...locals.map((l) => l.environment)),
  };
  const run = finishRun(raw, `${rel}/tags/mlflow.log-model.history`, runProblems);
  problems.push(...runProblems);
  return run;
}

/**
 * Reads the MLflow file store at `root/relDir` (usually `mlruns`). Deleted experiments and runs
 * (lifecycle_stage deleted, or moved to .trash) are left out; a broken run is a problem, and
 * the other runs still load.
 */
export async function readMlflowFileStore(root: string, relDir: string): Promise<RunReadResult> {
  const problems: RunProblem[] = [];
  const runs: ExternalRun[] = [];
  const base = join(root, relDir);
  const relBase = posix.normalize(relDir.replace(/\\/g, '/')).replace(/\/$/, '');
  try {
    await readdir(base);
  } catch (error) {
    return { runs, problems: [{ file: relBase, message: `not a readable MLflow store folder: ${(error as Error).message}` }] };
  }
  for (const expId of await subdirs(base)) {
    if (expId === 'models') continue; // the model registry, read by readMlflowRegistry
    const rel = `${relBase}/${expId}`;
    const meta = await readMeta(
      join(base, expId, 'meta.yaml'),
      `${rel}/meta.yaml`,
      problems,
      'experiment folder has no meta.yaml; skipped',
    );
    if (!meta || meta.lifecycle_stage === 'deleted') continue;
    const dir = join(base, expId);
    const exp: Experiment = {
      store: relBase,
      id: str(meta.experiment_id) ?? expId,
      name: str(meta.name),
      dir,
      rel,
      models: await experimentModels(dir, rel, problems),
    };
    const ids = (await subdirs(dir)).filter((name) => !NOT_RUNS.has(name));
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + CONCURRENCY).map((id) => readRun(root, exp, id, problems)));
      for (const run of batch) if (run) runs.push(run);
    }
  }
  return { runs, problems };
}
