import { spawn } from 'node:child_process';

/** Raised when git exits non-zero; carries git's own stderr so callers can say what failed. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n')[0] ?? ''}`);
    this.name = 'GitError';
  }
}

/**
 * Environment for every git call: no prompts, no pager, stable output, and none of the
 * variables that would point git at another repository than the `cwd` we pass.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE']) delete env[key];
  return withSafeConfig(env);
}

/**
 * A repository's own .git/config can name commands git runs on read-only calls (an fsmonitor
 * hook runs on `status` and `ls-files`). Reading a downloaded repository must not execute its
 * code, so those settings are overridden for every call through GIT_CONFIG_COUNT.
 */
export const SAFE_CONFIG: readonly [string, string][] = [
  ['core.fsmonitor', 'false'],
  ['core.untrackedCache', 'false'],
];

export function withSafeConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  let n = Number(env.GIT_CONFIG_COUNT) || 0;
  for (const [key, value] of SAFE_CONFIG) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  env.GIT_CONFIG_COUNT = String(n);
  return env;
}

/**
 * Runs git with an argument array (never a shell string) and returns stdout as bytes.
 * Callers put user-supplied revisions after `--end-of-options` or validate them first.
 */
export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // `env` is set after gitEnv() on purpose: a caller may point git at a temporary index.
    const child = spawn('git', args as string[], { cwd, env: { ...gitEnv(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(args, null, e.message)));
    child.on('close', (code) => {
      if (code === 0 || (code !== null && options.allowExit?.includes(code))) resolve(Buffer.concat(out));
      else reject(new GitError(args, code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export interface GitRunOptions {
  input?: string | Buffer;
  allowExit?: number[];
  /** Variables for this call only (GIT_INDEX_FILE for a temporary index, GIT_WORK_TREE…). */
  env?: Record<string, string>;
}

export async function runGitText(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return (await runGit(cwd, args, options)).toString('utf8');
}
