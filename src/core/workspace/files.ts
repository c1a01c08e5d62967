// A file of the repository as it is at a revision: from Git for a commit, from disk for the
// workspace. The editor's read-only "file at revision" documents show these.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../git/exec';
import { FULL_SHA } from '../git/objectId';
import type { Workspace } from './workspace';
import { WORKSPACE, type Revision } from './revision';

/** A repository-relative path that cannot be read as an option or leave the repository. */
export function isSafeRepoPath(path: string): boolean {
  return Boolean(path) && !path.startsWith('-') && !path.split('/').includes('..');
}

/**
 * The text of `path` (repository-relative, '/'-separated) at a revision: the workspace's file
 * from disk, a commit's from `git show` (an argument array, the sha a full object id, no
 * textconv). Throws when the path is refused or the file is not there.
 */
export async function fileTextAt(ws: Workspace, revision: Revision | string, path: string): Promise<string> {
  const id = typeof revision === 'string' ? revision : revision.id;
  if (!isSafeRepoPath(path)) throw new Error(`refused path ${JSON.stringify(path)}`);
  if (id === WORKSPACE) return readFile(join(ws.root, path), 'utf8');
  if (!FULL_SHA.test(id)) throw new Error(`not a commit id: ${JSON.stringify(id)}`);
  return (await runGit(ws.root, ['show', '--no-textconv', '--end-of-options', `${id}:${path}`])).toString('utf8');
}
