import * as vscode from 'vscode';
import { GitRegistry, MlflowRegistry } from '../../core/workspace/registry';
import type { RegistryBackend } from '../../core/registry/types';
import { mlflowLimitsSetting, tokenKey, trackingUriSetting } from '../mlflowServer';

export type RegistryBackendKind = 'git' | 'mlflow';

export function registryBackendKind(scope: vscode.Uri): RegistryBackendKind {
  return vscode.workspace.getConfiguration('lineage', scope).get<string>('registry.backend', 'git') === 'mlflow' ? 'mlflow' : 'git';
}

/** `lineage.registry.pushRemote`: the remote to offer pushing new tags to; empty = ask which, or don't push. */
export function pushRemoteSetting(scope: vscode.Uri): string {
  return vscode.workspace.getConfiguration('lineage', scope).get<string>('registry.pushRemote', '').trim();
}

/** The registry's MLflow server: its own setting, else the one runs are read from. */
function mlflowUrl(scope: vscode.Uri): string {
  return (
    vscode.workspace.getConfiguration('lineage', scope).get<string>('registry.mlflowTrackingUri', '').trim() || trackingUriSetting(scope)
  );
}

/**
 * The registry a folder uses: Git tags (GTO's format) unless the workspace chose an MLflow
 * server. A thrown error is meant for the user (no server configured); `onWarning` hears what
 * did not stop a read (a server's paging cut short).
 */
export async function registryBackendFor(
  root: string,
  scope: vscode.Uri,
  secrets: vscode.SecretStorage | undefined,
  onWarning?: (message: string) => void,
): Promise<RegistryBackend> {
  if (registryBackendKind(scope) === 'git') return new GitRegistry(root);
  const url = mlflowUrl(scope);
  if (!url)
    throw new Error(
      '"lineage.registry.backend" is "mlflow" but no server is set: set "lineage.registry.mlflowTrackingUri" (or "lineage.mlflow.trackingUri").',
    );
  const token = (await secrets?.get(tokenKey(url))) ?? process.env.MLFLOW_TRACKING_TOKEN;
  return new MlflowRegistry(url, { token: token || undefined, ...mlflowLimitsSetting(scope), onWarning });
}
