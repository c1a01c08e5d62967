// `exp push` / `exp pull`: experiment refs exchanged with a Git remote the way
// dvc/repo/experiments/push.py and pull.py exchange them (refspec `<ref>:<ref>`, `+` with
// force; by default the experiments of HEAD's baseline). Only Git refs travel: the outs the
// experiments record stay in the local DVC cache (DVC's --no-cache); `dvc push` sends them.

import { runGitText, GitError } from '../git/exec';
import { redactText } from '../util/redact';
import { acquireExpLock, ExpUsageError } from './expCommon';
import {
  headCommit,
  listExpRefs,
  listRemoteExpRefs,
  refTarget,
  resolveNames,
  unresolvedMessage,
  ExpGitError,
  type ExpRefRow,
} from './expGit';

export interface SyncResult {
  /** Experiment names by outcome. */
  success: string[];
  upToDate: string[];
  /** Refused because the two sides diverged (rerun with force to replace). */
  diverged: string[];
  /** Refused by the remote, with its reason. */
  refused: { name: string; reason: string }[];
}

export interface SyncOptions {
  all?: boolean;
  force?: boolean;
}

function select(rows: ExpRefRow[], names: string[], head: string | undefined, options: SyncOptions, remote?: string): ExpRefRow[] {
  if (options.all) return rows;
  if (names.length === 0) return rows.filter((r) => r.baseline === head);
  const resolved = resolveNames(rows, names, head);
  const missing = names.filter((n) => !resolved.get(n));
  if (missing.length) throw new ExpUsageError(redactText(unresolvedMessage(missing, remote)));
  return [...new Set(names.map((n) => resolved.get(n)!))];
}

function gitFailure(remote: string, e: unknown): never {
  if (e instanceof GitError)
    throw new ExpGitError(
      redactText(
        `the Git remote '${remote}' could not be reached or refused: ${e.stderr.trim().split('\n').filter(Boolean).pop() ?? e.message}`,
      ),
    );
  throw e;
}

export async function pushExperiments(root: string, remote: string, names: string[], options: SyncOptions = {}): Promise<SyncResult> {
  if (remote.startsWith('-')) throw new ExpUsageError(`'${remote}' is not a Git remote`);
  const lock = acquireExpLock(root);
  try {
    const chosen = select(await listExpRefs(root), names, await headCommit(root), options);
    const result: SyncResult = { success: [], upToDate: [], diverged: [], refused: [] };
    if (chosen.length === 0) return result;
    const refspecs = chosen.map((r) => `${options.force ? '+' : ''}${r.ref}:${r.ref}`);
    let out: string;
    try {
      // --porcelain: one line per ref, "<flag>\t<from>:<to>\t<summary>"; exit 1 when one was rejected.
      out = await runGitText(root, ['push', '--porcelain', '--no-verify', '--end-of-options', remote, ...refspecs], { allowExit: [1] });
    } catch (e) {
      gitFailure(remote, e);
    }
    const lines = new Map(
      out
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => {
          const [flag, spec, summary] = l.split('\t');
          return [spec.slice(spec.indexOf(':') + 1), { flag, summary: summary ?? '' }] as const;
        }),
    );
    for (const r of chosen) {
      const line = lines.get(r.ref);
      if (!line) {
        result.refused.push({ name: r.name, reason: 'the remote did not answer for it' });
        continue;
      }
      if (line.flag === '=') result.upToDate.push(r.name);
      else if (line.flag === '!' && /non-fast-forward|fetch first|stale info/.test(line.summary)) result.diverged.push(r.name);
      else if (line.flag === '!')
        result.refused.push({
          name: r.name,
          reason: line.summary.replace(/^\[(remote )?rejected\]\s*/, '').replace(/^\((.*)\)$/, '$1') || 'rejected',
        });
      else result.success.push(r.name);
    }
    return result;
  } catch (e) {
    if (e instanceof ExpGitError) throw new ExpUsageError(e.message);
    throw e;
  } finally {
    lock.release();
  }
}

export async function pullExperiments(root: string, remote: string, names: string[], options: SyncOptions = {}): Promise<SyncResult> {
  if (remote.startsWith('-')) throw new ExpUsageError(`'${remote}' is not a Git remote`);
  const lock = acquireExpLock(root);
  try {
    const chosen = select(await listRemoteExpRefs(root, remote), names, await headCommit(root), options, remote);
    const result: SyncResult = { success: [], upToDate: [], diverged: [], refused: [] };
    const before = new Map<string, string | undefined>();
    for (const r of chosen) before.set(r.ref, await refTarget(root, r.ref));
    const wanted = chosen.filter((r) => before.get(r.ref) !== r.sha);
    result.upToDate.push(...chosen.filter((r) => before.get(r.ref) === r.sha).map((r) => r.name));
    if (wanted.length) {
      try {
        // Without force Git refuses to move a ref that is not an ancestor (a diverged one).
        await runGitText(
          root,
          [
            'fetch',
            '--no-tags',
            '--no-write-fetch-head',
            '--end-of-options',
            remote,
            ...wanted.map((r) => `${options.force ? '+' : ''}${r.ref}:${r.ref}`),
          ],
          { allowExit: [1] },
        );
      } catch (e) {
        gitFailure(remote, e);
      }
    }
    for (const r of wanted) {
      const now = await refTarget(root, r.ref);
      if (now === r.sha) result.success.push(r.name);
      else result.diverged.push(r.name);
    }
    return result;
  } catch (e) {
    if (e instanceof ExpGitError) throw new ExpUsageError(e.message);
    throw e;
  } finally {
    lock.release();
  }
}
