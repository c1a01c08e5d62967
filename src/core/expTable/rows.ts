// Which rows the Experiments table has, in their default order, from the index alone: the
// workspace, commits (first-parent chains of the chosen branches, or every commit), tagged
// commits and commits with experiments, each commit followed by its DVC experiments and the
// MLflow/W&B runs made from it; runs whose commit is not a row come last, by group.

import type { Store } from '../store/store';
import { WORKSPACE } from '../indexer/writeRevision';
import { parseRegistryTag } from '../registry/tagGrammar';
import { hasRunTables } from '../runs/runQueries';
import type { RowKind, TableQuery } from './types';

export interface RowMeta {
  id: string;
  kind: RowKind;
  label: string;
  /** Every branch and tag name of a commit, the experiment's ref, the run's source and id. */
  refs: string[];
  parentId: string | null;
  depth: number;
  commit: string | null;
  created: number | null;
  message: string;
  state: string;
  /** An MLflow experiment or W&B project, for runs shown in their own group. */
  group: string | null;
  /** revision.id for the workspace, commits and experiments; undefined when not indexed. */
  revId?: number;
  /** ext_run.id for runs, and their kind ('mlflow' | 'wandb'). */
  runKey?: number;
  runKind?: string;
}

export interface HeadInfo {
  sha?: string;
  branch?: string;
}

export const DEFAULT_COMMITS_PER_BRANCH = 100;
/** Experiments with more commits than this are not looked into (DVC's checkpoints were the only ones). */
const MAX_EXP_DEPTH = 64;

interface RevRow {
  id: number;
  sha: string;
  commit_time: number | null;
  subject: string | null;
}

/** Names of a commit in the order DVC's describe picks one: the checked-out branch, tags (releases before registry tags), branches. */
function namesBySha(store: Store, head: HeadInfo): Map<string, string[]> {
  const refs = store.sql(`SELECT short, kind, sha FROM ref WHERE kind IN ('branch', 'tag') ORDER BY kind, short`).all() as {
    short: string;
    kind: 'branch' | 'tag';
    sha: string;
  }[];
  const rank = (r: { short: string; kind: string; sha: string }) =>
    r.kind === 'branch' && r.short === head.branch && r.sha === head.sha
      ? 0
      : r.kind === 'tag'
        ? parseRegistryTag(r.short) === null
          ? 1
          : 2
        : 3;
  const out = new Map<string, string[]>();
  for (const r of [...refs].sort((a, b) => rank(a) - rank(b) || (a.short < b.short ? -1 : a.short > b.short ? 1 : 0))) {
    const list = out.get(r.sha) ?? [];
    list.push(r.short);
    out.set(r.sha, list);
  }
  return out;
}

/** The commits of the first-parent chain from `sha`, newest first, at most `limit`. */
function chain(store: Store, sha: string, limit: number): RevRow[] {
  if (limit <= 0) return [];
  return store
    .sql(
      `WITH RECURSIVE c(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 < ?
    ) SELECT r.id, r.sha, r.commit_time, r.subject FROM c JOIN revision r ON r.sha = c.sha ORDER BY c.depth`,
    )
    .all(sha, limit) as RevRow[];
}

/** What a branch name (or tag, or full sha) given in the query points at, if the index knows it. */
function tipOf(store: Store, name: string): string | undefined {
  const ref = store
    .sql(`SELECT sha FROM ref WHERE (name = ? OR short = ?) AND kind IN ('branch', 'tag') ORDER BY kind = 'tag', name LIMIT 1`)
    .get(name, name) as { sha: string } | undefined;
  if (ref) return ref.sha;
  const rev = store.sql('SELECT sha FROM revision WHERE sha = ?').get(name.toLowerCase()) as { sha: string } | undefined;
  return rev?.sha;
}

interface ExpRow {
  name: string;
  ref: string;
  sha: string;
  baseline: string;
  id: number | null;
  commit_time: number | null;
  subject: string | null;
}

/**
 * Every commit that belongs to an experiment: its tip, and the commits below it down to its
 * baseline (exclusive) when the experiment has several. A chain that never reaches the
 * baseline (a rewritten history) counts its tip only.
 */
