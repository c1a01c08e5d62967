// PLACEHOLDER owned by the MLflow helper: replaced by the real reader.
import type { RunReadResult } from '../runs/types';

/** Reads the MLflow file store at `root/relDir` (usually `mlruns`). */
export async function readMlflowFileStore(root: string, relDir: string): Promise<RunReadResult> {
  throw new Error(`readMlflowFileStore(${root}, ${relDir}): not implemented yet`);
}
