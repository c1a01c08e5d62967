import { resolveRevision, isIndexed, RevisionError } from '../core/query/revisions';
import { WORKSPACE } from '../core/indexer/writeRevision';
import { refresh, UsageError, type Context } from './context';
import { isRunRevision, resolveRunRevision, runRevision, RunRevisionError } from '../core/runs/runRevision';

/** Resolves revision texts to indexed shas, indexing an unreachable commit on demand. */
export async function resolveIndexed(ctx: Context, texts: string[]): Promise<string[]> {
  const shas: string[] = [];
  for (const text of texts) {
    try {
      // MLflow/W&B runs compare like revisions; ':' cannot occur in a Git ref name.
      shas.push(isRunRevision(text) ? runRevision(resolveRunRevision(ctx.store, text)) : await resolveRevision(ctx.store, ctx.repo, text));
    } catch (error) {
      if (error instanceof RevisionError || error instanceof RunRevisionError) throw new UsageError(error.message);
      throw error;
    }
  }
  const missing = shas.filter((s) => s !== WORKSPACE && !isRunRevision(s) && !isIndexed(ctx.store, s));
  if (missing.length > 0) await refresh(ctx, missing);
  return shas;
}

/** A short column label: the experiment name for refs/exps/..., 7 hex for a full sha. */
export function label(text: string, sha: string): string {
  if (sha === WORKSPACE) return 'workspace';
  if (isRunRevision(sha)) return text === sha ? sha.slice(0, sha.indexOf(':') + 9) : text;
  if (text === sha) return sha.slice(0, 7);
  if (text.startsWith('refs/exps/')) return text.slice(text.lastIndexOf('/') + 1);
  return text;
}
