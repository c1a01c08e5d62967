import { anyRevisionSet, brancherRevisions, type RevisionSets } from '../core/git/brancher';
import { pythonEquals } from '../core/diff/diff';
import { WORKSPACE } from '../core/indexer/writeRevision';
import { isIndexed } from '../core/query/revisions';
import { metricsDocumentsAt, valuesAt } from '../core/query/values';
import { isRunRevision } from '../core/runs/runRevision';
import { refresh, type Context } from './context';
import { resolveIndexed } from './revisionArgs';

export interface ShowSelection {
  /** What each revision is called: the text given, or DVC's key (names joined by commas). */
  texts: string[];
  shas: string[];
  /** -a/-T/-A given: the workspace is keyed "workspace", as DVC keys it then (not ""). */
  brancher: boolean;
}

/**
 * The revisions `lineage show` prints. REVs alone keep their own names. With -a/-T/-A, as
 * `dvc metrics show` does: "workspace" first, then the brancher's revisions; the workspace
 * is left out when it equals the checked-out branch, which DVC only notices when that
 * branch is the sole name of its commit (dvc/repo/metrics/show.py _hide_workspace).
 */
export async function showSelection(ctx: Context, positionals: string[], sets: RevisionSets, kind: 'metrics' | 'params'): Promise<ShowSelection> {
  if (!anyRevisionSet(sets)) {
    const texts = positionals.length > 0 ? positionals : ['workspace'];
    return { texts, shas: await resolveIndexed(ctx, texts), brancher: false };
  }
  const givenTexts = positionals.filter((t) => t !== 'workspace');
  const givenShas = await resolveIndexed(ctx, givenTexts);
  const revisions = await brancherRevisions(ctx.repo, givenTexts.map((name, i) => ({ name, sha: givenShas[i] })), sets);
  const missing = revisions.map((r) => r.sha).filter((s) => !isRunRevision(s) && !isIndexed(ctx.store, s));
  if (missing.length > 0) await refresh(ctx, missing);
  const active = ctx.repo.branch === undefined ? undefined : revisions.find((r) => r.name === ctx.repo.branch);
  const hideWorkspace = active !== undefined && sameResult(ctx, kind, active.sha);
  const all = hideWorkspace ? revisions : [{ name: 'workspace', sha: WORKSPACE }, ...revisions];
  return { texts: all.map((r) => r.name), shas: all.map((r) => r.sha), brancher: true };
}

/** Python's == on the two results: an error on either side never compares equal. */
function sameResult(ctx: Context, kind: 'metrics' | 'params', sha: string): boolean {
  if (kind === 'metrics') {
    const [a, b] = [metricsDocumentsAt(ctx.store, WORKSPACE, { exact: true }), metricsDocumentsAt(ctx.store, sha, { exact: true })];
    const failed = (d: typeof a) => Object.values(d).some((f) => 'error' in f);
    return !failed(a) && !failed(b) && pythonEquals(a, b);
  }
  const [a, b] = [valuesAt(ctx.store, WORKSPACE, 'params', { exact: true }), valuesAt(ctx.store, sha, 'params', { exact: true })];
  return a.problems.length === 0 && b.problems.length === 0 && pythonEquals(a.values, b.values);
}
