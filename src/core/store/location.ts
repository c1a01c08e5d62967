import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RepoInfo } from '../git/repo';

/**
 * Where the index lives: inside the Git directory, so it is never committed, survives branch
 * switches and is shared by the CLI and the editor. Without Git, in the user's cache folder.
 */
export function defaultStoreFile(repo: RepoInfo): string {
  if (repo.gitDir) return join(repo.gitDir, 'lineage', 'index.sqlite');
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = createHash('sha1').update(repo.root).digest('hex').slice(0, 16);
  return join(cacheHome, 'ml-lineage', id, 'index.sqlite');
}
