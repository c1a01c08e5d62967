// The Git side of experiments, with plumbing only: an experiment commit is built in a
// temporary index (GIT_INDEX_FILE) and written with commit-tree, refs move with update-ref
// (compare-and-swap), so the user's index, HEAD and branch are never touched. Every call is an
// argument array; names come from parseExpRefName/expNameProblem or are passed after `--`.

import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGit, runGitText, GitError } from '../git/exec';
import { sweepTemporaries, tempNameIn } from '../util/atomicWrite';
import { redactText } from '../util/redact';
import { parseExpRefName, EXPS_NAMESPACE, type ExpRef } from './expRefs';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
const SHA = /^[0-9a-f]{40}$/;

/** A Git problem said to the user (bad name, unknown experiment, a remote that refuses). */
export class ExpGitError extends Error {}

export interface GitRepoDirs {
  /** The work tree the files are read from (the repository, or a temporary run folder). */
  root: string;
  /** The repository's Git directory, where objects and refs go. */
  gitDir: string;
}

export async function gitDirOf(root: string): Promise<string> {
  return (await runGitText(root, ['rev-parse', '--absolute-git-dir'])).trim();
}

/** The commit a revision names, or undefined (no error for a name that is not a commit). */
export async function resolveCommit(root: string, rev: string): Promise<string | undefined> {
  if (rev.startsWith('-')) return undefined;
  const out = (
    await runGitText(root, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { allowExit: [1, 128] })
  ).trim();
  return SHA.test(out) ? out : undefined;
}

export async function headCommit(root: string): Promise<string | undefined> {
  return resolveCommit(root, 'HEAD');
}

/** The commit a ref points at exactly (no revision syntax), or undefined. */
export async function refTarget(root: string, ref: string): Promise<string | undefined> {
  const out = (await runGitText(root, ['for-each-ref', '--format=%(objectname)', '--', ref])).trim().split('\n')[0];
  return out && SHA.test(out) ? out : undefined;
}

export interface ExpRefRow extends ExpRef {
  ref: string;
  sha: string;
}

/** utils.exp_refs: every experiment ref of the repository (DVC's internal refs left out). */
export async function listExpRefs(root: string): Promise<ExpRefRow[]> {
  const out = await runGitText(root, ['for-each-ref', '--format=%(refname)%00%(objectname)', EXPS_NAMESPACE]);
  const rows: ExpRefRow[] = [];
  for (const line of out.split('\n')) {
    const [ref, sha] = line.split('\0');
    const info = ref ? parseExpRefName(ref) : undefined;
    if (info && sha && SHA.test(sha)) rows.push({ ...info, ref, sha });
  }
  return rows;
}

/** Experiment refs of a remote (`git ls-remote`), as exp_refs(scm, url) lists them. */
export async function listRemoteExpRefs(root: string, remote: string): Promise<ExpRefRow[]> {
  let out: string;
  try {
    out = await runGitText(root, ['ls-remote', '--refs', '--end-of-options', remote, `${EXPS_NAMESPACE}/*`]);
  } catch (e) {
    if (e instanceof GitError)
      throw new ExpGitError(
        redactText(`cannot read the Git remote '${remote}': ${e.stderr.trim().split('\n').filter(Boolean).pop() ?? e.message}`),
      );
    throw e;
  }
  const rows: ExpRefRow[] = [];
  for (const line of out.split('\n')) {
    const [sha, ref] = line.split('\t');
    const info = ref ? parseExpRefName(ref) : undefined;
    if (info && SHA.test(sha)) rows.push({ ...info, ref, sha });
  }
  return rows;
}

/**
 * utils.resolve_name for each name: a full `refs/exps/…` ref as given, else the experiments
 * with that name; several with the name resolve to the one whose baseline is HEAD, else the
 * name is ambiguous (AmbiguousExpRefInfo, listing the full refs).
 */
export function resolveNames(rows: ExpRefRow[], names: string[], head: string | undefined): Map<string, ExpRefRow | undefined> {
  const out = new Map<string, ExpRefRow | undefined>();
  for (const name of names) {
    if (name.startsWith('refs/')) {
      out.set(
        name,
        rows.find((r) => r.ref === name),
      );
      continue;
    }
    const hits = rows.filter((r) => r.name === name);
    if (hits.length <= 1) {
      out.set(name, hits[0]);
      continue;
    }
    const mine = hits.find((r) => r.baseline === head);
    if (!mine)
      throw new ExpGitError(
        `Ambiguous name '${name}' refers to multiple experiments. Use one of the following full refnames instead: ${hits.map((h) => h.ref).join(', ')}`,
      );
    out.set(name, mine);
  }
  return out;
}

