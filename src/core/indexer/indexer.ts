import type { RepoInfo } from '../git/repo';
import type { Store } from '../store/store';
import { waitForOwnerLock } from '../util/ownerLock';
import { ensureIntact, freshRecord } from './freshness';
import { emptyReport, type IndexOptions, type IndexReport } from './indexTypes';

export { IndexCancelled, type IndexOptions, type IndexProgress, type IndexReport } from './indexTypes';

/**
 * Brings the store up to date with the repository: new commits, moved refs, the workspace.
 * One indexer per store at a time (the editor and a terminal share it): a second one waits.
 *
 * When nothing the last run read has changed (freshness.ts: HEAD, refs, the stat of the
 * listed, watched and Git's own files) the run is skipped without starting git or loading
 * the indexing code; its report is the one a full run would give: nothing new.
 */
export async function indexRepository(repo: RepoInfo, store: Store, options: IndexOptions = {}): Promise<IndexReport> {
  const current = upToDate(repo, store, options);
  if (current) return current;
  const { indexUnlocked } = await import('./indexRun');
  if (store.file === ':memory:') return indexUnlocked(repo, store, options);
  let lock;
  try {
    lock = await waitForOwnerLock(`${store.file}.indexing.lock`, (holder) => options.onWaitForIndexer?.(holder.pid), {
      signal: options.signal,
    });
  } catch (error) {
    if (!options.signal?.aborted) throw error;
    return { ...emptyReport(repo), cancelled: true };
  }
  if (lock.warning) options.log?.(lock.warning);
  try {
    return await indexUnlocked(repo, store, options);
  } finally {
    lock.release();
  }
}

/** The report of a skipped run, when the index still matches the repository; else undefined. */
function upToDate(repo: RepoInfo, store: Store, options: IndexOptions): IndexReport | undefined {
  if (options.signal?.aborted) return undefined;
  const started = Date.now();
  let record;
  try {
    record = freshRecord(repo, store, JSON.stringify(options.excludePaths ?? []));
    const tips = options.extraTips ?? [];
    if (record && tips.length > 0) {
      const isIndexed = store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL');
      if (!tips.every((sha) => isIndexed.get(sha))) record = undefined;
    }
  } catch {
    // Anything unexpected while checking (a folder turned unreadable): the full run decides.
    record = undefined;
  }
  if (!record) return undefined;
  // What the first write of a full refresh would have done: refuse a damaged index.
  ensureIntact(store);
  options.log?.('index up to date: nothing changed since the last run');
  const report = emptyReport(repo);
  report.workspaceFiles = record.workspaceFiles;
  report.timings.totalMs = Date.now() - started;
  options.onProgress?.({ phase: 'done', done: 0, total: 0 });
  return report;
}
