// Runs the bundled CLI (dist/cli.js) as a child process, the way a user runs `lineage`, and
// compares outputs with golden files committed under test/cli/golden/.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, from out/test/helpers/ (compiled) — the same depth as out/test/cli/. */
export const REPO_ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
export const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'cli', 'golden');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  args: string[];
}

export interface CliOptions {
  repo?: string;
  store?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function fullArgs(args: string[], options: CliOptions): string[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` (npm test builds it) first`);
  return [
    ...(options.repo !== undefined ? ['--repo', options.repo] : []),
    ...(options.store !== undefined ? ['--store', options.store] : []),
    ...args,
  ];
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const full = fullArgs(args, options);
  const r = spawnSync(process.execPath, [CLI, ...full], {
    encoding: 'utf8',
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, args: full };
}

/** The same as runCli without blocking, so independent runs can overlap (Promise.all). */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const full = fullArgs(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...full], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, args: full }));
  });
}

/** A one-line description of a run for assertion messages. */
export function describeRun(r: CliResult): string {
  return `lineage ${r.args.map((a) => JSON.stringify(a)).join(' ')} -> exit ${r.status}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Exit 0, nothing on stderr; returns stdout. */
export function expectOk(r: CliResult): string {
  assert.equal(r.status, 0, describeRun(r));
  assert.equal(r.stderr, '', describeRun(r));
  return r.stdout;
}

/** Exit 2, nothing on stdout, exactly one line on stderr starting with "lineage:"; returns it. */
export function expectUsageError(r: CliResult): string {
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stdout, '', describeRun(r));
  assert.match(r.stderr, /^lineage: [^\n]*\n$/, `stderr must be one line starting with "lineage:"\n${describeRun(r)}`);
  return r.stderr.trimEnd();
}

/**
 * Compares with test/cli/golden/<name> (read from the source tree, not out/); with
 * UPDATE_GOLDEN=1 writes the file instead.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file ${file} is missing (run the tests with UPDATE_GOLDEN=1 to write it)`);
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `output differs from golden ${path.relative(REPO_ROOT, file)} (UPDATE_GOLDEN=1 rewrites it)`,
  );
}

/** JSON output compared (and stored) pretty-printed, so golden diffs stay readable. */
export function expectGoldenJson(name: string, stdout: string): unknown {
  const value = JSON.parse(stdout) as unknown;
  expectGolden(name, JSON.stringify(value, null, 2) + '\n');
  return value;
}

/** Replaces temp folders, timings and the SQLite driver name with placeholders. */
export function normalise(text: string, dirs: string[]): string {
  let out = text;
  const all = new Set<string>();
  for (const d of dirs) {
    all.add(d);
    try {
      all.add(realpathSync(d));
    } catch {
      /* gone already */
    }
  }
  for (const d of [...all].sort((a, b) => b.length - a.length)) out = out.split(d).join('<DIR>');
  return out
    .replace(/\bin \d+(\.\d+)? s\b/g, 'in <T> s')
    .replace(/("\w+Ms"\s*:\s*)\d+(\.\d+)?/g, '$1<T>')
    .replace(/\((better-sqlite3|node:sqlite)\)/g, '(<DRIVER>)')
    .replace(/("driver"\s*:\s*)"[^"]*"/g, '$1"<DRIVER>"');
}
