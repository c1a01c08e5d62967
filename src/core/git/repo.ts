import { realpathSync } from 'node:fs';
import { runGitText, GitError } from './exec';
import { FULL_SHA } from './objectId';
import { readRepoFiles, type RepoFiles } from './repoFiles';

/** What the indexer knows about the folder it was pointed at, including what it lacks. */
export interface RepoInfo {
  /** Absolute workspace root (the Git top level, or the folder itself without Git). */
  root: string;
  /** Absolute Git directory, undefined in workspace-only mode. */
  gitDir?: string;
  isShallow: boolean;
  /** HEAD commit, undefined for an empty repository or without Git. */
  head?: string;
  /** Current branch short name; undefined when HEAD is detached (or unborn without Git). */
  branch?: string;
  /** Branch HEAD points at in an empty repository (no commits yet). */
  unbornBranch?: string;
  /** Sentences for the user: what this repository cannot give (shallow history, no Git, ...). */
  limitations: string[];
}

export async function openRepo(folder: string): Promise<RepoInfo> {
  const absolute = realpathSync(folder);
  // The common layouts are read from Git's files; anything unusual is asked of git below.
  const files = readRepoFiles(absolute);
  if (files) return describe(files);
  let top: string;
  let gitDir: string;
  let shallow: string;
  try {
    const out = await runGitText(absolute, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--is-shallow-repository']);
    [top, gitDir, shallow] = out.trim().split('\n');
  } catch (error) {
    if (error instanceof GitError) {
      return {
        root: absolute,
        isShallow: false,
        limitations: [
          `${absolute} is not inside a Git repository: only the workspace files are indexed, with no history, branches or experiments.`,
        ],
      };
    }
    throw error;
  }
  const head = (await runGitText(top, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowExit: [1] })).trim();
  const symbolic = (await runGitText(top, ['symbolic-ref', '-q', 'HEAD'], { allowExit: [1] })).trim();
  return describe({ top, gitDir, isShallow: shallow === 'true', head: FULL_SHA.test(head) ? head : undefined, symbolic });
}

function describe({ top, gitDir, isShallow, head, symbolic }: RepoFiles): RepoInfo {
  const info: RepoInfo = { root: top, gitDir, isShallow, limitations: [] };
  if (head) info.head = head;
  if (symbolic.startsWith('refs/heads/')) {
    if (info.head) info.branch = symbolic.slice('refs/heads/'.length);
    else info.unbornBranch = symbolic.slice('refs/heads/'.length);
  }
  if (!info.head) info.limitations.push('The repository has no commits yet: only the workspace is indexed.');
  else if (!info.branch)
    info.limitations.push(`HEAD is detached at ${info.head.slice(0, 8)}: it is indexed as a revision without a branch.`);
  if (info.isShallow)
    info.limitations.push(
      'This is a shallow clone: history stops at the shallow boundary, and metrics older than it are unknown (run `git fetch --unshallow` for all of it).',
    );
  return info;
}
