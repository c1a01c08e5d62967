import type { Store } from '../store/store';
import type { FlatValue } from '../data/types';
import { decodeValue } from '../util/values';
import { WORKSPACE } from '../indexer/writeRevision';
import { pipelinesAt } from './history';
import { getRevision, listExperiments } from './revisions';

/** How a run looks at a glance: its metrics files changed against the parent, or one failed to parse. */
export type RunState = 'normal' | 'changed' | 'failed';

export interface RunSummary {
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  authorTime: number;
  /** The headline metric here, when some metrics file has it. */
  value?: FlatValue;
  /** value minus the reference's value (the parent for commits, the baseline for experiments and refs). */
  delta?: number;
  state: RunState;
  /** Metrics/params/pipeline files that failed to parse at this revision. */
  parseErrors: number;
  hasPipeline: boolean;
}

export interface CommitPage {
  commits: RunSummary[];
  hasMore: boolean;
}

// Keys that usually name a model's quality, in order of preference; counters like `step` or
// `epoch` are never a good headline.
const PREFERRED = [/(^|[._/])(acc|accuracy)$/i, /(^|[._/])(f1|auc|roc_auc|map|r2|score)$/i, /(^|[._/])(loss|rmse|mae|error)$/i];
const NOT_HEADLINE = /(^|[._/])(step|steps|epoch|epochs|timestamp|time|n_samples|count)$/i;

/**
 * The metric a tree shows by default: a quality-like key (accuracy, f1, auc, loss...) from the
 * revision's metrics, else its first numeric key that is not a counter, else the same anywhere
 * in the index.
 */
export function firstMetricKey(store: Store, sha?: string): string | undefined {
  const q = `SELECT DISTINCT bv.key FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob_value bv ON bv.blob_id = rf.blob_id
    WHERE rf.role = 'metrics' AND rf.status = 'ok' AND (? IS NULL OR r.sha = ?) AND bv.num IS NOT NULL ORDER BY rf.path, bv.key LIMIT 500`;
  const pick = (keys: string[]) => {
    for (const pattern of PREFERRED) {
      const hit = keys.find((k) => pattern.test(k));
      if (hit) return hit;
    }
    return keys.find((k) => !NOT_HEADLINE.test(k)) ?? keys[0];
  };
  const at = sha ? pick((store.sql(q).all(sha, sha) as { key: string }[]).map((r) => r.key)) : undefined;
  return at ?? pick((store.sql(q).all(null, null) as { key: string }[]).map((r) => r.key));
}

/** The headline metric at a revision: the first metrics file (by path) that has the key. */
export function headlineValue(store: Store, sha: string, key: string): FlatValue | undefined {
  const row = store
    .sql(
      `SELECT bv.value FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob_value bv ON bv.blob_id = rf.blob_id AND bv.key = ?
      WHERE r.sha = ? AND rf.role = 'metrics' AND rf.status = 'ok' ORDER BY rf.path LIMIT 1`,
    )
    .get(key, sha) as { value: string } | undefined;
  return row ? decodeValue(row.value) : undefined;
}

export function numericDelta(value: FlatValue | undefined, reference: FlatValue | undefined): number | undefined {
  return typeof value === 'number' && typeof reference === 'number' ? value - reference : undefined;
}

/** A fingerprint of a revision's metrics files (path and blob), to tell whether they changed. */
function metricsFingerprint(store: Store, sha: string): string | undefined {
  const row = store
    .sql(
      `SELECT group_concat(path || ':' || IFNULL(blob_id, status), '|') AS f FROM (
      SELECT rf.path, rf.blob_id, rf.status FROM revision r JOIN revision_file rf ON rf.rev_id = r.id WHERE r.sha = ? AND rf.role = 'metrics' ORDER BY rf.path)`,
    )
    .get(sha) as { f: string | null } | undefined;
  return row?.f ?? undefined;
}

function parseErrors(store: Store, sha: string): number {
  const files = store
    .sql(
      `SELECT COUNT(*) AS n FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND b.status = 'error'`,
    )
    .get(sha) as { n: number };
  const pipelines = store
    .sql(
      `SELECT COUNT(*) AS n FROM revision r JOIN revision_pipeline rp ON rp.rev_id = r.id JOIN pipeline p ON p.id = rp.pipeline_id
      WHERE r.sha = ? AND p.def LIKE '%"errors":[{%'`,
    )
    .get(sha) as { n: number };
  return files.n + pipelines.n;
}

