// Lineage question 5, "which environment": what a reproduced stage ran with. Captured by the
// runner around each stage, stored in the index (table repro_run) and found again for a
// commit through the hashes of the outs the run produced.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { runGitText } from '../git/exec';
import { isSecretName, redactDeep, redactText, redactVars } from '../util/redact';

export interface EnvRecord {
  git: { head?: string; branch?: string; dirty?: boolean; changed?: string[] };
  cmd: string;
  cwd: string;
  python?: { executable: string; version: string; packages: string[] };
  node: string;
  os: { platform: string; release: string; arch: string; hostname: string };
  cpu: { model: string; count: number; memoryBytes: number };
  gpus: { name: string; driver: string; memory: string }[];
  /** Selected variables; secrets never stored, their names listed as redacted (src/core/util/redact.ts). */
  vars: Record<string, string>;
  redacted: string[];
}

/** Variables that change what an ML run computes, or where. */
const KEEP = [
  /^CUDA_/,
  /^NVIDIA_/,
  /^PYTHON/,
  /^VIRTUAL_ENV$/,
  /^CONDA_/,
  /^OMP_/,
  /^MKL_/,
  /^OPENBLAS_/,
  /^TF_/,
  /^TORCH/,
  /^PYTORCH_/,
  /^HF_/,
  /^TRANSFORMERS_/,
  /^DVC_/,
  /^MLFLOW_/,
  /^WANDB_/,
  /^LANG$/,
  /^LC_ALL$/,
  /^TZ$/,
  /^SEED$/,
  /^PATH$/,
];

export function selectVars(env: NodeJS.ProcessEnv): { vars: Record<string, string>; redacted: string[] } {
  const vars: Record<string, string> = {};
  const redacted: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !KEEP.some((k) => k.test(name))) continue;
    if (isSecretName(name)) {
      redacted.push(name);
      continue;
    }
    vars[name] = redactText(value);
  }
  return { vars, redacted };
}

function run(file: string, args: string[], cwd: string, timeoutMs = 20000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
}

/** The interpreter a cmd like `python src/train.py` or `python3 -m x` would start, if any. */
export function pythonOf(cmd: string): string | undefined {
  const m = /(?:^|&&|;|\|\||\s)\s*((?:[\w./-]*\/)?python(?:3(?:\.\d+)?)?)(?=\s|$)/.exec(cmd);
  return m?.[1];
}

async function gitState(root: string): Promise<EnvRecord['git']> {
  try {
    const head = (await runGitText(root, ['rev-parse', '--verify', '-q', 'HEAD'], { allowExit: [1] })).trim() || undefined;
    const branch = (await runGitText(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowExit: [1] })).trim() || undefined;
    const status = await runGitText(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no']);
    const changed = status
      .split('\0')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return { head, branch, dirty: changed.length > 0, changed: changed.slice(0, 200) };
  } catch {
    return {};
  }
}

async function pythonInfo(python: string, cwd: string): Promise<EnvRecord['python']> {
  const out = await run(python, ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'], cwd);
  if (!out) return undefined;
  const [executable, version] = out.trim().split('\n');
  const freeze = await run(executable, ['-m', 'pip', 'freeze', '--all'], cwd, 60000);
  // `pip freeze` prints an editable install's remote as is: `-e git+https://bot:ghp_…@host/…`.
  return {
    executable,
    version,
    packages: freeze
      ? freeze
          .split('\n')
          .map((l) => redactText(l.trim()))
          .filter(Boolean)
      : [],
  };
}

async function gpus(cwd: string): Promise<EnvRecord['gpus']> {
  const out = await run('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], cwd, 10000);
  if (!out) return [];
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, driver, memory] = line.split(',').map((s) => s.trim());
      return { name, driver, memory };
    });
}

/**
 * Slow probes (pip freeze, nvidia-smi) shared by the stages of one repro run: they take
 * seconds and give the same answer for every stage that uses the same interpreter.
 */
export class EnvProbes {
  private readonly python = new Map<string, Promise<EnvRecord['python']>>();
  private gpu: Promise<EnvRecord['gpus']> | undefined;

  pythonInfo(python: string, cwd: string): Promise<EnvRecord['python']> {
    const key = python.includes('/') ? `${cwd}\n${python}` : python;
    let p = this.python.get(key);
    if (!p) this.python.set(key, (p = pythonInfo(python, cwd)));
    return p;
  }

  gpus(cwd: string): Promise<EnvRecord['gpus']> {
    return (this.gpu ??= gpus(cwd));
  }
}

/** The cheap part, taken right before the command starts: Git state, OS, variables. */
export async function captureBaseEnvironment(
  root: string,
  cmd: string,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EnvRecord> {
  const cpus = os.cpus();
  return {
    git: await gitState(root),
    cmd,
    cwd,
    node: process.version,
    os: { platform: os.platform(), release: os.release(), arch: os.arch(), hostname: os.hostname() },
    cpu: { model: cpus[0]?.model ?? 'unknown', count: cpus.length, memoryBytes: os.totalmem() },
    gpus: [],
    ...selectVars(env),
  };
}

/** Adds the interpreter, its packages and the GPUs; runs while the command runs. */
export async function completeEnvironment(base: EnvRecord, probes: EnvProbes = new EnvProbes()): Promise<EnvRecord> {
  const python = pythonOf(base.cmd);
  const [py, gpu] = await Promise.all([python ? probes.pythonInfo(python, base.cwd) : Promise.resolve(undefined), probes.gpus(base.cwd)]);
  return { ...base, ...(py ? { python: py } : {}), gpus: gpu };
}

/** Everything but the run's own outcome. */
export async function captureEnvironment(root: string, cmd: string, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<EnvRecord> {
  return completeEnvironment(await captureBaseEnvironment(root, cmd, cwd, env));
}

/**
 * The record with every secret masked: applied when a run is stored and again when it is read,
 * because indexes written by older versions hold unmasked URLs, pip lines and variables.
 */
export function redactEnvRecord(env: EnvRecord): EnvRecord {
  const { vars, redacted, ...rest } = env;
  return { ...redactDeep(rest), ...redactVars(vars ?? {}, redacted ?? []) };
}

/** Identifies the outs a run produced, so a later commit whose dvc.lock has them finds the run. */
export function outsKey(project: string, stage: string, outs: { path: string; md5?: string }[]): string | undefined {
  if (outs.length === 0 || outs.some((o) => !o.md5)) return undefined;
  const parts = [...outs].sort((a, b) => (a.path < b.path ? -1 : 1)).map((o) => `${o.path}\t${o.md5}`);
  return createHash('sha1')
    .update(`${project}\n${stage}\n${parts.join('\n')}`)
    .digest('hex');
}
