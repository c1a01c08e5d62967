// The revisions `show -a/-T/-A` adds, in DVC's order (see git/brancher). The brancher is
// imported when asked for: it lists refs with simple-git, which plain `show` never needs.

import type { NamedRevision, RevisionSets } from '../git/brancher';
import type { Workspace } from './workspace';

export type { NamedRevision, RevisionSets };

export const anyRevisionSet = (sets: RevisionSets): boolean => Boolean(sets.allBranches || sets.allTags || sets.allCommits);

export async function revisionsInSets(ws: Workspace, given: readonly NamedRevision[], sets: RevisionSets): Promise<NamedRevision[]> {
  const { brancherRevisions } = await import('../git/brancher');
  return brancherRevisions(ws.repo, given, sets);
}
