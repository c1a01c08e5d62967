// `exp branch`, `exp remove` and `exp rename`: experiment refs moved with update-ref's
// compare-and-swap, as dvc/repo/experiments/branch.py, remove.py and rename.py move them.

import { runGit, runGitText, GitError } from '../git/exec';
import { acquireExpLock, ExpUsageError } from './expCommon';
import {
  deleteRef,
  headCommit,
  listExpRefs,
  refTarget,
  resolveCommit,
  resolveNames,
  setRef,
  unresolvedMessage,
  type ExpRefRow,
} from './expGit';
import { EXEC_APPLY, experimentExistsMessage, expNameProblem, expRefName, parseExpRefName } from './expRefs';

/** humanize.join(map(repr, words)): 'a', 'b' and 'c'. */
export function humanJoin(words: string[]): string {
  const quoted = words.map((w) => `'${w}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : (quoted[0] ?? '');
}

async function withLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = acquireExpLock(root);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

export interface ExpBranchResult {
  experiment: string;
  branch: string;
  commit: string;
}

/** exp_refs_by_rev: the experiments whose history holds `rev`. */
async function refsContaining(root: string, rev: string): Promise<ExpRefRow[]> {
  const out = await runGitText(root, ['for-each-ref', '--contains', rev, '--format=%(refname)%00%(objectname)', 'refs/exps']);
  return out
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const [ref, sha] = line.split('\0');
      const info = parseExpRefName(ref);
      return info ? [{ ...info, ref, sha }] : [];
    });
}

export async function branchExperiment(root: string, text: string, branchName?: string): Promise<ExpBranchResult> {
  return withLock(root, async () => {
    const head = await headCommit(root);
    const rev = await resolveCommit(root, text);
    // An experiment's own name names its ref, even when another experiment has the same commit.
    const named = rev ? undefined : resolveNames(await listExpRefs(root), [text], head).get(text);
    if (!rev && !named) throw new ExpUsageError(`'${text}' does not appear to be an experiment commit.`);
    const found = named ? [named] : await refsContaining(root, rev!);
    const info = found.length === 1 ? found[0] : found.find((r) => r.baseline === head);
    if (found.length > 1 && !info)
      throw new ExpUsageError(
        `Ambiguous experiment name '${text}' can refer to multiple experiments. To create a branch use a full experiment ref: ${found.map((r) => r.ref).join(', ')}`,
      );
    if (!info) throw new ExpUsageError(`'${text}' does not appear to be an experiment commit.`);
    const branch = branchName ?? `${info.name}-branch`;
    try {
      await runGit(root, ['check-ref-format', '--branch', branch]);
    } catch (e) {
      if (e instanceof GitError) throw new ExpUsageError(`'${branch}' is not a valid Git branch name`);
      throw e;
    }
    const ref = `refs/heads/${branch}`;
    if (await refTarget(root, ref)) throw new ExpUsageError(`Git branch '${branch}' already exists.`);
    await setRef(root, ref, info.sha, undefined, `dvc: Created from experiment '${info.name}'`);
    return { experiment: info.name, branch, commit: info.sha };
  });
}

export interface ExpRemoveResult {
  removed: string[];
}

/** Deletes experiment refs (and EXEC_APPLY when it names a removed experiment's commit). */
export async function removeExperiments(
  root: string,
  names: string[],
  options: { all?: boolean; queue?: boolean } = {},
): Promise<ExpRemoveResult> {
  if (options.queue)
    throw new ExpUsageError('the experiment queue is not supported yet (--queue); remove queued experiments with dvc exp remove --queue');
  if (!options.all && names.length === 0)
    throw new ExpUsageError('Either provide an `experiment` argument, or use the `--all` or `--queue` flag.');
  if (options.all && names.length) throw new ExpUsageError('give experiment names or --all, not both');
  return withLock(root, async () => {
    const rows = await listExpRefs(root);
    let chosen: ExpRefRow[];
    let removed: string[];
    if (options.all) {
      chosen = rows;
      removed = rows.map((r) => r.name);
    } else {
      const resolved = resolveNames(rows, names, await headCommit(root));
      const missing = names.filter((n) => !resolved.get(n));
      if (missing.length) throw new ExpUsageError(unresolvedMessage(missing));
      chosen = names.map((n) => resolved.get(n)!);
      removed = names;
    }
    const applied = await refTarget(root, EXEC_APPLY);
    for (const r of chosen) {
      await deleteRef(root, r.ref, r.sha);
      if (applied && applied === r.sha) await deleteRef(root, EXEC_APPLY, applied);
    }
    return { removed };
  });
}

export interface ExpRenameResult {
  renamed: string[];
}

export async function renameExperiment(
  root: string,
  from: string,
  to: string,
  options: { force?: boolean } = {},
): Promise<ExpRenameResult> {
  if (from === to) return { renamed: [] };
  return withLock(root, async () => {
    const found = resolveNames(await listExpRefs(root), [from], await headCommit(root)).get(from);
    if (!found) throw new ExpUsageError(unresolvedMessage([from]));
    const target = expRefName({ baseline: found.baseline, name: to });
    const existing = await refTarget(root, target);
    if (existing && !options.force) throw new ExpUsageError(experimentExistsMessage(to, 'rename'));
    const problem = expNameProblem(found.baseline, to);
    if (problem) throw new ExpUsageError(problem);
    await setRef(root, target, found.sha, existing);
    await deleteRef(root, found.ref, found.sha);
    return { renamed: [from] };
  });
}
