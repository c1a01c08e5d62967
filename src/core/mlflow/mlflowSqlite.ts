// PLACEHOLDER owned by the MLflow helper: replaced by the real reader.
import type { RunReadResult } from '../runs/types';

/** Reads an MLflow SQLite store (`root/relFile`, usually `mlflow.db`) read-only. */
export async function readMlflowSqlite(root: string, relFile: string): Promise<RunReadResult> {
  throw new Error(`readMlflowSqlite(${root}, ${relFile}): not implemented yet`);
}
