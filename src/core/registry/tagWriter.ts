import { spawn } from 'node:child_process';
import { GitError, gitEnv, runGitText } from '../git/exec';
import { RegistryInputError } from './tagGrammar';

/** Refuses revisions and remotes git could read as options or that carry odd characters. */
export function assertSafeGitWord(kind: string, value: string): void {
  if (value === '' || value.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(value)) {
    throw new RegistryInputError(
      `invalid ${kind} ${JSON.stringify(value)}: it must not be empty, start with '-' or contain spaces or control characters`,
    );
  }
}

/** The full sha of a commit-ish, or a clear error naming it. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  assertSafeGitWord('revision', rev);
  const out = await runGitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowExit: [1, 128] });
  const sha = out.trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new RegistryInputError(`revision ${JSON.stringify(rev)} is not a commit in this repository`);
  return sha;
}

function runGitWithEnv(root: string, args: string[], extraEnv: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, env: { ...gitEnv(), ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(args, null, e.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitError(args, code, Buffer.concat(err).toString('utf8')))));
  });
}

function localOffset(): string {
  const minutes = -new Date().getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Creates an annotated tag. `time` is the tagger time in seconds: GTO orders events by it
 * with one-second resolution, and equal times fall back to an order that lets an
 * unassignment win over an assignment, so writers pass a time after the artifact's last event.
 */
export async function createAnnotatedTag(
  root: string,
  tag: { name: string; commit: string; message: string; time: number },
): Promise<void> {
  await runGitWithEnv(root, ['tag', '-a', '-m', tag.message, tag.name, tag.commit], { GIT_COMMITTER_DATE: `${tag.time} ${localOffset()}` });
}

/** Pushes tags to a remote; the caller reports a failure and keeps the local tags. */
export async function pushTags(root: string, remote: string, tags: readonly string[]): Promise<void> {
  assertSafeGitWord('remote', remote);
  await runGitText(root, ['push', '--end-of-options', remote, ...tags.map((t) => `refs/tags/${t}`)]);
}
