// The Models view's node shapes, kept apart from the code that builds and renders them so that
// modelNodes.ts, mlflowLocalNodes.ts and localMlflowRegistries.ts depend on these shapes, not
// on each other.
import type { LocalMlflowRegistry } from '../../core/workspace/registry';
import type { ModelArtifact, ModelVersion, ModelVersionRef } from '../../core/registry/types';
import type { FolderEngine } from '../folderEngine';
import type { RegistryBackendKind } from './registryBackends';

export interface ModelContext {
  engine: FolderEngine;
  backend: RegistryBackendKind;
  root: string;
}

export type ModelNode =
  | { kind: 'model'; ctx: ModelContext; artifact: ModelArtifact }
  /** `ref` and `folder` make the node the argument `lineage.showLineage` takes as is. */
  | { kind: 'version'; ctx: ModelContext; artifact: ModelArtifact; version: ModelVersion; ref: ModelVersionRef; folder: string }
  /** A revision node (engine, rev, label, sha) so the Runs view's commit commands apply. */
  | { kind: 'commit'; ctx: ModelContext; engine: FolderEngine; rev: string; label: string; sha: string; subject: string | null }
  | { kind: 'message'; text: string; icon: string; detail?: string }
  /** A local MLflow registry (mlruns/models, mlflow.db) and its models and versions, read-only. */
  | LocalMlflowNode;

export type LocalMlflowNode =
  | { kind: 'mlflowStore'; ctx: ModelContext; registry: LocalMlflowRegistry }
  | { kind: 'mlflowModel'; ctx: ModelContext; registry: LocalMlflowRegistry; artifact: ModelArtifact }
  /** `ref` and `folder` make the node the argument `lineage.showLineage` takes, when the commit is known. */
  | {
      kind: 'mlflowVersion';
      ctx: ModelContext;
      registry: LocalMlflowRegistry;
      artifact: ModelArtifact;
      version: ModelVersion;
      ref: ModelVersionRef;
      folder: string;
    };