function experimentCommits(store: Store): Set<string> {
  const rows = store
    .sql(
      `WITH RECURSIVE x(ref, sha, baseline, depth) AS (
      SELECT name, sha, baseline, 0 FROM ref WHERE kind = 'exp'
      UNION ALL
      SELECT x.ref, r.first_parent, x.baseline, x.depth + 1 FROM x JOIN revision r ON r.sha = x.sha
        WHERE r.first_parent IS NOT NULL AND r.first_parent != x.baseline AND x.depth < ${MAX_EXP_DEPTH}
    ) SELECT x.ref, x.sha, x.depth, (SELECT first_parent FROM revision WHERE sha = x.sha) = x.baseline AS ends FROM x ORDER BY x.ref, x.depth`,
    )
    .all() as { ref: string; sha: string; depth: number; ends: number | null }[];
  const byRef = new Map<string, { shas: string[]; ends: boolean }>();
  for (const r of rows) {
    const e = byRef.get(r.ref) ?? { shas: [], ends: false };
    e.shas.push(r.sha);
    if (r.ends) e.ends = true;
    byRef.set(r.ref, e);
  }
  const out = new Set<string>();
  for (const e of byRef.values()) for (const sha of e.ends ? e.shas : e.shas.slice(0, 1)) out.add(sha);
  return out;
}

interface RunRowLite {
  id: number;
  kind: string;
  run_id: string;
  name: string | null;
  status: string;
  start_time: number | null;
  git_commit: string | null;
  experiment: string | null;
}

