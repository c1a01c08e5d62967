// What an index run is asked and what it reports; shared by the light entry (indexer.ts) and
// the full run it loads on demand (indexRun.ts).

import type { RepoInfo } from '../git/repo';
import type { RefChanges } from './syncRefs';

export interface IndexProgress {
  phase: 'refs' | 'history' | 'commits' | 'workspace' | 'done';
  done: number;
  total: number;
}

export interface IndexOptions {
  onProgress?: (progress: IndexProgress) => void;
  /**
   * Called once when another process has been indexing this store for a second: this run
   * waits for it (then finds little left to do) instead of racing it.
   */
  onWaitForIndexer?: (holderPid: number) => void;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Commits per transaction: a crash loses at most one batch of work. */
  batchSize?: number;
  /** Commits to index even if no ref reaches them (a sha the user asked about). */
  extraTips?: string[];
  /** Path globs left out of the index (settings: lineage.excludePaths). */
  excludePaths?: string[];
}

export interface IndexReport {
  commitsWalked: number;
  commitsIndexed: number;
  refs: RefChanges;
  blobsParsed: number;
  workspaceFiles: number;
  cancelled: boolean;
  limitations: string[];
  timings: { refsMs: number; historyMs: number; commitsMs: number; workspaceMs: number; totalMs: number };
}

export class IndexCancelled extends Error {}

export function emptyReport(repo: RepoInfo): IndexReport {
  return {
    commitsWalked: 0,
    commitsIndexed: 0,
    refs: { added: 0, moved: 0, removed: 0 },
    blobsParsed: 0,
    workspaceFiles: 0,
    cancelled: false,
    limitations: [...repo.limitations],
    timings: { refsMs: 0, historyMs: 0, commitsMs: 0, workspaceMs: 0, totalMs: 0 },
  };
}
