// The rows `dvc exp show` collects (dvc/repo/experiments/collect.py) from the index: which
// baselines its flags pick (dvc/scm.py iter_revs: --rev with -n first parents, -a, -T, -A),
// the workspace, each baseline with its experiments, and each row's stage dependencies with
// the hashes dvc.lock recorded (DVC's `deps`). Values are loaded as DVC loads them
// (query/dvcData), read ahead in one pass for all the rows.

import { posix } from 'node:path';
import type { Store } from '../store/store';
import type { RepoInfo } from '../git/repo';
import { brancherRevisions } from '../git/brancher';
import { DvcDataReader } from '../query/dvcData';
import { expShowRows, type ExpState, type RevisionLookup } from '../query/expShow';
import { getRevision, listExperiments, type Experiment } from '../query/revisions';
import { problemsAt, problemsAtMany } from '../query/values';
import { WORKSPACE } from '../indexer/writeRevision';
import { pipelinesAt, pipelinesAtMany } from '../query/history';
import { revisionProblem } from '../query/dvcErrors';
import { parseRegistryTag } from '../registry/tagGrammar';
import { decodePayload } from '../util/values';
import type { LockFile } from '../formats/dvcLock';
import type { PipelineDef } from '../formats/dvcYaml';
import type { DepHashes } from './dvcTable';

export interface DvcShowSelection {
  /** --rev: baseline commits (full shas, resolved by the caller); HEAD when nothing else is asked. */
  revs?: string[];
  /** -n: each --rev and its first parents, this many in all; negative: all of them. Default 1. */
  num?: number;
  allBranches?: boolean;
  allTags?: boolean;
  /** -A: every commit reachable from HEAD, branches, remotes and tags (overrides --rev and -n). */
  allCommits?: boolean;
  hideWorkspace?: boolean;
  /** --sha: baselines named by sha, never by branch or tag. */
  sha?: boolean;
}

export interface DvcShowData {
  states: ExpState[];
  deps: DepHashes;
}

/** The first parents of `sha`, itself first, `num` in all (negative: to the root). */
function firstParents(store: Store, sha: string, num: number): string[] {
  const limit = num < 0 ? Number.MAX_SAFE_INTEGER : num;
  const rows = store
    .sql(
      `WITH RECURSIVE c(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 < ?
    ) SELECT sha FROM c ORDER BY depth`,
    )
    .all(sha, limit) as { sha: string }[];
  return rows.map((r) => r.sha);
}

/**
 * DVC's describe (experiments/utils.py): the checked-out branch for HEAD, else a tag, else a
 * branch. Where several tags name a commit DVC takes the first its unordered ref listing
 * gives, so any of them is its answer; this takes release tags before GTO's registry tags,
 * each by name (as query/expShow baselineName does, for all the baselines at once).
 */
export function describeRevisions(
  store: Store,
  shas: readonly string[],
  head: { sha?: string; branch?: string },
): Map<string, string | null> {
  const refs = store.sql(`SELECT name, short, kind, sha FROM ref WHERE kind IN ('branch', 'tag') ORDER BY kind, name`).all() as {
    name: string;
    short: string;
    kind: string;
    sha: string;
  }[];
  const tags = new Map<string, string>();
  const branches = new Map<string, string>();
  const ordered = [...refs].sort(
    (a, b) =>
      Number(a.kind === 'tag' && parseRegistryTag(a.short) !== null) - Number(b.kind === 'tag' && parseRegistryTag(b.short) !== null),
  );
  for (const r of ordered) {
    const into = r.kind === 'tag' ? tags : branches;
    if (!into.has(r.sha)) into.set(r.sha, r.short);
  }
  const out = new Map<string, string | null>();
  for (const sha of shas) out.set(sha, sha === head.sha && head.branch ? head.branch : (tags.get(sha) ?? branches.get(sha) ?? null));
  return out;
}

/** The baselines the flags pick, in DVC's order, each once. */
export async function selectBaselines(store: Store, repo: RepoInfo, selection: DvcShowSelection): Promise<string[]> {
  if (!repo.head) return [];
  const sets = { allBranches: selection.allBranches, allTags: selection.allTags, allCommits: selection.allCommits };
  const revs = selection.revs ?? (sets.allBranches || sets.allTags || sets.allCommits ? [] : [repo.head]);
  const num = selection.num ?? 1;
  const out: string[] = [];
  for (const rev of revs) if (num !== 0) out.push(...firstParents(store, rev, num));
  out.push(...(await brancherRevisions(repo, [], sets)).map((r) => r.sha));
  return [...new Set(out)];
}

type LockRow = { project: string; id: number; payload: string | null };

