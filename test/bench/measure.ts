// Timing and process helpers for the benchmark (not a test: nothing here asserts a time).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds since `start` (a process.hrtime.bigint() value), fractional. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: msSince(start), result };
}

export function timedSync<T>(fn: () => T): { ms: number; result: T } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: msSince(start), result };
}

export interface ChildRun {
  ms: number;
  code: number | null;
  stdoutBytes: number;
  /** Kept only when asked for (keepStdout), else empty. */
  stdout: string;
  stderr: string;
}

/**
 * Runs a command, feeding `input` on stdin; stdout is read from the pipe and dropped (only
 * its size is counted) unless keepStdout. The time covers spawn to exit.
 */
export function runChild(
  cmd: string,
  args: string[],
  options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      stdoutBytes += b.length;
      if (options.keepStdout) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        ms: msSince(start),
        code,
        stdoutBytes,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export async function runChecked(cmd: string, args: string[], options: Parameters<typeof runChild>[2] = {}): Promise<string> {
  const r = await runChild(cmd, args, { ...options, keepStdout: true });
  if (r.code !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export const TIME_BIN = '/usr/bin/time';

export interface PeakRun extends ChildRun {
  peakRssMb: number;
  method: string;
}

/**
 * Runs a command and measures its peak RSS: through `/usr/bin/time -v` (getrusage of the
 * child: "Maximum resident set size" in KB) when present, else by polling /proc/<pid>/status
 * (VmHWM) every 20 ms from here.
 */
export async function runWithPeakRss(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<PeakRun> {
  if (existsSync(TIME_BIN)) {
    const r = await runChild(TIME_BIN, ['-v', cmd, ...args], { ...options, keepStdout: true });
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(r.stderr);
    if (m) return { ...r, peakRssMb: Number(m[1]) / 1024, method: '/usr/bin/time -v' };
  }
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const poll = () => {
      try {
        const m = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process has exited
      }
    };
    const timer = setInterval(poll, 20);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', () => poll());
    child.on('close', (code) => {
      clearInterval(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      resolve({
        ms: msSince(start),
        code,
        stdoutBytes: stdout.length,
        stdout,
        stderr: Buffer.concat(err).toString('utf8'),
        peakRssMb: peakKb / 1024,
        method: 'VmHWM polled every 20 ms',
      });
    });
  });
}
