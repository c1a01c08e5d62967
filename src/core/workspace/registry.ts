// Model registries: GTO tags in Git, MLflow's registry in a local store or on a server.
// They live outside the index, so these take a repository root (or a store/server), not a Workspace.

import { readGitRegistry, GitRegistry, type GitWriteResult } from '../registry/gitRegistry';
import { loadGitRegistry, type LoadedRegistry } from '../registry/registryLoad';
import type { RegistryState } from '../registry/types';

export type { LoadedRegistry, RegistryState, GitWriteResult };
/** The commits GTO reads registry entries from (`gto show MODEL`). */
export { readGtoCommits, type GtoCommit } from '../registry/gtoCommits';
export { GitRegistry };
export { readMlflowRegistry } from '../mlflow/mlflowLocalRegistry';
export { readLocalMlflowRegistries, type LocalMlflowRegistry } from '../mlflow/mlflowRegistries';
export { MlflowRegistry } from '../mlflow/mlflowRegistry';
export { MlflowServerError } from '../mlflow/mlflowHttp';

/** Models, versions and stages from the repository's GTO tags. */
export const registryState = (root: string): Promise<RegistryState> => readGitRegistry(root);
/** The registry with its artifacts.yaml declarations and the commits it names. */
export const loadedRegistry = (root: string): Promise<LoadedRegistry> => loadGitRegistry(root);
/** Writes registry tags (register, assign, …) in the repository. */
export const gitRegistry = (root: string, now?: () => number): GitRegistry => new GitRegistry(root, now);
