import { pythonEquals } from '../core/diff/diff';
import { WORKSPACE, WORKSPACE_REVISION, commitRevision, type Revision } from '../core/workspace/revision';
import { anyRevisionSet, revisionsInSets, type RevisionSets } from '../core/workspace/revisionSets';
import { metricsDocumentsOf, valuesOf } from '../core/workspace/values';
import { ensureIndexed, resolveIndexed, type Context } from './context';

export interface ShowSelection {
  /** What each revision is called: the text given, or DVC's key (names joined by commas). */
  texts: string[];
  revisions: Revision[];
  /** -a/-T/-A given: the workspace is keyed "workspace", as DVC keys it then (not ""). */
  brancher: boolean;
}

/**
 * The revisions `lineage show` prints. REVs alone keep their own names. With -a/-T/-A, as
 * `dvc metrics show` does: "workspace" first, then the brancher's revisions; the workspace
 * is left out when it equals the checked-out branch, which DVC only notices when that
 * branch is the sole name of its commit (dvc/repo/metrics/show.py _hide_workspace).
 */
export async function showSelection(
  ctx: Context,
  positionals: string[],
  sets: RevisionSets,
  kind: 'metrics' | 'params',
): Promise<ShowSelection> {
  if (!anyRevisionSet(sets)) {
    const texts = positionals.length > 0 ? positionals : [WORKSPACE];
    return { texts, revisions: await resolveIndexed(ctx, texts), brancher: false };
  }
  const givenTexts = positionals.filter((t) => t !== WORKSPACE);
  const given = await resolveIndexed(ctx, givenTexts);
  const named = await revisionsInSets(
    ctx.ws,
    givenTexts.map((name, i) => ({ name, sha: given[i].id })),
    sets,
  );
  // Every entry the brancher adds is a commit, or a revision the user gave (a run stays a run).
  const revisions = named.map((r) => given.find((g) => g.id === r.sha) ?? commitRevision(r.sha, r.name));
  await ensureIndexed(ctx, revisions);
  const active = ctx.ws.repo.branch === undefined ? undefined : named.find((r) => r.name === ctx.ws.repo.branch);
  const hideWorkspace = active !== undefined && sameResult(ctx, kind, active.sha);
  const entries = named.map((r, i) => ({ name: r.name, revision: revisions[i] }));
  const all = hideWorkspace ? entries : [{ name: WORKSPACE, revision: WORKSPACE_REVISION }, ...entries];
  return { texts: all.map((r) => r.name), revisions: all.map((r) => r.revision), brancher: true };
}

/** Python's == on the two results: an error on either side never compares equal. */
function sameResult(ctx: Context, kind: 'metrics' | 'params', sha: string): boolean {
  if (kind === 'metrics') {
    const [a, b] = [metricsDocumentsOf(ctx.ws, WORKSPACE, { exact: true }), metricsDocumentsOf(ctx.ws, sha, { exact: true })];
    const failed = (d: typeof a) => Object.values(d).some((f) => 'error' in f);
    return !failed(a) && !failed(b) && pythonEquals(a, b);
  }
  const [a, b] = [valuesOf(ctx.ws, WORKSPACE, 'params', { exact: true }), valuesOf(ctx.ws, sha, 'params', { exact: true })];
  return a.problems.length === 0 && b.problems.length === 0 && pythonEquals(a.values, b.values);
}
