// One Revision type for everything a user can name where a revision is expected, resolved in
// one place. Queries take `revision.id`: a commit sha, 'workspace', or a run's canonical
// `mlflow:<id>` / `wandb:<id>` (runs compare like revisions).

import type { RepoInfo } from '../git/repo';
import type { Store } from '../store/store';
import { WORKSPACE } from '../indexer/writeRevision';
import { experimentNamed, resolveRevision, RevisionError } from '../query/revisions';
import { isRunRevision, resolveRunRevision, runLabel, runRevision, RunRevisionError } from '../runs/runRevision';
import type { ExternalRun } from '../runs/types';
import { FULL_SHA } from '../git/objectId';

export { WORKSPACE, RevisionError, RunRevisionError, isRunRevision };
/** A run's canonical revision text (`mlflow:<id>`) and its short label; a full 40-hex sha. */
export { runRevision, runLabel, FULL_SHA };

interface Named {
  /** What the user typed (or what a view passed on). */
  text: string;
  /** The key queries take: a full sha, 'workspace' or a run's canonical revision. */
  id: string;
}

export type Revision =
  | (Named & { kind: 'workspace' })
  | (Named & { kind: 'commit'; sha: string })
  | (Named & { kind: 'experiment'; sha: string; name: string; ref: string; baseline: string })
  | (Named & { kind: 'run'; run: ExternalRun });

/** The revision that stands for the files on disk now. */
export const WORKSPACE_REVISION: Revision = { kind: 'workspace', text: WORKSPACE, id: WORKSPACE };

/** A commit known by its full sha (from a listing, not typed by the user). */
export function commitRevision(sha: string, text = sha): Revision {
  return { kind: 'commit', text, id: sha, sha };
}

/** A failure to resolve a name: says which name and why; the CLI exits 2 with it. */
export function isRevisionError(error: unknown): error is RevisionError | RunRevisionError {
  return error instanceof RevisionError || error instanceof RunRevisionError;
}

export async function resolveRevisionText(store: Store, repo: RepoInfo, text: string): Promise<Revision> {
  if (text === WORKSPACE) return { kind: 'workspace', text, id: WORKSPACE };
  // ':' cannot occur in a Git ref name, so a run name never shadows a branch.
  if (isRunRevision(text)) {
    const run = resolveRunRevision(store, text);
    return { kind: 'run', text, id: runRevision(run), run };
  }
  const sha = await resolveRevision(store, repo, text);
  const exp = experimentNamed(store, text);
  if (exp && exp.sha === sha) return { kind: 'experiment', text, id: sha, sha, name: exp.name, ref: exp.ref, baseline: exp.baseline };
  return { kind: 'commit', text, id: sha, sha };
}

/**
 * A short column label: the experiment's name, 8 characters of a run id typed in full, 7 hex
 * for a full sha typed as such, else what the user typed.
 */
export function revisionLabel(revision: Revision): string {
  switch (revision.kind) {
    case 'workspace':
      return WORKSPACE;
    case 'run':
      return revision.text === revision.id ? revision.id.slice(0, revision.id.indexOf(':') + 9) : revision.text;
    case 'experiment':
      return revision.name;
    case 'commit':
      if (revision.text === revision.sha) return revision.sha.slice(0, 7);
      return revision.text.startsWith('refs/exps/') ? revision.text.slice(revision.text.lastIndexOf('/') + 1) : revision.text;
  }
}

/** The commit a revision stands on: its sha, a run's recorded commit, or undefined for the workspace. */
export function commitOf(revision: Revision): string | undefined {
  if (revision.kind === 'workspace') return undefined;
  if (revision.kind === 'run') return revision.run.git.commit ?? undefined;
  return revision.sha;
}