/** The rows a query asks for, in their default order (see the file comment). */
export function buildRows(store: Store, head: HeadInfo, query: TableQuery): RowMeta[] {
  const names = namesBySha(store, head);
  const commits = new Map<string, RevRow>();
  const add = (r: RevRow) => {
    if (r.sha !== WORKSPACE && !commits.has(r.sha)) commits.set(r.sha, r);
  };
  if (query.allCommits) {
    const expShas = experimentCommits(store);
    for (const r of store.sql(`SELECT id, sha, commit_time, subject FROM revision WHERE sha != ?`).all(WORKSPACE) as RevRow[])
      if (!expShas.has(r.sha)) add(r);
  } else {
    const perBranch = query.commitsPerBranch ?? DEFAULT_COMMITS_PER_BRANCH;
    const branches = query.branches ?? (head.branch ? [head.branch] : head.sha ? [head.sha] : []);
    for (const b of branches) {
      const tip = tipOf(store, b);
      if (tip) for (const r of chain(store, tip, perBranch < 0 ? Number.MAX_SAFE_INTEGER : perBranch)) add(r);
    }
    const extra = (sql: string) => {
      for (const r of store.sql(sql).all() as RevRow[]) add(r);
    };
    if (query.tags !== false)
      extra(`SELECT DISTINCT r.id, r.sha, r.commit_time, r.subject FROM ref JOIN revision r ON r.sha = ref.sha WHERE ref.kind = 'tag'`);
    if (query.allBaselines !== false)
      extra(
        `SELECT DISTINCT r.id, r.sha, r.commit_time, r.subject FROM ref JOIN revision r ON r.sha = ref.baseline WHERE ref.kind = 'exp'`,
      );
  }
  // Newest first; commits made in the same second by sha, so the order never depends on the walk.
  const top = [...commits.values()].sort(
    (a, b) => (b.commit_time ?? 0) - (a.commit_time ?? 0) || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0),
  );

  // DVC's order under a baseline: newest tip first, ties by sha, descending (collect.py _sorted_ranges).
  const exps = (
    store
      .sql(
        `SELECT ref.short AS name, ref.name AS ref, ref.sha, ref.baseline, r.id, r.commit_time, r.subject
      FROM ref LEFT JOIN revision r ON r.sha = ref.sha WHERE ref.kind = 'exp'
      ORDER BY r.commit_time IS NULL, r.commit_time DESC, ref.sha DESC, ref.short`,
      )
      .all() as ExpRow[]
  ).filter((e) => commits.has(e.baseline));
  const expsOf = new Map<string, ExpRow[]>();
  for (const e of exps) {
    const list = expsOf.get(e.baseline);
    if (list) list.push(e);
    else expsOf.set(e.baseline, [e]);
  }

  const runsOf = new Map<string, RowMeta[]>();
  const loose: RowMeta[] = [];
  if (query.runs !== false && hasRunTables(store)) {
    const seen = new Set<string>();
    const runs = store
      .sql(
        `SELECT id, kind, run_id, name, status, start_time, git_commit, experiment FROM ext_run
        ORDER BY start_time IS NULL, start_time DESC, kind, run_id, location`,
      )
      .all() as RunRowLite[];
    // An abbreviated commit (7+ hex) links to the row whose sha starts with it: found by
    // binary search in the sorted shas, not by a scan per run.
    let sorted: string[] | undefined;
    const linkOf = (commit: string | null): string | null => {
      if (!commit || commit.length < 7 || !/^[0-9a-f]+$/.test(commit)) return null;
      if (commit.length === 40) return commits.has(commit) ? commit : null;
      sorted ??= [...commits.keys()].sort();
      let lo = 0;
      for (let hi = sorted.length; lo < hi;) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < commit) lo = mid + 1;
        else hi = mid;
      }
      return sorted[lo]?.startsWith(commit) ? sorted[lo] : null;
    };
    for (const r of runs) {
      const id = `${r.kind}:${r.run_id}`;
      // One run read from two sources (a local copy and the server) is one row.
      if (seen.has(id)) continue;
      seen.add(id);
      const parent = linkOf(r.git_commit);
      const row: RowMeta = {
        id,
        kind: 'run',
        label: r.name || r.run_id.slice(0, 8),
        refs: [id],
        parentId: parent,
        depth: parent ? 1 : 0,
        commit: parent ?? (r.git_commit || null),
        created: r.start_time,
        message: '',
        state: r.status.toUpperCase(),
        group: parent ? null : `${r.kind === 'mlflow' ? 'MLflow' : 'W&B'}: ${r.experiment ?? '(no experiment)'}`,
        runKey: r.id,
        runKind: r.kind,
      };
      if (!parent) loose.push(row);
      else if (runsOf.has(parent)) runsOf.get(parent)!.push(row);
      else runsOf.set(parent, [row]);
    }
  }

  const rows: RowMeta[] = [];
  const ws = store.sql('SELECT id, subject FROM revision WHERE sha = ?').get(WORKSPACE) as
    { id: number; subject: string | null } | undefined;
  if (ws)
    rows.push({
      id: WORKSPACE,
      kind: 'workspace',
      label: WORKSPACE,
      refs: [],
      parentId: null,
      depth: 0,
      commit: null,
      created: null,
      message: ws.subject ?? '',
      state: '',
      group: null,
      revId: ws.id,
    });
  const placed = new Set<string>(rows.map((r) => r.id));
  for (const c of top) {
    // A commit placed already as an experiment of a newer baseline keeps that place.
    if (placed.has(c.sha)) continue;
    const refs = names.get(c.sha) ?? [];
    rows.push({
      id: c.sha,
      kind: 'commit',
      label: refs[0] ?? c.sha.slice(0, 7),
      refs,
      parentId: null,
      depth: 0,
      commit: c.sha,
      created: c.commit_time === null ? null : c.commit_time * 1000,
      message: c.subject ?? '',
      state: '',
      group: null,
      revId: c.id,
    });
    placed.add(c.sha);
    for (const e of expsOf.get(c.sha) ?? []) {
      // An experiment whose commit is also a row of its own (a branch was made from it) is that row.
      if (placed.has(e.sha)) continue;
      placed.add(e.sha);
      rows.push({
        id: e.sha,
        kind: 'experiment',
        label: e.name,
        refs: [e.ref],
        parentId: c.sha,
        depth: 1,
        commit: e.sha,
        created: e.commit_time === null ? null : e.commit_time * 1000,
        message: e.subject ?? '',
        state: '',
        group: null,
        revId: e.id ?? undefined,
      });
    }
    for (const r of runsOf.get(c.sha) ?? []) rows.push(r);
  }
  // Runs in their own group: by group, newest first within one.
  loose.sort((a, b) => (a.group! < b.group! ? -1 : a.group! > b.group! ? 1 : 0));
  rows.push(...loose);
  return rows;
}
