import { ObjectReader } from '../git/catFile';
import { runGit } from '../git/exec';
import { simpleGitAt } from '../git/simple';
import { listTree, walkCommits, type CommitMeta, type WalkedCommit } from '../git/history';
import { listRefs, type RefInfo } from '../git/refs';
import type { RepoInfo } from '../git/repo';
import type { Store } from '../store/store';
import { isCandidatePath } from '../util/paths';
import { notExcluded } from '../util/glob';
import { waitForOwnerLock } from '../util/ownerLock';
import { BlobFetcher } from './blobFetcher';
import { BlobRegistry } from './blobRegistry';
import { DvcCache } from './dvcCache';
import { TreeFiles, TreeState, WorkspaceFiles, walkWorkspace } from './fileSources';
import { PipelineCache } from './pipelineCache';
import { RevisionPlanner } from './planner';
import { WORKSPACE, writeRevision } from './writeRevision';
import { syncRefs, type RefChanges } from './syncRefs';

export interface IndexProgress { phase: 'refs' | 'history' | 'commits' | 'workspace' | 'done'; done: number; total: number }

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

/**
 * Brings the store up to date with the repository: new commits, moved refs, the workspace.
 * One indexer per store at a time (the editor and a terminal share it): a second one waits.
 */
export async function indexRepository(repo: RepoInfo, store: Store, options: IndexOptions = {}): Promise<IndexReport> {
  if (store.file === ':memory:') return indexUnlocked(repo, store, options);
  let lock;
  try {
    lock = await waitForOwnerLock(`${store.file}.indexing.lock`, (holder) => options.onWaitForIndexer?.(holder.pid), { signal: options.signal });
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

function emptyReport(repo: RepoInfo): IndexReport {
  return {
    commitsWalked: 0, commitsIndexed: 0, refs: { added: 0, moved: 0, removed: 0 }, blobsParsed: 0, workspaceFiles: 0, cancelled: false,
    limitations: [...repo.limitations], timings: { refsMs: 0, historyMs: 0, commitsMs: 0, workspaceMs: 0, totalMs: 0 },
  };
}

async function indexUnlocked(repo: RepoInfo, store: Store, options: IndexOptions): Promise<IndexReport> {
  const started = Date.now();
  const objects = repo.gitDir ? new ObjectReader(repo.root) : undefined;
  const cache = new DvcCache(repo.root);
  const workspaceBytes = new Map<string, Buffer>();
  const blobs = new BlobRegistry(store, new BlobFetcher(objects, cache, workspaceBytes));
  const pipelines = new PipelineCache(store);
  const planner = new RevisionPlanner(blobs, cache, pipelines);
  const included = notExcluded(options.excludePaths);
  const keep = (path: string) => isCandidatePath(path) && included(path);
  const report = emptyReport(repo);
  try {
    const listing = repo.gitDir
      ? runGit(repo.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).then((b) => b.toString('utf8').split('\0').filter((p) => p && keep(p)))
      : Promise.resolve(walkWorkspace(repo.root, keep));
    const dirtyCount = repo.head ? simpleGitAt(repo.root).status().then((st) => st.files.length) : Promise.resolve(0);
    // Unobserved rejections would crash the process before they are awaited below.
    listing.catch(() => undefined);
    dirtyCount.catch(() => undefined);
    let refs: RefInfo[] = [];
    if (repo.gitDir) {
      let t = Date.now();
      options.onProgress?.({ phase: 'refs', done: 0, total: 0 });
      refs = await listRefs(repo.root);
      report.timings.refsMs = Date.now() - t;
      t = Date.now();
      const walked = await walkNew(repo, store, objects!, refs, options.extraTips ?? [], keep);
      report.timings.historyMs = Date.now() - t;
      report.commitsWalked = walked.length;
      t = Date.now();
      await indexCommits(repo, store, walked, { blobs, pipelines, planner, keep }, options, (n) => { report.commitsIndexed += n; });
      report.timings.commitsMs = Date.now() - t;
      report.refs = store.transaction(() => syncRefs(store, refs, repo));
    }
    const t = Date.now();
    options.onProgress?.({ phase: 'workspace', done: 0, total: 1 });
    const files = new WorkspaceFiles(repo.root, await listing, workspaceBytes, included);
    const plan = await planner.plan(files);
    const dirty = await dirtyCount;
    const meta: CommitMeta = {
      sha: WORKSPACE, parents: repo.head ? [repo.head] : [], authorName: '', authorEmail: '', authorTime: Math.floor(Date.now() / 1000),
      commitTime: Math.floor(Date.now() / 1000), subject: repo.head ? `Workspace (${dirty} uncommitted change${dirty === 1 ? '' : 's'})` : 'Workspace', body: '',
    };
    const excludeKey = JSON.stringify(options.excludePaths ?? []);
    const previous = store.getMeta('exclude_paths');
    if (previous !== undefined && previous !== excludeKey) {
      report.limitations.push('The excluded paths changed since commits were indexed: rebuild the index to apply them to history.');
    }
    store.transaction(() => {
      blobs.flush();
      pipelines.flush();
      writeRevision(store, blobs, pipelines, meta, plan, Date.now(), true);
      store.setMeta('exclude_paths', excludeKey);
      store.setMeta('head', repo.head ?? '');
      store.setMeta('branch', repo.branch ?? '');
      store.setMeta('indexed_at', String(Date.now()));
    });
    report.workspaceFiles = plan.files.length;
    report.timings.workspaceMs = Date.now() - t;
  } catch (error) {
    if (!(error instanceof IndexCancelled)) throw error;
    report.cancelled = true;
  } finally {
    objects?.close();
  }
  report.blobsParsed = blobs.parsedCount;
  report.timings.totalMs = Date.now() - started;
  options.onProgress?.({ phase: 'done', done: report.commitsIndexed, total: report.commitsIndexed });
  return report;
}

/** Commits reachable from the refs (and HEAD) that the store has not indexed yet. */
async function walkNew(repo: RepoInfo, store: Store, objects: ObjectReader, refs: RefInfo[], extraTips: string[], keep: (path: string) => boolean): Promise<WalkedCommit[]> {
  const tips = [...new Set([...refs.map((r) => r.sha), ...(repo.head ? [repo.head] : []), ...extraTips])];
  // Nothing new (a no-op run, or only deleted/moved-back refs): no git walk at all.
  const isIndexed = store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL');
  if (tips.every((sha) => isIndexed.get(sha))) return [];
  const known = store.sql(`SELECT DISTINCT ref.sha AS sha FROM ref JOIN revision ON revision.sha = ref.sha WHERE revision.indexed_at IS NOT NULL
                           UNION SELECT value FROM meta WHERE key = 'head' AND value != ''`).all() as { sha: string }[];
  // A stored tip that git no longer has (deleted and pruned) would make `git log ^sha` fail.
  const infos = await objects.info(known.map((k) => k.sha));
  const exclude = known.filter((_, i) => !('missing' in infos[i])).map((k) => k.sha);
  return walkCommits(repo.root, tips, exclude, keep);
}

interface Engine { blobs: BlobRegistry; pipelines: PipelineCache; planner: RevisionPlanner; keep: (path: string) => boolean }

async function indexCommits(repo: RepoInfo, store: Store, walked: WalkedCommit[], engine: Engine, options: IndexOptions, onWritten: (count: number) => void): Promise<void> {
  const batchSize = options.batchSize ?? 200;
  // Only the walked commits can matter; a resumed run finds the ones a killed run wrote.
  const indexed = new Set<string>();
  const isIndexed = store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL');
  for (const c of walked) if (isIndexed.get(c.sha)) indexed.add(c.sha);
  const states = new Map<string, TreeState>();
  const children = new Map<string, number>();
  for (const c of walked) for (const p of c.parents.slice(0, 1)) children.set(p, (children.get(p) ?? 0) + 1);
  let done = 0;
  for (let start = 0; start < walked.length; start += batchSize) {
    if (options.signal?.aborted) throw new IndexCancelled();
    const batch = walked.slice(start, start + batchSize);
    const work: { commit: WalkedCommit; state: TreeState }[] = [];
    for (const commit of batch) {
      const state = await stateOf(repo, commit, states, engine.keep);
      states.set(commit.sha, state);
      const parent = commit.parents[0];
      if (parent !== undefined) {
        const left = (children.get(parent) ?? 1) - 1;
        children.set(parent, left);
        if (left <= 0) states.delete(parent);
      }
      if (!indexed.has(commit.sha)) work.push({ commit, state });
    }
    const plans = await Promise.all(work.map((w) => engine.planner.plan(new TreeFiles(w.state))));
    store.transaction(() => {
      engine.blobs.flush();
      engine.pipelines.flush();
      const now = Date.now();
      work.forEach((w, i) => writeRevision(store, engine.blobs, engine.pipelines, w.commit, plans[i], now, false));
    });
    for (const w of work) indexed.add(w.commit.sha);
    onWritten(work.length);
    done += batch.length;
    options.onProgress?.({ phase: 'commits', done, total: walked.length });
    options.log?.(`indexed ${done}/${walked.length} commits`);
  }
}

async function stateOf(repo: RepoInfo, commit: WalkedCommit, states: Map<string, TreeState>, keep: (path: string) => boolean): Promise<TreeState> {
  const parent = commit.parents[0];
  let base = parent === undefined ? TreeState.of([]) : states.get(parent);
  if (!base) {
    // The parent was indexed in an earlier run (or lies past a shallow boundary): read its tree once.
    try {
      base = TreeState.of((await listTree(repo.root, parent!, keep)).map((e) => [e.path, { oid: e.oid!, mode: e.mode! }]));
    } catch {
      base = TreeState.of([]);
    }
    states.set(parent!, base);
  }
  return base.child(commit.changes);
}
