// The read-only MLflow registries of the workspace (mlruns/models, mlflow.db) as Models view
// nodes. Pure: no vscode import, so the node shapes, labels and menu flags are unit-tested.
import type { LocalMlflowRegistry } from '../../core/workspace/registry';
import { toModelVersionRef } from '../../core/registry/resolve';
import type { ModelArtifact, ModelVersion } from '../../core/registry/types';
import type { LocalMlflowNode, ModelContext } from './modelNodeTypes';

const KINDS = new Set(['mlflowStore', 'mlflowModel', 'mlflowVersion']);
const FULL_SHA = /^[0-9a-f]{40}$/;

export function isLocalMlflowNode(node: { kind: string }): node is LocalMlflowNode {
  return KINDS.has(node.kind);
}

export function mlflowStoreNodes(ctx: ModelContext, registries: readonly LocalMlflowRegistry[]): LocalMlflowNode[] {
  return registries.map((registry) => ({ kind: 'mlflowStore', ctx, registry }));
}

export function mlflowModelNodes(node: Extract<LocalMlflowNode, { kind: 'mlflowStore' }>): LocalMlflowNode[] {
  return node.registry.state.artifacts.map((artifact) => ({ kind: 'mlflowModel', ctx: node.ctx, registry: node.registry, artifact }));
}

export function mlflowVersionNodes(node: Extract<LocalMlflowNode, { kind: 'mlflowModel' }>, folder: string): LocalMlflowNode[] {
  return node.artifact.versions.map((version) => ({
    kind: 'mlflowVersion',
    ctx: node.ctx,
    registry: node.registry,
    artifact: node.artifact,
    version,
    ref: toModelVersionRef(node.artifact, version),
    folder,
  }));
}

/** `MLflow registry (mlruns)`, `MLflow registry (sub/mlflow.db)`: the store as the runs index names it. */
export function mlflowStoreLabel(registry: LocalMlflowRegistry): string {
  return `MLflow registry (${registry.location})`;
}

export function mlflowStoreDescription(registry: LocalMlflowRegistry, folderName: string | null): string {
  const n = registry.state.artifacts.length;
  return [
    `read-only · ${n} model${n === 1 ? '' : 's'}`,
    registry.problems.length ? `${registry.problems.length} problem${registry.problems.length === 1 ? '' : 's'}` : '',
    folderName ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function mlflowModelDescription(artifact: ModelArtifact): string {
  if (artifact.deprecated) return 'deprecated';
  return artifact.versions.length ? `version ${artifact.versions[0].version}` : 'no versions';
}

export const hasKnownCommit = (version: ModelVersion): boolean => FULL_SHA.test(version.commit);

/** Stage and alias badges, then the commit (or that it is unknown: no run, or a run without a git tag). */
export function mlflowVersionDescription(version: ModelVersion): string {
  return [version.stages.join(' · '), hasKnownCommit(version) ? version.commit.slice(0, 8) : 'commit unknown'].filter(Boolean).join('  ');
}

/**
 * Menu flags: a prefix no write command's `when` matches (they test `^lineage\.model\b` and
 * `^lineage\.modelVersion`), plus `hasCommit` for Show Lineage.
 */
export function mlflowContextValue(node: LocalMlflowNode): string {
  switch (node.kind) {
    case 'mlflowStore':
      return 'lineage.mlflowLocalRegistry readonly';
    case 'mlflowModel':
      return 'lineage.mlflowLocalModel readonly';
    case 'mlflowVersion':
      return `lineage.mlflowLocalVersion readonly${hasKnownCommit(node.version) ? ' hasCommit' : ''}`;
  }
}
