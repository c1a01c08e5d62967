// `exp apply NAME`: the work tree takes the experiment's files, as dvc/repo/experiments/apply.py
// leaves it: every file of the experiment commit as it is there, files the baseline has and
// the experiment does not removed, HEAD and the branch unchanged, then the outs checked out
// from the DVC cache (`dvc checkout --force`) and refs/exps/exec/EXEC_APPLY set to the commit.
// Unlike DVC, which overwrites uncommitted changes (keeping them in refs/exps/apply/stash),
// this refuses when a file that would be overwritten or removed holds changes Git has not
// recorded; with `force` those changes are first saved as a stash commit under
// refs/exps/apply/stash (`git stash apply refs/exps/apply/stash` brings them back), as DVC's
// ApplyStash does. Files are written through workspaceGuard, never over unrecorded content.

import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { processAlive } from '../util/processAlive';
import { join } from 'node:path';
import type { Store } from '../store/store';
import { runGit, runGitText } from '../git/exec';
import { createReproIO } from '../repro/reproIO';
import { checkoutOuts, type CheckoutReport } from './checkoutOuts';
import { acquireExpLock, ExpUsageError, requireDvcRepo } from './expCommon';
import {
  commitTree,
  ExpGitError,
  gitDirOf,
  headCommit,
  listExpRefs,
  refTarget,
  resolveCommit,
  resolveNames,
  setRef,
  TempIndex,
} from './expGit';
import { APPLY_HEAD, APPLY_STASH, EXEC_APPLY } from './expRefs';
import { GuardError, removeRecorded, replaceRecorded, workspaceFiles, type WorkspaceFile } from './workspaceGuard';

export interface ExpApplyResult {
  /** What was asked for, and the commit it named. */
  name: string;
  commit: string;
  /** Repository-relative files written and removed. */
  written: string[];
  removed: string[];
  outs: CheckoutReport;
  /** The stash commit holding the changes --force replaced. */
  backup?: string;
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
}

async function lsTree(root: string, rev: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const text = await runGitText(root, ['ls-tree', '-r', '-z', '--full-tree', rev]);
  for (const line of text.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    if (type === 'blob') out.set(line.slice(tab + 1), { mode, type, sha });
  }
  return out;
}

