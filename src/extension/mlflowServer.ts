import * as vscode from 'vscode';
import { limitsFrom, type MlflowLimits } from '../core/mlflow/mlflowLimits';
import { normalizeServerUrl } from '../core/runs/serverUrl';
import type { ServerSpec } from '../core/workspace/runSync';

/** The MLflow tracking servers a folder's index reads, with their tokens. */
export type RunServerProvider = (scope: vscode.Uri) => Promise<ServerSpec[]>;

export function trackingUriSetting(scope: vscode.Uri): string {
  return vscode.workspace.getConfiguration('lineage', scope).get<string>('mlflow.trackingUri', '').trim();
}

/** `lineage.mlflow.maxPages` / `maxResponseMB` / `timeoutSeconds`; a value that is not a positive number keeps the default. */
export function mlflowLimitsSetting(scope: vscode.Uri): MlflowLimits {
  const config = vscode.workspace.getConfiguration('lineage', scope);
  return limitsFrom({
    maxPages: config.get('mlflow.maxPages'),
    maxResponseMB: config.get('mlflow.maxResponseMB'),
    timeoutSeconds: config.get('mlflow.timeoutSeconds'),
  });
}

/**
 * A token is stored per server URL: a workspace's settings can name any URL, and a token
 * saved for one server must never be sent to another.
 */
export function tokenKey(url: string): string {
  return `lineage.mlflow.token:${normalizeServerUrl(url)}`;
}

/**
 * The setting `lineage.mlflow.trackingUri` with its token from SecretStorage, else from
 * MLFLOW_TRACKING_TOKEN in the editor's environment. Without SecretStorage (no composition
 * root passed one) only the environment token is used.
 */
export function mlflowServers(secrets?: vscode.SecretStorage): RunServerProvider {
  return async (scope) => {
    const url = trackingUriSetting(scope);
    if (!url) return [];
    let token: string | undefined;
    try {
      token = secrets ? await secrets.get(tokenKey(url)) : undefined;
    } catch {
      // A malformed URL: syncRuns reports it; there is no token to look up.
    }
    return [{ url, token: token || process.env.MLFLOW_TRACKING_TOKEN || undefined, limits: mlflowLimitsSetting(scope) }];
  };
}
