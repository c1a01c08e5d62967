// The one seam between the engine and its two adapters (the CLI and the editor extension).
// Both open a folder here, refresh it here and name revisions here; the store, SQL and git
// stay behind this folder, so a behaviour is wired once and both adapters get it.

import { openRepo, type RepoInfo } from '../git/repo';
import { Store } from '../store/store';
import type { OpenOptions } from '../store/driver';
import { rebuildStore } from '../store/rebuild';
import { defaultStoreFile } from '../store/location';
import { indexRepository, type IndexProgress, type IndexReport } from '../indexer/indexer';
import { syncRuns, type RunSyncOptions, type RunSyncReport } from './runSync';
import { resolveRevisionText, type Revision } from './revision';
import { isIndexed } from '../query/revisions';
import { bindStore, storeOf, unbindStore } from './internal';

/** Where the store is kept, how it is opened. */
export interface OpenWorkspaceOptions {
  /** The index file; default: inside the Git directory (see store/location). */
  storeFile?: string;
  /** Replace the index with an empty one first, keeping local-only records. */
  rebuild?: boolean;
  /** Open read-only (Restricted Mode): nothing is indexed or written. */
  readonly?: boolean;
  /** The extension's install folder, where the packaged native SQLite binary lives. */
  extensionRoot?: string;
  log?: (message: string) => void;
  /** A rebuild that could not carry every local record over says so here. */
  onWarning?: (message: string) => void;
  /** After a rebuild: the local-only rows carried into the new index, per table (for a log line). */
  onRebuilt?: (kept: Record<string, number>) => void;
}

export interface RefreshOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
  /** Called once when another process holds the indexer lock: this refresh waits for it. */
  onWaitForIndexer?: (holderPid: number) => void;
  log?: (message: string) => void;
  /** Commits to index although no ref reaches them (a sha the user named). */
  extraTips?: string[];
  excludePaths?: string[];
  /** Commits per transaction. */
  batchSize?: number;
  /** MLflow/W&B sources: false skips them; the rest is passed to the runs sync. */
  runs?: false | Omit<RunSyncOptions, 'signal' | 'log' | 'excludePaths'>;
  /** 'report' (default): a failure reading runs is returned in `runsError`; 'throw': it fails the refresh. */
  runsFailure?: 'report' | 'throw';
}

export interface RefreshReport extends IndexReport {
  /** Undefined when runs were skipped or the index run was cancelled. */
  runs?: RunSyncReport;
  /** Set when reading MLflow/W&B runs failed as a whole; the Git index stands. */
  runsError?: string;
}

/**
 * An opened folder: its repository facts, its index and what can be asked of them. Queries
 * live in the modules of this folder and take the Workspace; the store itself is reachable
 * only from inside core (internal.ts).
 */
export class Workspace {
  private constructor(
    public repo: RepoInfo,
    readonly storeFile: string,
    store: Store,
    readonly readonly: boolean,
  ) {
    bindStore(this, store);
  }

  /** The Git top level (or the folder itself without Git). */
  get root(): string {
    return this.repo.root;
  }

  /** Which SQLite driver serves the index (better-sqlite3 or node:sqlite). */
  get driver(): string {
    return storeOf(this).driver;
  }

  static async open(folder: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
    const repo = await openRepo(folder);
    const storeFile = options.storeFile ?? defaultStoreFile(repo);
    const storeOptions: OpenOptions = { extensionRoot: options.extensionRoot, log: options.log, readonly: options.readonly };
    if (options.rebuild) {
      const rebuilt = rebuildStore(storeFile, storeOptions);
      if (rebuilt.warning) options.onWarning?.(rebuilt.warning);
      options.onRebuilt?.(rebuilt.kept);
      return new Workspace(repo, storeFile, rebuilt.store, false);
    }
    return new Workspace(repo, storeFile, Store.open(storeFile, storeOptions), Boolean(options.readonly));
  }

  /**
   * Brings the index up to date: commits, refs, the workspace, then MLflow/W&B runs (after
   * Git, so runs link to freshly indexed commits). A failure reading runs never fails the Git
   * index: it is reported in `runsError`.
   */
  async refresh(options: RefreshOptions = {}): Promise<RefreshReport> {
    const store = storeOf(this);
    const report: RefreshReport = await indexRepository(this.repo, store, {
      signal: options.signal,
      onProgress: options.onProgress,
      onWaitForIndexer: options.onWaitForIndexer,
      log: options.log,
      extraTips: options.extraTips,
      excludePaths: options.excludePaths,
      batchSize: options.batchSize,
    });
    if (!report.cancelled && options.runs !== false) {
      try {
        const runs = await syncRuns(this.repo.root, store, {
          ...(options.runs ?? {}),
          excludePaths: options.excludePaths,
          signal: options.signal,
          log: options.log,
        });
        options.log?.(
          `runs: ${runs.sources} source(s), ${runs.read} read, ${runs.unchanged} unchanged, ${runs.failed} failed, ${runs.removed} removed in ${runs.ms} ms`,
        );
        report.runs = runs;
      } catch (error) {
        if (options.runsFailure === 'throw') throw error;
        report.runsError = (error as Error).message;
      }
    }
    return report;
  }

  /** Re-reads HEAD and the branch: a refresh or a checkout may have moved them. */
  async reopenRepo(): Promise<RepoInfo> {
    this.repo = await openRepo(this.repo.root);
    return this.repo;
  }

  /** Any name a user can type (workspace, branch, tag, experiment, sha, HEAD~2, mlflow:<id>) to a Revision. */
  resolve(text: string): Promise<Revision> {
    return resolveRevisionText(storeOf(this), this.repo, text);
  }

  /** Resolves names, then indexes any named commit the index does not hold yet (one refresh for all). */
  async resolveIndexed(texts: string[], options: RefreshOptions = {}): Promise<Revision[]> {
    const revisions: Revision[] = [];
    for (const text of texts) revisions.push(await this.resolve(text));
    await this.ensureIndexed(revisions, options);
    return revisions;
  }

  /** Indexes the commits among `revisions` that the index does not hold yet (one refresh for all). */
  async ensureIndexed(revisions: readonly Revision[], options: RefreshOptions = {}): Promise<void> {
    const missing = revisions.flatMap((r) => ('sha' in r && !isIndexed(storeOf(this), r.sha) ? [r.sha] : []));
    if (missing.length > 0) await this.refresh({ ...options, extraTips: missing });
  }

  /** Whether a commit's files are in the index (a commit no ref reaches is indexed on demand). */
  isIndexed(revision: Revision): boolean {
    return !('sha' in revision) || isIndexed(storeOf(this), revision.sha);
  }

  /** Closes the index; a second close does nothing. */
  close(): void {
    unbindStore(this)?.close();
  }
}

/** A folder's repository facts without opening the index (the registry needs only Git). */
export function repositoryAt(folder: string): Promise<RepoInfo> {
  return openRepo(folder);
}

export type { RepoInfo, IndexProgress, IndexReport, RunSyncReport };

/** Opens a folder: its repository and its index. */
export function openWorkspace(folder: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  return Workspace.open(folder, options);
}
