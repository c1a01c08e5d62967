import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RegistryState } from '../registry/types';
import type { RunProblem } from '../runs/types';
import { readMeta, readValues, str } from './mlflowFileKeys';
import { registryState, type RawModelVersion, type RawRegisteredModel } from './mlflowRegistryState';
import { toMillis } from './mlflowRun';
import { openMlflowDb, selectList, type OpenMlflowOptions } from './mlflowSqliteOpen';

export interface MlflowRegistryRead {
  state: RegistryState;
  problems: RunProblem[];
}

async function dirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function fileStoreModels(base: string, rel: string, problems: RunProblem[]): Promise<RawRegisteredModel[]> {
  const models: RawRegisteredModel[] = [];
  for (const folder of await dirs(join(base, 'models'))) {
    const dir = join(base, 'models', folder);
    const mrel = `${rel}/models/${folder}`;
    const meta = await readMeta(join(dir, 'meta.yaml'), `${mrel}/meta.yaml`, problems, 'registered model folder has no meta.yaml; skipped');
    if (!meta) continue;
    const aliases: Record<string, string> = {};
    if (meta.aliases && typeof meta.aliases === 'object')
      for (const [a, v] of Object.entries(meta.aliases)) if (str(v)) aliases[a] = str(v)!;
    for (const [a, v] of Object.entries(await readValues(join(dir, 'aliases'), `${mrel}/aliases`, problems))) aliases[a] = v.trim();
    const versions: RawModelVersion[] = [];
    for (const vf of (await dirs(dir)).filter((d) => /^version-\d+$/.test(d))) {
      const vm = await readMeta(
        join(dir, vf, 'meta.yaml'),
        `${mrel}/${vf}/meta.yaml`,
        problems,
        'model version folder has no meta.yaml; skipped',
      );
      if (!vm) continue;
      versions.push({
        version: str(vm.version) ?? vf.slice('version-'.length),
        stage: str(vm.current_stage),
        source: str(vm.source),
        runId: str(vm.run_id),
        createdAt: toMillis(vm.creation_timestamp),
        user: str(vm.user_id),
      });
    }
    models.push({ name: str(meta.name) ?? folder, tags: await readValues(join(dir, 'tags'), `${mrel}/tags`, problems), aliases, versions });
  }
  return models;
}

/** The run's git commit tag, wherever its experiment folder is. */
async function fileStoreCommits(base: string, runIds: Iterable<string>): Promise<Map<string, string>> {
  const commits = new Map<string, string>();
  const experiments = (await dirs(base)).filter((d) => d !== 'models');
  for (const id of runIds) {
    if (!/^[\w-]+$/.test(id)) continue; // a run id is a uuid hex; anything else never names a folder
    for (const exp of experiments) {
      try {
        commits.set(id, (await readFile(join(base, exp, id, 'tags', 'mlflow.source.git.commit'), 'utf8')).trim());
        break;
      } catch {
        // not in this experiment, or no commit tag
      }
    }
  }
  return commits;
}

function sqliteModels(
  file: string,
  rel: string,
  problems: RunProblem[],
  options: OpenMlflowOptions,
): { models: RawRegisteredModel[]; commits: Map<string, string> } {
  const m = openMlflowDb(file, rel, problems, options);
  try {
    const models = new Map<string, RawRegisteredModel>();
    if (!m.columns.has('registered_models')) return { models: [], commits: new Map() };
    for (const r of m.db.prepare(`SELECT ${selectList(m, 'registered_models', ['name'], rel, problems)} FROM registered_models`).all() as {
      name: string;
    }[]) {
      models.set(r.name, { name: r.name, tags: {}, aliases: {}, versions: [] });
    }
    const rows = (table: string, cols: string[]) =>
      (m.columns.has(table) ? m.db.prepare(`SELECT ${selectList(m, table, cols, rel, problems)} FROM ${table}`).all() : []) as Record<
        string,
        unknown
      >[];
    for (const t of rows('registered_model_tags', ['name', 'key', 'value'])) {
      const model = models.get(String(t.name));
      if (model) model.tags[String(t.key)] = str(t.value) ?? '';
    }
    for (const a of rows('registered_model_aliases', ['name', 'alias', 'version'])) {
      const model = models.get(String(a.name));
      if (model) model.aliases[String(a.alias)] = String(a.version);
    }
    for (const v of rows('model_versions', ['name', 'version', 'current_stage', 'source', 'run_id', 'creation_time', 'user_id'])) {
      models.get(String(v.name))?.versions.push({
        version: String(v.version),
        stage: str(v.current_stage),
        source: str(v.source),
        runId: str(v.run_id),
        createdAt: toMillis(v.creation_time),
        user: str(v.user_id),
      });
    }
    const commits = new Map<string, string>();
    if (m.columns.get('tags')?.has('run_uuid')) {
      const q = m.db.prepare(`SELECT value FROM tags WHERE key = 'mlflow.source.git.commit' AND run_uuid = ?`);
      for (const model of models.values()) {
        for (const v of model.versions) {
          const row = v.runId ? (q.get(v.runId) as { value?: string } | undefined) : undefined;
          if (v.runId && row?.value) commits.set(v.runId, row.value);
        }
      }
    }
    return { models: [...models.values()], commits };
  } finally {
    m.close();
  }
}

/**
 * The model registry of a local MLflow store: `root/rel` is a file store folder (`mlruns`,
 * registry under `models/`) or a SQLite file (`mlflow.db`), read-only either way.
 */
export async function readMlflowRegistry(root: string, rel: string, options: OpenMlflowOptions = {}): Promise<MlflowRegistryRead> {
  const problems: RunProblem[] = [];
  const path = join(root, rel);
  const relPath = posix.normalize(rel.replace(/\\/g, '/')).replace(/\/$/, '');
  if ((await stat(path)).isDirectory()) {
    const models = await fileStoreModels(path, relPath, problems);
    const commits = await fileStoreCommits(
      path,
      new Set(models.flatMap((m) => m.versions.map((v) => v.runId).filter((id): id is string => Boolean(id)))),
    );
    return { state: registryState(models, (id) => commits.get(id) ?? null), problems };
  }
  const { models, commits } = sqliteModels(path, relPath, problems, options);
  return { state: registryState(models, (id) => commits.get(id) ?? null), problems };
}