function hasPipeline(store: Store, sha: string): boolean {
  return Boolean(store.sql('SELECT 1 FROM revision r JOIN revision_pipeline rp ON rp.rev_id = r.id WHERE r.sha = ? LIMIT 1').get(sha));
}

/** One revision summarised against a reference revision (parent or baseline); undefined if not indexed. */
export function summarize(store: Store, sha: string, key: string | undefined, reference: string | undefined): RunSummary | undefined {
  const rev = getRevision(store, sha);
  if (!rev) return undefined;
  const value = key ? headlineValue(store, sha, key) : undefined;
  const refValue = key && reference ? headlineValue(store, reference, key) : undefined;
  const errors = parseErrors(store, sha);
  const mine = metricsFingerprint(store, sha);
  const changed = reference !== undefined && mine !== metricsFingerprint(store, reference);
  return {
    sha,
    subject: rev.subject ?? '',
    authorName: rev.authorName ?? '',
    authorEmail: rev.authorEmail ?? '',
    authorTime: rev.authorTime ?? 0,
    value,
    delta: numericDelta(value, refValue),
    state: errors > 0 ? 'failed' : changed ? 'changed' : 'normal',
    parseErrors: errors,
    hasPipeline: hasPipeline(store, sha),
  };
}

/**
 * One page of a branch's first-parent history, newest first, each commit against its first
 * parent. Only offset + limit + 1 chain steps are walked, so page one of a 10,000-commit
 * branch costs the same as on a small one.
 */
export function commitPage(store: Store, tip: string, key: string | undefined, offset: number, limit: number): CommitPage {
  const rows = store
    .sql(
      `WITH RECURSIVE chain(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM chain c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 <= ?
    ) SELECT c.sha FROM chain c JOIN revision r ON r.sha = c.sha WHERE c.depth >= ? ORDER BY c.depth`,
    )
    .all(tip, offset + limit, offset) as { sha: string }[];
  const shas = rows.map((r) => r.sha);
  const commits: RunSummary[] = [];
  for (let i = 0; i < Math.min(limit, shas.length); i++) {
    const parent = getRevision(store, shas[i])?.parents[0];
    const summary = summarize(store, shas[i], key, parent && getRevision(store, parent) ? parent : undefined);
    if (summary) commits.push(summary);
  }
  return { commits, hasMore: shas.length > limit };
}

export interface ExperimentRun extends RunSummary {
  name: string;
  ref: string;
}

/** DVC experiments run from a baseline commit, each against that baseline. */
export function experimentRuns(store: Store, baseline: string, key: string | undefined): ExperimentRun[] {
  const runs: ExperimentRun[] = [];
  for (const exp of listExperiments(store, baseline)) {
    const summary = summarize(store, exp.sha, key, baseline);
    if (summary) runs.push({ ...summary, name: exp.name, ref: exp.ref });
  }
  return runs;
}

/** Baseline commits that have experiments, so a tree knows which commits expand. */
export function baselinesWithExperiments(store: Store): Set<string> {
  return new Set(
    (store.sql(`SELECT DISTINCT baseline FROM ref WHERE kind = 'exp' AND baseline IS NOT NULL`).all() as { baseline: string }[]).map(
      (r) => r.baseline,
    ),
  );
}

export interface StageRow {
  project: string;
  name: string;
  cmd: string;
  deps: string[];
  outs: string[];
}

/** The stages of every dvc.yaml project at a revision, in file order. */
export function stagesAt(store: Store, sha: string): StageRow[] {
  return pipelinesAt(store, sha).flatMap(({ project, def }) =>
    def.stages.map((s) => ({
      project,
      name: s.name,
      cmd: Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd,
      deps: s.deps.map((d) => d.projectPath),
      outs: s.outs.map((o) => o.projectPath),
    })),
  );
}

/** The repository's usual baseline: main, else master, else the only branch; undefined otherwise. */
export function defaultBaselineBranch(store: Store): string | undefined {
  const branches = (store.sql(`SELECT short FROM ref WHERE kind = 'branch' ORDER BY short`).all() as { short: string }[]).map(
    (r) => r.short,
  );
  for (const name of ['main', 'master', 'trunk', 'develop']) if (branches.includes(name)) return name;
  return branches.length === 1 ? branches[0] : undefined;
}

/** The workspace pseudo-revision against HEAD (whether uncommitted metrics differ). */
export function workspaceSummary(store: Store, key: string | undefined): RunSummary | undefined {
  const head = store.getMeta('head') || undefined;
  return summarize(store, WORKSPACE, key, head);
}
