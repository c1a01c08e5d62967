import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { openRepo, type RepoInfo } from '../core/git/repo';
import { rebuildStore } from '../core/store/rebuild';
import { Store } from '../core/store/store';
import { defaultStoreFile } from '../core/store/location';
import { indexRepository, type IndexReport } from '../core/indexer/indexer';
import { syncRuns } from '../core/workspace/runSync';

/** Bad usage or bad input: exit code 2, one line naming what and where. */
export class UsageError extends Error {}

export interface Context { repo: RepoInfo; store: Store; storeFile: string }

export async function openContext(options: { repo?: string; store?: string; rebuild?: boolean }): Promise<Context> {
  const folder = resolve(options.repo ?? process.cwd());
  if (!existsSync(folder)) throw new UsageError(`--repo ${folder}: no such folder`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`--repo ${folder}: not a folder`);
  const repo = await openRepo(folder);
  const storeFile = options.store ? resolve(options.store) : defaultStoreFile(repo);
  if (existsSync(storeFile) && statSync(storeFile).isDirectory()) throw new UsageError(`--store ${storeFile}: is a folder, not an index file`);
  if (options.rebuild) {
    // Explicitly asked for: the only path that replaces an index; local-only records are kept.
    const rebuilt = rebuildStore(storeFile);
    if (rebuilt.warning) process.stderr.write(`lineage: warning: ${rebuilt.warning}\n`);
    return { repo, store: rebuilt.store, storeFile };
  }
  return { repo, store: Store.open(storeFile), storeFile };
}

export async function refresh(ctx: Context, extraTips: string[] = [], log?: (message: string) => void): Promise<IndexReport> {
  // LINEAGE_INDEX_BATCH: commits per transaction; small values let tests kill a run mid-way.
  const batch = Number(process.env.LINEAGE_INDEX_BATCH);
  const report = await indexRepository(ctx.repo, ctx.store, {
    extraTips, log, batchSize: Number.isInteger(batch) && batch > 0 ? batch : undefined,
    onWaitForIndexer: (pid) => process.stderr.write(`lineage: waiting for another indexer (pid ${pid})\n`),
  });
  if (report.cancelled) return report;
  // MLflow/W&B runs in the workspace, after Git so runs can link to freshly indexed commits.
  const runs = await syncRuns(ctx.repo.root, ctx.store, { log });
  log?.(`runs: ${runs.sources} source(s), ${runs.read} read, ${runs.unchanged} unchanged, ${runs.failed} failed, ${runs.removed} removed in ${runs.ms} ms`);
  return report;
}