/** Tracked paths whose index or work tree differs from HEAD (git status, untracked left out). */
async function changedPaths(root: string): Promise<string[]> {
  const text = await runGitText(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no', '--no-renames', '--ignore-submodules']);
  return text
    .split('\0')
    .filter(Boolean)
    .map((entry) => entry.slice(3));
}

const sameFile = (now: WorkspaceFile, want: TreeEntry): boolean =>
  now.blob === want.sha &&
  (want.mode === '120000' ? now.kind === 'link' : want.mode === '100755' ? now.kind === 'exec' : now.kind === 'file');

/** Staging folders of applies that were killed (their pid gone). */
function sweepStaging(root: string): void {
  const dir = join(root, '.dvc', 'tmp');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^lineage-apply-(\d+)-/.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** resolve_rev as DVC's apply does it: a Git revision first, then an experiment name. */
export async function resolveExpRevision(root: string, text: string, head: string | undefined): Promise<string> {
  const rev = await resolveCommit(root, text);
  if (rev) return rev;
  const row = resolveNames(await listExpRefs(root), [text], head).get(text);
  if (!row) throw new ExpUsageError(`'${text}' does not appear to be an experiment commit.`);
  return row.sha;
}

/**
 * The changes `paths` hold, as a commit shaped like `git stash` makes (parents HEAD, the index,
 * and the untracked files when there are any), so `git stash apply <commit>` restores them.
 */
async function backupCommit(
  root: string,
  gitDir: string,
  head: string,
  tracked: string[],
  untracked: string[],
  message: string,
  label: string,
): Promise<string> {
  const subject = (await runGitText(root, ['log', '-1', '--format=%h %s', head])).trim();
  const fromIndex = await TempIndex.fromUserIndex({ root, gitDir });
  try {
    const indexCommit = await commitTree(root, await fromIndex.writeTree(), head, `index on ${label}: ${subject}`);
    await fromIndex.addPaths(tracked);
    await fromIndex.addTracked();
    const workTree = await fromIndex.writeTree();
    const parents = ['-p', head, '-p', indexCommit];
    if (untracked.length) {
      const loose = await TempIndex.fromUserIndex({ root, gitDir });
      try {
        await loose.git(['read-tree', '--empty']);
        await loose.addPaths(untracked, true);
        const untrackedTree = await loose.writeTree();
        parents.push(
          '-p',
          (await runGitText(root, ['commit-tree', untrackedTree], { input: `untracked files on ${label}: ${subject}\n` })).trim(),
        );
      } finally {
        loose.dispose();
      }
    }
    return (await runGitText(root, ['commit-tree', workTree, ...parents], { input: `${message}\n` })).trim();
  } finally {
    fromIndex.dispose();
  }
}

export async function applyExperiment(
  root: string,
  store: Store | undefined,
  text: string,
  options: { force?: boolean } = {},
): Promise<ExpApplyResult> {
  requireDvcRepo(root);
  const gitDir = await gitDirOf(root);
  const head = await headCommit(root);
  if (!head) throw new ExpUsageError('Empty Git repo. Add a commit to use experiments.');
  const lock = acquireExpLock(root);
  try {
    sweepStaging(root);
    const commit = await resolveExpRevision(root, text, head);
    const [want, base] = await Promise.all([lsTree(root, commit), lsTree(root, head)]);
    const dirty = await changedPaths(root);
    // Only these can differ from the experiment: what the experiment changed, what the user
    // changed, and the experiment's files HEAD does not have (the rest is HEAD's = the experiment's).
    const diff = (await runGitText(root, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', head, commit]))
      .split('\0')
      .filter(Boolean);
    const candidates = [...new Set([...diff, ...dirty, ...[...want.keys()].filter((p) => !base.has(p))])];
    const now = await workspaceFiles(root, candidates);
    const writes: string[] = [];
    const removes: string[] = [];
    const conflicts: string[] = [];
    const untrackedConflicts: string[] = [];
    const folders = candidates.filter((p) => want.has(p) && now.get(p)!.kind === 'other');
    if (folders.length)
      throw new ExpUsageError(
        `cannot apply '${text}': ${folders.join(', ')} ${folders.length > 1 ? 'are folders or special files' : 'is a folder or special file'} where the experiment has a file; move ${folders.length > 1 ? 'them' : 'it'} away first`,
      );
    for (const p of candidates) {
      const current = now.get(p)!;
      const target = want.get(p);
      const recorded = base.get(p);
      if (target) {
        if (current.kind !== undefined && sameFile(current, target)) continue;
        writes.push(p);
        if (current.kind !== undefined && current.blob !== recorded?.sha) (recorded ? conflicts : untrackedConflicts).push(p);
      } else if (recorded && current.kind !== undefined && current.blob === recorded.sha) {
        removes.push(p);
      }
      // A file the experiment lacks and the user changed stays as the user has it (DVC's
      // _apply_difference brings such files back from its stash).
    }
    const blocked = [...conflicts, ...untrackedConflicts];
    if (blocked.length && !options.force) {
      const shown = blocked.slice(0, 10).join(', ') + (blocked.length > 10 ? ` and ${blocked.length - 10} more` : '');
      throw new ExpUsageError(
        `cannot apply '${text}': it would overwrite changes Git has not recorded in ${shown}. Commit or stash them first, or run with --force (they are then kept in ${APPLY_STASH}: git stash apply ${APPLY_STASH})`,
      );
    }
    const proof = new Set<string>([...base.values(), ...want.values()].map((e) => e.sha));
    let backup: string | undefined;
    if (blocked.length) {
      const branch = (await runGitText(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowExit: [1] })).trim() || '(no branch)';
      const message = `On ${branch}: dvc-exp-apply:${head}:${commit}:${text}`;
      backup = await backupCommit(root, gitDir, head, conflicts, untrackedConflicts, message, branch);
      await runGit(root, ['update-ref', '--create-reflog', '-m', message, APPLY_STASH, backup]);
      await setRef(root, APPLY_HEAD, head, await refTarget(root, APPLY_HEAD));
      for (const p of blocked) if (now.get(p)!.blob) proof.add(now.get(p)!.blob!);
    }
    // Git writes the experiment's files (filters, modes, links) into a folder beside the work
    // tree; each is then moved into place through the guard.
    mkdirSync(join(root, '.dvc', 'tmp'), { recursive: true });
    const staging = mkdtempSync(join(root, '.dvc', 'tmp', `lineage-apply-${process.pid}-`));
    const index = await TempIndex.fromTree({ root, gitDir }, commit);
    const written: string[] = [];
    const removed: string[] = [];
    try {
      if (writes.length)
        await index.git(['checkout-index', '-f', '-z', `--prefix=${staging}/`, '--stdin'], { input: writes.join('\0') + '\0' });
      for (const p of writes) {
        await replaceRecorded(root, p, join(staging, ...p.split('/')), proof);
        written.push(p);
      }
      for (const p of removes) if (await removeRecorded(root, p, proof)) removed.push(p);
    } finally {
      index.dispose();
      rmSync(staging, { recursive: true, force: true });
    }
    const outs = await checkoutOuts(root, createReproIO(root, store));
    await setRef(root, EXEC_APPLY, commit, await refTarget(root, EXEC_APPLY));
    return { name: text, commit, written, removed, outs, backup };
  } catch (e) {
    if (e instanceof ExpGitError) throw new ExpUsageError(e.message);
    if (e instanceof GuardError)
      throw new GuardError(`exp apply stopped: ${e.message}; the files before it were applied, the rest were not`);
    throw e;
  } finally {
    lock.release();
  }
}
