// PLACEHOLDER owned by the MLflow helper: replaced by the real client.
import type { RunReadResult } from '../runs/types';

export interface MlflowServerOptions { token?: string; timeoutMs?: number; retries?: number; experimentNames?: string[] }

/** Reads every run of a tracking server over REST (paged search). */
export async function readMlflowServer(url: string, options: MlflowServerOptions = {}): Promise<RunReadResult> {
  throw new Error(`readMlflowServer(${url}, ${JSON.stringify(Object.keys(options))}): not implemented yet`);
}
