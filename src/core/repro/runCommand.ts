// Runs one stage command the way DVC does (dvc/stage/run.py): each line of a string cmd (or
// each list item) through the user's $SHELL with its rc files off, in the stage's wdir, with
// DVC_ROOT and DVC_STAGE set. Output is streamed to the caller; an abort kills the whole
// process group, so a training that spawned workers stops too.

import { spawn } from 'node:child_process';
import { basename } from 'node:path';

export interface CommandOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
}

export function commandLines(cmd: string | string[]): string[] {
  return Array.isArray(cmd) ? cmd : cmd.split(/\r?\n/).filter((l) => l.trim() !== '');
}

function shellArgv(line: string): { file: string; args: string[]; shell: boolean } {
  if (process.platform === 'win32') return { file: line, args: [], shell: true };
  const shell = process.env.SHELL || '/bin/sh';
  const name = basename(shell).toLowerCase();
  const opts = name === 'bash' ? ['--noprofile', '--norc'] : name === 'zsh' ? ['--no-rcs'] : [];
  return { file: shell, args: [...opts, '-c', line], shell: false };
}

export function runLine(
  line: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  signal?: AbortSignal,
): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve({ exitCode: null, signal: null, cancelled: true });
      return;
    }
    const { file, args, shell } = shellArgv(line);
    const child = spawn(file, args, {
      cwd,
      env,
      shell,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let cancelled = false;
    const kill = () => {
      cancelled = true;
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        /* already gone */
      }
      // A process that ignores SIGTERM gets SIGKILL after a grace period.
      setTimeout(() => {
        try {
          if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 3000).unref();
    };
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout!.setEncoding('utf8').on('data', (t: string) => onOutput('stdout', t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => onOutput('stderr', t));
    child.on('error', (e) => {
      signal?.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', kill);
      resolve({ exitCode: code, signal: sig, cancelled });
    });
  });
}
