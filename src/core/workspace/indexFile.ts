// Where a folder's index file is, and whether it exists yet: Restricted Mode shows an index
// made earlier read-only, but never creates one.

import { defaultStoreFile } from '../store/location';
import { Store } from '../store/store';
import type { RepoInfo } from '../git/repo';

/** The index file of a repository when no other is configured (inside the Git directory). */
export function defaultIndexFile(repo: RepoInfo): string {
  return defaultStoreFile(repo);
}

/** Whether an index file exists at `file`. */
export function indexExists(file: string): boolean {
  return Store.exists(file);
}
