import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryState } from '../registry/types';
import type { RunProblem } from '../runs/types';
import { discoverRunSources, type DiscoverOptions } from '../runs/runSources';
import { readMlflowRegistry } from './mlflowLocalRegistry';
import type { OpenMlflowOptions } from './mlflowSqliteOpen';

export interface LocalMlflowRegistry {
  /** Repo-relative `mlruns` folder or `.db` file. */
  location: string;
  format: 'mlflow-files' | 'mlflow-sqlite';
  state: RegistryState;
  problems: RunProblem[];
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => !name.startsWith('.'));
  } catch {
    return false;
  }
}

/**
 * The local MLflow model registries in the workspace, found where the runs index finds
 * MLflow stores: a file store counts only with a non-empty `models/` folder, a database only
 * with at least one registered model, so a store of runs alone costs one readdir or one
 * read-only query. A store that cannot be read at all is kept, with the reason as a problem.
 */
export async function readLocalMlflowRegistries(
  root: string,
  options: DiscoverOptions & OpenMlflowOptions = {},
): Promise<LocalMlflowRegistry[]> {
  const out: LocalMlflowRegistry[] = [];
  for (const source of discoverRunSources(root, options)) {
    if (source.format !== 'mlflow-files' && source.format !== 'mlflow-sqlite') continue;
    if (source.format === 'mlflow-files' && !hasEntries(join(root, ...source.location.split('/'), 'models'))) continue;
    try {
      const { state, problems } = await readMlflowRegistry(root, source.location, options);
      if (source.format === 'mlflow-sqlite' && state.artifacts.length === 0) continue;
      out.push({ location: source.location, format: source.format, state, problems });
    } catch (error) {
      out.push({
        location: source.location,
        format: source.format,
        state: { artifacts: [], ignored: [] },
        problems: [{ file: source.location, message: (error as Error).message }],
      });
    }
  }
  return out;
}
