// Shared by the interop tests: running the real tools and our CLI on the same repository, and
// comparing their parsed outputs value by value, every mismatch printed with both sides.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { generateDemoRepo, type DemoRepoInfo } from '../../src/demo/demoRepo';
import { describeRun, runCli, type CliResult } from '../helpers/runCli';
import { interopEnv, interopTool, interopVenv } from './tools';

export type ToolName = Parameters<typeof interopTool>[0];

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  command: string;
}

/**
 * The environment both sides run stage commands in: the venv's bin first on PATH, so a
 * pipeline's `python` is the same interpreter whether DVC or `lineage repro` starts it.
 */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return interopEnv({ PATH: [join(interopVenv(), 'bin'), process.env.PATH ?? ''].join(delimiter), ...extra });
}

export function runTool(name: ToolName, args: string[], cwd: string, env: NodeJS.ProcessEnv = toolEnv()): ToolRun {
  const bin = interopTool(name);
  const r = spawnSync(bin, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    command: `${name} ${args.map((a) => JSON.stringify(a)).join(' ')} (in ${cwd})`,
  };
}

export function describeTool(r: ToolRun): string {
  return `${r.command} -> exit ${r.status}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Exit 0 or a failure naming the command and showing its output; returns stdout. */
export function toolOk(name: ToolName, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const r = runTool(name, args, cwd, env);
  assert.equal(r.status, 0, describeTool(r));
  return r.stdout;
}

export function toolJson<T = unknown>(name: ToolName, args: string[], cwd: string, env?: NodeJS.ProcessEnv): T {
  const out = toolOk(name, args, cwd, env);
  try {
    return JSON.parse(out) as T;
  } catch (e) {
    throw new Error(`${name} ${args.join(' ')}: stdout is not JSON (${(e as Error).message}):\n${out}`);
  }
}

/** Our CLI (dist/cli.js) in the same environment as the tools; exit 0 and parsed JSON stdout. */
export function lineageJson<T = unknown>(args: string[], repo: string, env: NodeJS.ProcessEnv = toolEnv()): T {
  const r: CliResult = runCli(args, { repo, env });
  assert.equal(r.status, 0, describeRun(r));
  return JSON.parse(r.stdout) as T;
}

export function lineageOk(args: string[], repo: string, env: NodeJS.ProcessEnv = toolEnv()): CliResult {
  const r = runCli(args, { repo, env });
  assert.equal(r.status, 0, describeRun(r));
  return r;
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

/**
 * Every place where two parsed JSON values differ, as "path: theirs=… ours=…". Numbers compare
 * by value (DVC's 0.0 and our 0 are the same number); object key order is ignored, array order
 * is not.
 */
export function mismatches(theirs: unknown, ours: unknown, path = '$', out: string[] = []): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(theirs) && Array.isArray(ours)) {
    if (theirs.length !== ours.length) out.push(`${path}: theirs=${show(theirs)} ours=${show(ours)}`);
    else theirs.forEach((v, i) => mismatches(v, ours[i], `${path}[${i}]`, out));
  } else if (isObject(theirs) && isObject(ours)) {
    for (const key of new Set([...Object.keys(theirs), ...Object.keys(ours)])) {
      mismatches(theirs[key], ours[key], `${path}.${JSON.stringify(key)}`, out);
    }
  } else if (!Object.is(theirs, ours) && !(typeof theirs === 'number' && theirs === ours)) {
    out.push(`${path}: theirs=${show(theirs)} ours=${show(ours)}`);
  }
  return out;
}

/** Fails listing each mismatch (up to 60) between the tool's value and ours. */
export function assertSameValues(what: string, theirs: unknown, ours: unknown): void {
  const found = mismatches(theirs, ours);
  if (found.length === 0) return;
  const shown = found
    .slice(0, 60)
    .map((m) => `  ${m}`)
    .join('\n');
  assert.fail(
    `${what}: ${found.length} mismatch(es) (theirs = the real tool, ours = lineage)\n${shown}${found.length > 60 ? `\n  … and ${found.length - 60} more` : ''}`,
  );
}

/** Nested mappings flattened to dotted keys, the way DVC names params and metrics; lists stay values. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

const scratch: string[] = [];

/** A temp folder removed when the process exits (mocha runs every file in one process). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lineage-interop-${prefix}-`));
  if (scratch.length === 0)
    process.once('exit', () => {
      for (const d of scratch) rmSync(d, { recursive: true, force: true });
    });
  scratch.push(dir);
  return dir;
}

/** A copy of a repository (worktree, .git, .dvc cache) with times and modes kept. */
export function copyRepo(from: string, name: string): string {
  const to = join(scratchDir(name), 'repo');
  execFileSync('cp', ['-a', from, to]);
  return to;
}

let demo: Promise<DemoRepoInfo> | undefined;

/**
 * The demo repository (src/demo), generated once per run and shared by the interop files.
 * Treat it as read-only: the tools may add caches under .dvc/tmp and .git/lineage, but a test
 * that edits files or refs works on copyRepo(info.dir, …).
 */
export function sharedDemoRepo(): Promise<DemoRepoInfo> {
  demo ??= generateDemoRepo(join(scratchDir('demo'), 'demo'));
  return demo;
}