/** The dvc.lock files of revisions, one query for all of them (sha -> rows; every sha given has an entry). */
function lockRowsOf(store: Store, shas: readonly string[]): Map<string, LockRow[]> {
  const out = new Map(shas.map((sha) => [sha, [] as LockRow[]]));
  const rows = store
    .sql(
      `SELECT r.sha, rf.project, b.id, b.payload FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha IN (SELECT value FROM json_each(?)) AND rf.role = 'lock' AND rf.status = 'ok' AND b.status = 'ok'`,
    )
    .all(JSON.stringify(shas)) as (LockRow & { sha: string })[];
  for (const r of rows) out.get(r.sha)?.push(r);
  return out;
}

/** What dvc.lock recorded for each stage dependency of a revision (repository path -> hash). */
export function depHashesAt(
  store: Store,
  sha: string,
  pipelines: { project: string; def: PipelineDef }[] = pipelinesAt(store, sha),
  locks = new Map<number, LockFile>(),
  rows: LockRow[] = lockRowsOf(store, [sha]).get(sha)!,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (pipelines.length === 0) return out;
  const lockOf = new Map<string, LockFile>();
  for (const r of rows) {
    if (!r.payload) continue;
    let lock = locks.get(r.id);
    if (!lock) locks.set(r.id, (lock = decodePayload<LockFile>(r.payload)));
    lockOf.set(r.project, lock);
  }
  for (const { project, def } of pipelines) {
    const lock = lockOf.get(project);
    for (const stage of def.stages) {
      const locked = lock?.stages[stage.name];
      for (const dep of stage.deps) {
        // Remote dependencies (URLs) are left out: DVC names them by a path relative to where it runs.
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dep.path)) continue;
        const path = posix.normalize(posix.join(project || '.', dep.projectPath));
        const entry = locked?.deps.find((d) => d.path === dep.path);
        out.set(path, entry?.md5 ?? entry?.etag ?? entry?.checksum ?? null);
      }
    }
  }
  return out;
}

/** The rows of `dvc exp show` for a selection, and each row's dependency hashes. */
export async function dvcShowData(store: Store, repo: RepoInfo, selection: DvcShowSelection): Promise<DvcShowData> {
  // An empty repository: DVC shows nothing, not even the workspace.
  if (!repo.head) return { states: [], deps: new Map() };
  const baselines = await selectBaselines(store, repo, selection);
  const names = selection.sha
    ? new Map<string, string | null>()
    : describeRevisions(store, baselines, { sha: repo.head, branch: repo.branch });
  // What the rows need of the index, read for all of them in a few queries (a table of every
  // commit has thousands of rows); a revision not read ahead (a commit inside a multi-commit
  // experiment) is read on its own.
  const experiments = new Map<string, Experiment[]>();
  for (const e of listExperiments(store)) {
    const list = experiments.get(e.baseline);
    if (list) list.push(e);
    else experiments.set(e.baseline, [e]);
  }
  const shas = [...new Set([WORKSPACE, ...baselines, ...baselines.flatMap((b) => (experiments.get(b) ?? []).map((e) => e.sha))])];
  const parsed = new Map<number, PipelineDef>();
  const pipelines = pipelinesAtMany(store, shas, parsed);
  const pipelinesOf = (sha: string) => {
    let p = pipelines.get(sha);
    if (!p) pipelines.set(sha, (p = pipelinesAt(store, sha, parsed)));
    return p;
  };
  const problems = problemsAtMany(store, shas);
  const times = new Map(
    (
      store.sql('SELECT sha, commit_time FROM revision WHERE sha IN (SELECT value FROM json_each(?))').all(JSON.stringify(shas)) as {
        sha: string;
        commit_time: number | null;
      }[]
    ).map((r) => [r.sha, r.commit_time ?? undefined]),
  );
  const lookup: RevisionLookup = {
    problemOf: (sha) => revisionProblem(store, sha, pipelinesOf(sha), problems.get(sha) ?? problemsAt(store, sha)),
    timeOf: (sha) => (times.has(sha) ? times.get(sha) : getRevision(store, sha)?.commitTime),
    experimentsOf: (baseline) => experiments.get(baseline) ?? [],
  };
  const reader = new DvcDataReader(store, repo);
  let states: ExpState[];
  try {
    await reader.prefetch(shas);
    states = await expShowRows(
      store,
      baselines.map((sha) => ({ sha, name: names.get(sha) ?? null })),
      async (sha, kind) => (await reader.at(sha, kind)).files,
      lookup,
    );
  } finally {
    reader.close();
  }
  if (selection.hideWorkspace) states = states.slice(1);
  const deps: DepHashes = new Map();
  const locks = new Map<number, LockFile>();
  const lockRows = lockRowsOf(store, shas);
  const visit = (s: ExpState) => {
    if (s.data && !deps.has(s.rev))
      deps.set(s.rev, depHashesAt(store, s.rev, pipelinesOf(s.rev), locks, lockRows.get(s.rev) ?? lockRowsOf(store, [s.rev]).get(s.rev)!));
    for (const e of s.experiments ?? []) e.revs.forEach(visit);
  };
  states.forEach(visit);
  return { states, deps };
}
