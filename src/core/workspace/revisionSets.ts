// The revisions `show -a/-T/-A` adds, in DVC's order (see git/brancher).

import { anyRevisionSet, brancherRevisions, type NamedRevision, type RevisionSets } from '../git/brancher';
import type { Workspace } from './workspace';

export { anyRevisionSet, type NamedRevision, type RevisionSets };

export function revisionsInSets(ws: Workspace, given: readonly NamedRevision[], sets: RevisionSets): Promise<NamedRevision[]> {
  return brancherRevisions(ws.repo, given, sets);
}
