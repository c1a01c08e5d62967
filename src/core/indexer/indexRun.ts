// The full index run: lists refs, walks and indexes new commits, replans the workspace and
// records what it read (freshness.ts), so the next refresh can skip all of it when nothing changed.
// Loaded on demand by indexer.ts: a refresh that finds the index current never loads this.

import { ObjectReader } from '../git/catFile';
import { runGit } from '../git/exec';
import { simpleGitAt } from '../git/simple';
import { listTree, walkCommits, type CommitMeta, type WalkedCommit } from '../git/history';
import { listRefs, type RefInfo } from '../git/refs';
import type { RepoInfo } from '../git/repo';
import type { Store } from '../store/store';
import { isCandidatePath } from '../util/paths';
import { notExcluded } from '../util/glob';
import { BlobFetcher } from './blobFetcher';
import { BlobRegistry } from './blobRegistry';
import { DvcCache } from './dvcCache';
import { TreeFiles, TreeState, WorkspaceFiles, walkWorkspace } from './fileSources';
import { buildRecord, FRESH_KEY, WatchedPaths, type FreshRecord } from './freshness';
import { PipelineCache } from './pipelineCache';
import { RevisionPlanner } from './planner';
import { WORKSPACE, writeRevision } from './writeRevision';
import { syncRefs } from './syncRefs';
import { emptyReport, IndexCancelled, type IndexOptions, type IndexReport } from './indexTypes';

export async function indexUnlocked(repo: RepoInfo, store: Store, options: IndexOptions): Promise<IndexReport> {
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
  const excludeKey = JSON.stringify(options.excludePaths ?? []);
  // A record describes the store as a whole run left it: none stands while this one writes.
  store.transaction(() => store.sql('DELETE FROM meta WHERE key = ?').run(FRESH_KEY));
  try {
    // Everything git lists is kept for the record (its status covers the same files); the
    // candidates among it are what the workspace revision reads.
    const everything = repo.gitDir
      ? runGit(repo.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).then((b) =>
          b
            .toString('utf8')
            .split('\0')
            .filter((p) => p),
        )
      : Promise.resolve(undefined);
    const listing = repo.gitDir ? everything.then((all) => all!.filter(keep)) : Promise.resolve(walkWorkspace(repo.root, keep));
    // GIT_OPTIONAL_LOCKS=0 (as for every other git call, exec.ts): status refreshes the index in
    // memory only. Writing it back would change the very file the freshness record stats, and
    // can collide with the user's own git commands over index.lock.
    const dirtyCount = repo.head
      ? simpleGitAt(repo.root)
          .env('GIT_OPTIONAL_LOCKS', '0')
          .status()
          .then((st) => st.files.length)
      : Promise.resolve(0);
    // Unobserved rejections would crash the process before they are awaited below.
    listing.catch(() => undefined);
    everything.catch(() => undefined);
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
      await indexCommits(repo, store, walked, { blobs, pipelines, planner, keep }, options, (n) => {
        report.commitsIndexed += n;
      });
      report.timings.commitsMs = Date.now() - t;
      report.refs = store.transaction(() => syncRefs(store, refs, repo));
    }
    const t = Date.now();
    options.onProgress?.({ phase: 'workspace', done: 0, total: 1 });
    const watched = new WatchedPaths();
    const files = new WorkspaceFiles(repo.root, await listing, workspaceBytes, included, watched);
    const plan = await planner.plan(files);
    const dirty = await dirtyCount;
    const meta: CommitMeta = {
      sha: WORKSPACE,
      parents: repo.head ? [repo.head] : [],
      authorName: '',
      authorEmail: '',
      authorTime: Math.floor(Date.now() / 1000),
      commitTime: Math.floor(Date.now() / 1000),
      subject: repo.head ? `Workspace (${dirty} uncommitted change${dirty === 1 ? '' : 's'})` : 'Workspace',
      body: '',
    };
    const previous = store.getMeta('exclude_paths');
    if (previous !== undefined && previous !== excludeKey) {
      report.limitations.push('The excluded paths changed since commits were indexed: rebuild the index to apply them to history.');
    }
    const record = await recordOf(
      repo,
      { started, excludeKey, listed: await everything, watched, workspaceFiles: plan.files.length },
      options.log,
    );
    store.transaction(() => {
      blobs.flush();
      pipelines.flush();
      writeRevision(store, blobs, pipelines, meta, plan, Date.now(), true);
      if (record) store.setMeta(FRESH_KEY, JSON.stringify(record));
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

/** What this run read, for the next refresh to compare (freshness.ts); undefined when it cannot be trusted. */
async function recordOf(
  repo: RepoInfo,
  run: { started: number; excludeKey: string; listed: string[] | undefined; watched: WatchedPaths; workspaceFiles: number },
  log?: (message: string) => void,
): Promise<FreshRecord | undefined> {
  if (!run.listed) return undefined;
  try {
    return await buildRecord({
      repo,
      ...run,
      listed: run.listed,
      checkIgnored: async (paths) => {
        const out = await runGit(repo.root, ['check-ignore', '-z', '--stdin'], { input: paths.join('\0') + '\0', allowExit: [1] });
        return new Set(out.toString('utf8').split('\0').filter(Boolean));
      },
    });
  } catch (error) {
    // The record only saves time: without one the next refresh is a full one.
    log?.(`freshness record skipped: ${(error as Error).message}`);
    return undefined;
  }
}

/** Commits reachable from the refs (and HEAD) that the store has not indexed yet. */
async function walkNew(
  repo: RepoInfo,
  store: Store,
  objects: ObjectReader,
  refs: RefInfo[],
  extraTips: string[],
  keep: (path: string) => boolean,
): Promise<WalkedCommit[]> {
  const tips = [...new Set([...refs.map((r) => r.sha), ...(repo.head ? [repo.head] : []), ...extraTips])];
  // Nothing new (a no-op run, or only deleted/moved-back refs): no git walk at all.
  const isIndexed = store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL');
  if (tips.every((sha) => isIndexed.get(sha))) return [];
  const known = store
    .sql(
      `SELECT DISTINCT ref.sha AS sha FROM ref JOIN revision ON revision.sha = ref.sha WHERE revision.indexed_at IS NOT NULL
                           UNION SELECT value FROM meta WHERE key = 'head' AND value != ''`,
    )
    .all() as { sha: string }[];
  // A stored tip that git no longer has (deleted and pruned) would make `git log ^sha` fail.
  const infos = await objects.info(known.map((k) => k.sha));
  const exclude = known.filter((_, i) => !('missing' in infos[i])).map((k) => k.sha);
  return walkCommits(repo.root, tips, exclude, keep);
}

interface Engine {
  blobs: BlobRegistry;
  pipelines: PipelineCache;
  planner: RevisionPlanner;
  keep: (path: string) => boolean;
}

async function indexCommits(
  repo: RepoInfo,
  store: Store,
  walked: WalkedCommit[],
  engine: Engine,
  options: IndexOptions,
  onWritten: (count: number) => void,
): Promise<void> {
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

async function stateOf(
  repo: RepoInfo,
  commit: WalkedCommit,
  states: Map<string, TreeState>,
  keep: (path: string) => boolean,
): Promise<TreeState> {
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
