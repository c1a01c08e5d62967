/**
 * `dvc exp show --json` rows (dvc/repo/experiments/collect.py, serialize.py) built from the
 * index: the workspace, then each baseline commit with its experiments, each row with its
 * params and metrics per file, or an error where DVC has one. DVC's `deps`, `outs` and
 * `meta` are not produced.
 */
import type { Store } from '../store/store';
import { WORKSPACE } from '../indexer/writeRevision';
import { revisionProblem, type DvcError } from './dvcErrors';
import { getRevision, listExperiments, listRefRows, type Experiment } from './revisions';
import { parseRegistryTag } from '../registry/tagGrammar';

export type FileResult = { data: unknown } | { error: DvcError };
/** A revision's params or metrics files as DVC holds them, in DVC's order (query/dvcData). */
export type RevisionFiles = (sha: string, kind: 'metrics' | 'params') => Promise<Map<string, FileResult>>;
export interface ExpData {
  rev: string;
  timestamp: string | null;
  params: Map<string, FileResult>;
  metrics: Map<string, FileResult>;
}
export interface ExpState {
  rev: string;
  name: string | null;
  data: ExpData | null;
  error: DvcError | null;
  experiments: ExpRange[] | null;
}
export interface ExpRange {
  revs: ExpState[];
  executor: null;
  name: string;
}

/** Python's naive datetime.fromtimestamp(t).isoformat(): local time, no offset. */
export function localIsoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * What the rows need of the index besides the files, one revision at a time by default; a
 * caller collecting thousands of revisions passes answers it read in a few queries.
 */
export interface RevisionLookup {
  /** Why DVC cannot collect a revision at all, if so. */
  problemOf(sha: string): ReturnType<typeof revisionProblem>;
  /** Commit time (seconds), if the index has the commit. */
  timeOf(sha: string): number | undefined;
  /** A baseline's experiments, as listExperiments orders them. */
  experimentsOf(baseline: string): Experiment[];
}

function lookupOf(store: Store, given: Partial<RevisionLookup> = {}): RevisionLookup {
  return {
    problemOf: given.problemOf ?? ((sha) => revisionProblem(store, sha)),
    timeOf: given.timeOf ?? ((sha) => getRevision(store, sha)?.commitTime),
    experimentsOf: given.experimentsOf ?? ((baseline) => listExperiments(store, baseline)),
  };
}

/** One revision's row: its params and metrics, or (data null) why DVC cannot collect it. */
export async function expStateAt(
  store: Store,
  sha: string,
  name: string | null,
  files: RevisionFiles,
  lookup: Partial<RevisionLookup> = {},
): Promise<ExpState> {
  const { problemOf, timeOf } = lookupOf(store, lookup);
  const problem = problemOf(sha);
  if (problem) return { rev: sha, name, data: null, error: problem.error, experiments: null };
  const time = sha === WORKSPACE ? undefined : timeOf(sha);
  const data: ExpData = {
    rev: sha,
    timestamp: time === undefined ? null : localIsoTime(time),
    params: await files(sha, 'params'),
    metrics: await files(sha, 'metrics'),
  };
  return { rev: sha, name, data, error: null, experiments: null };
}

/**
 * DVC's name for a baseline (experiments/utils.py describe): the checked-out branch for
 * HEAD, else a tag, else a branch. Where several tags (or branches) point at the commit DVC
 * takes whichever its unordered ref listing gives first, so any of them is DVC's answer; we
 * take the first by name, release tags before GTO's registry tags (v1.0.0, not model#prod#3).
 */
export function baselineName(store: Store, sha: string, head: { sha?: string; branch?: string }): string | null {
  if (sha === head.sha && head.branch) return head.branch;
  const refs = listRefRows(store).filter((r) => r.sha === sha);
  const tags = refs
    .filter((r) => r.kind === 'tag')
    .sort((a, b) => Number(parseRegistryTag(a.short) !== null) - Number(parseRegistryTag(b.short) !== null));
  return tags[0]?.short ?? refs.find((r) => r.kind === 'branch')?.short ?? null;
}

/** The most commits one experiment is followed down (the first-parent chain's limit elsewhere). */
const MAX_RANGE = 10000;

/**
 * Each experiment of a baseline as DVC collects it: the commits from the experiment's tip
 * down its first parents until the baseline (exclusive), the tip named after the ref.
 * Newest tip first; tips DVC cannot collect go last (it sorts them as time 0).
 */
export async function experimentRanges(
  store: Store,
  baseline: string,
  files: RevisionFiles,
  given: Partial<RevisionLookup> = {},
): Promise<ExpRange[]> {
  const lookup = lookupOf(store, given);
  const ranges: ExpRange[] = [];
  for (const e of lookup.experimentsOf(baseline)) {
    const shas = [e.sha];
    // Down the first parents until the baseline, one step at a time: an experiment is usually
    // one commit, and the chain below the baseline is never read.
    const parent = store.sql('SELECT p.sha FROM revision r JOIN revision p ON p.sha = r.first_parent WHERE r.sha = ?');
    for (let sha = e.sha; shas.length < MAX_RANGE;) {
      const next = (parent.get(sha) as { sha: string } | undefined)?.sha;
      if (!next || next === baseline) break;
      shas.push(next);
      sha = next;
    }
    const revs: ExpState[] = [];
    for (const [i, sha] of shas.entries()) revs.push(await expStateAt(store, sha, i === 0 ? e.name : null, files, lookup));
    ranges.push({ revs, executor: null, name: e.name });
  }
  // DVC sorts by (tip time, tip sha), newest first; a tip it cannot collect counts as time 0.
  const key = (r: ExpRange) => (r.revs[0].data ? (lookup.timeOf(r.revs[0].rev) ?? 0) : 0);
  return ranges.sort(
    (a, b) => key(b) - key(a) || (a.revs[0].data && b.revs[0].data ? (a.revs[0].rev < b.revs[0].rev ? 1 : -1) : a.name < b.name ? -1 : 1),
  );
}

/** The workspace row, then one row per baseline with its experiments (null when none). */
export async function expShowRows(
  store: Store,
  baselines: readonly { sha: string; name: string | null }[],
  files: RevisionFiles,
  given: Partial<RevisionLookup> = {},
): Promise<ExpState[]> {
  const lookup = lookupOf(store, given);
  const rows = [await expStateAt(store, WORKSPACE, null, files, lookup)];
  for (const b of baselines) {
    const row = await expStateAt(store, b.sha, b.name, files, lookup);
    const ranges = await experimentRanges(store, b.sha, files, lookup);
    rows.push({ ...row, experiments: ranges.length > 0 ? ranges : null });
  }
  return rows;
}
