// What the editor asks Git to do on the user's behalf: check out a revision, and push the
// registry tags it wrote. Every name is validated and passed after --end-of-options in an
// argument array; nothing here stashes, resets or discards.

import { runGit, runGitText } from '../git/exec';
import { listRefRows, RevisionError, validateRevisionText } from '../query/revisions';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import { commitOf } from './revision';

/** Tags written by the registry pushed to a remote; a commit a registry write names. */
export { pushTags, resolveCommit } from '../registry/tagWriter';

export type CheckoutTarget = { kind: 'branch'; branch: string } | { kind: 'detached'; sha: string };

/**
 * What checking out `text` means: a branch the index knows (by full or short name) is checked
 * out by name; anything else detaches at the commit it resolves to. Throws when the name is
 * not valid or resolves to no commit.
 */
export async function checkoutTarget(ws: Workspace, text: string): Promise<CheckoutTarget> {
  const branch = listRefRows(storeOf(ws), 'branch').find((b) => b.name === text || b.short === text);
  if (branch) {
    validateRevisionText(branch.short);
    await runGit(ws.root, ['check-ref-format', '--branch', branch.short]);
    return { kind: 'branch', branch: branch.short };
  }
  const revision = await ws.resolve(text);
  const sha = commitOf(revision);
  if (!sha) throw new RevisionError(`"${text}" names no commit to check out`);
  return { kind: 'detached', sha };
}

/** Runs the checkout (Git refuses when uncommitted changes would be overwritten); returns git's arguments, for a log line. */
export async function checkout(ws: Workspace, target: CheckoutTarget): Promise<string[]> {
  const args =
    target.kind === 'branch' ? ['checkout', '--end-of-options', target.branch] : ['checkout', '--detach', '--end-of-options', target.sha];
  await runGit(ws.root, args);
  return args;
}

/** The repository's remotes, by name. */
export async function gitRemotes(root: string): Promise<string[]> {
  return (await runGitText(root, ['remote'])).split('\n').filter(Boolean);
}
