// PLACEHOLDER owned by the W&B helper: replaced by the real reader.
import type { RunReadResult } from '../runs/types';

/** Reads every run folder under `root/relDir` (a `wandb/` or `.wandb/` folder). */
export async function readWandbDir(root: string, relDir: string): Promise<RunReadResult> {
  throw new Error(`readWandbDir(${root}, ${relDir}): not implemented yet`);
}
