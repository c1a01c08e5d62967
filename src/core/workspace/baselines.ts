// What the editor's inline diffs compare an open params/metrics file with: the workspace's
// tracked files, one file's values at a revision, and a key's recent values along a branch.

import {
  fileValuesAt as fileValuesOf,
  trackedFiles as trackedOf,
  valueHistory as historyOf,
  type FileValuesAt,
  type TrackedFile,
  type ValueChange,
  type ValueRole,
} from '../query/baselineValues';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import { WORKSPACE } from './revision';

export type { FileValuesAt, TrackedFile, ValueChange, ValueRole };
/** The values of a document's text, read as the indexer reads that file (an unsaved editor's text). */
export { valuesOfText } from '../query/baselineValues';

/** The params/metrics files at a revision (the workspace by default), by repository-relative path. */
export const trackedFiles = (ws: Workspace, sha: string = WORKSPACE): Map<string, TrackedFile> => trackedOf(storeOf(ws), sha);
/** One file's values at a revision, or why there are none. */
export const fileValuesAt = (ws: Workspace, sha: string, path: string, role: ValueRole, selector: string[] | null): FileValuesAt =>
  fileValuesOf(storeOf(ws), sha, path, role, selector);
/** A key's values along the first-parent chain from `tip`, each change once, newest first. */
export const valueHistory = (
  ws: Workspace,
  tip: string,
  path: string,
  role: ValueRole,
  key: string,
  options: { limit?: number; maxCommits?: number } = {},
): ValueChange[] => historyOf(storeOf(ws), tip, path, role, key, options);