/** UnresolvedExpNamesError's wording. */
export function unresolvedMessage(names: string[], remote?: string): string {
  const joined = names.join('; ');
  if (remote) return `Experiment '${joined}' does not exist in '${remote}'`;
  return names.length > 1 ? `'${joined}' are not valid experiment names` : `'${joined}' is not a valid experiment name`;
}

// --- building a commit ---------------------------------------------------------------

/**
 * A temporary index in the Git directory, started from `from` (the user's index file, copied,
 * or a tree read into it), removed by `dispose`. Git commands given its `env` read and write
 * it instead of the user's index.
 */
export class TempIndex {
  readonly file: string;
  readonly env: Record<string, string>;
  private constructor(
    readonly dirs: GitRepoDirs,
    file: string,
  ) {
    // Indexes a killed run left behind (their pid gone) go first.
    sweepTemporaries(dirs.gitDir);
    this.file = file;
    // GIT_DIR + GIT_WORK_TREE let the work tree be a folder other than the repository's.
    this.env = { GIT_INDEX_FILE: file, GIT_DIR: dirs.gitDir, GIT_WORK_TREE: dirs.root };
  }

  /** A copy of the repository's own index (staged new files count as tracked, as in DVC's stash). */
  static async fromUserIndex(dirs: GitRepoDirs): Promise<TempIndex> {
    const index = new TempIndex(dirs, tempNameIn(dirs.gitDir));
    const own = join(dirs.gitDir, 'index');
    if (existsSync(own)) copyFileSync(own, index.file);
    return index;
  }

  /** An index holding `tree` (for a temporary work tree that has no index of its own yet). */
  static async fromTree(dirs: GitRepoDirs, tree: string): Promise<TempIndex> {
    const index = new TempIndex(dirs, tempNameIn(dirs.gitDir));
    await index.git(['read-tree', tree]);
    return index;
  }

  git(args: string[], options: { input?: string | Buffer; allowExit?: number[] } = {}): Promise<Buffer> {
    return runGit(this.dirs.root, args, { ...options, env: this.env });
  }

  /** `git add -u`: every tracked file as it is in the work tree, deletions included. */
  async addTracked(): Promise<void> {
    await this.git(['add', '-u', '--', ':/']);
  }

  /**
   * `git add` of the paths that exist and are not ignored (`force`: ignored ones too, as
   * `exp save -I` adds them). Returns the paths added.
   */
  async addPaths(paths: string[], force = false): Promise<string[]> {
    const existing = [...new Set(paths)].filter((p) => existsSync(join(this.dirs.root, ...p.split('/'))));
    if (existing.length === 0) return [];
    let wanted = existing;
    if (!force) {
      const ignored = (await this.git(['check-ignore', '-z', '--stdin'], { input: existing.join('\0') + '\0', allowExit: [1] }))
        .toString('utf8')
        .split('\0')
        .filter(Boolean);
      wanted = existing.filter((p) => !ignored.includes(p));
    }
    if (wanted.length === 0) return [];
    await this.git(['add', ...(force ? ['-f'] : []), '--', ...wanted.map((p) => `:(literal)${p}`)]);
    return wanted;
  }

  async writeTree(): Promise<string> {
    try {
      return (await this.git(['write-tree'])).toString('utf8').trim();
    } catch (e) {
      if (e instanceof GitError && /unmerged/i.test(e.stderr))
        throw new ExpGitError('the index has unmerged paths (a merge in progress); resolve them first');
      throw e;
    }
  }

  dispose(): void {
    rmSync(this.file, { force: true });
    rmSync(`${this.file}.lock`, { force: true });
  }
}

/**
 * commit-tree with one parent and the message byte for byte (DVC's has no final newline, which
 * `-m` would add). Author and committer come from Git's configuration, as for `git commit`.
 */
export async function commitTree(root: string, tree: string, parent: string, message: string): Promise<string> {
  try {
    return (await runGitText(root, ['commit-tree', tree, '-p', parent], { input: message })).trim();
  } catch (e) {
    if (e instanceof GitError && /Please tell me who you are|empty ident|user\.email/i.test(e.stderr)) {
      throw new ExpGitError(
        'Git does not know who you are: set user.name and user.email (git config) so the experiment commit has an author',
      );
    }
    throw e;
  }
}

export async function treeOf(root: string, commit: string): Promise<string> {
  return (await runGitText(root, ['rev-parse', '--verify', `${commit}^{tree}`])).trim();
}

/**
 * update-ref as compare-and-swap: `expected` undefined = the ref must not exist. A ref moved
 * by someone else in between is refused by Git, never overwritten.
 */
export async function setRef(root: string, ref: string, sha: string, expected: string | undefined, message?: string): Promise<void> {
  await runGit(root, ['update-ref', ...(message ? ['-m', message] : []), ref, sha, expected ?? '']);
}

export async function deleteRef(root: string, ref: string, expected: string): Promise<void> {
  await runGit(root, ['update-ref', '-d', ref, expected]);
}
