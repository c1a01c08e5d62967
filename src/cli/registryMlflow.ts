import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  MlflowRegistry,
  MlflowServerError,
  readLocalMlflowRegistries,
  readMlflowRegistry,
  type LocalMlflowRegistry,
} from '../core/workspace/registry';
import type { RegistryState } from '../core/registry/types';
import type { RunProblem } from '../core/runs/types';
import { UsageError } from './context';
import { MLFLOW_LIMIT_OPTIONS, MLFLOW_LIMITS_HELP, mlflowLimitsFromFlags, warnOnStderr } from './mlflowLimitFlags';
import { renderTable } from './table';

const CONTROL = /[\u0000-\u001f\u007f]/;
const RUN_ID = /^[0-9a-f]{32}$/i;

/** `--mlflow=X` as `--mlflow X`, so one boolean flag plus an optional positional reads both spellings. */
function splitEquals(argv: string[], flag: string): string[] {
  return argv.flatMap((a) => (a.startsWith(`${flag}=`) ? [flag, a.slice(flag.length + 1)] : [a]));
}

export const hasFlag = (argv: string[], flag: string): boolean => argv.some((a) => a === flag || a.startsWith(`${flag}=`));

/** An http(s) URL checked before any request, so a typo never reaches the network. */
function serverUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a URL (expected http://host:port of an MLflow tracking server)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag} ${JSON.stringify(value)}: only http(s) tracking servers are supported`);
  return value;
}

function isSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

/** A repo-relative store path, refused when it leaves the repository (also through a symlink). */
function storePath(root: string, value: string): string {
  if (!value || CONTROL.test(value)) throw new UsageError(`--mlflow ${JSON.stringify(value)} is not a path`);
  const full = resolve(root, value);
  const rel = relative(root, full);
  if (!existsSync(full)) throw new UsageError(`--mlflow ${value}: no such file or folder in ${root}`);
  const real = relative(realpathSync(root), realpathSync(full));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || real.startsWith('..') || isAbsolute(real))
    throw new UsageError(`--mlflow ${value}: not inside the repository ${root} (give an mlruns folder or .db file in it)`);
  if (!statSync(full).isDirectory() && !isSqlite(full))
    throw new UsageError(`--mlflow ${value}: neither an MLflow file store folder (mlruns) nor a SQLite database (mlflow.db)`);
  return rel.split(sep).join('/');
}

function short(id: string | null | undefined, n: number): string {
  return id ? id.slice(0, n) : '-';
}

export function mlflowRegistryTable(state: RegistryState): string {
  if (state.artifacts.length === 0) return 'No registered models.\n';
  const rows = state.artifacts.flatMap((a) => {
    const name = a.deprecated ? `${a.name} (deprecated)` : a.name;
    if (a.versions.length === 0) return [[name, '-', '-', '-', '-']];
    return a.versions.map((v) => [name, v.version, v.stages.join(', ') || '-', short(v.runId, 8), short(v.commit, 7)]);
  });
  return renderTable(['model', 'version', 'stages', 'run', 'commit'], rows);
}

function reportProblems(problems: RunProblem[]): void {
  for (const p of problems) process.stderr.write(`lineage: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
}

const label = (r: LocalMlflowRegistry) => `${r.location} (${r.format === 'mlflow-files' ? 'file store' : 'SQLite'})`;

/** `lineage registry --mlflow [PATH|URL] [--json]`: an MLflow model registry, read-only. */
export async function showMlflowRegistry(root: string, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: splitEquals(argv, '--mlflow'),
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, history: { type: 'boolean' }, mlflow: { type: 'boolean' }, ...MLFLOW_LIMIT_OPTIONS },
  });
  if (o.history) throw new UsageError('registry --history reads the Git registry; MLflow keeps no event history');
  if (positionals.length > 1) throw new UsageError(`registry --mlflow takes one PATH or URL (got ${positionals.length})`);
  const target = positionals[0];
  const limits = mlflowLimitsFromFlags(o);
  let registries: LocalMlflowRegistry[];
  if (target !== undefined && /^https?:\/\//i.test(target)) {
    const registry = new MlflowRegistry(serverUrl(target, '--mlflow'), {
      token: process.env.MLFLOW_TRACKING_TOKEN || undefined,
      ...limits,
      onWarning: warnOnStderr,
    });
    try {
      registries = [{ location: target, format: 'mlflow-sqlite', state: await registry.read(), problems: [] }];
    } catch (error) {
      throw error instanceof MlflowServerError ? new UsageError(error.message) : error;
    }
  } else if (target !== undefined) {
    if (/^[a-z][\w+.-]+:/i.test(target))
      throw new UsageError(`--mlflow ${JSON.stringify(target)}: give a repo-relative mlruns folder or .db file, or an http(s) URL`);
    const rel = storePath(root, target);
    const { state, problems } = await readMlflowRegistry(root, rel);
    registries = [
      { location: rel, format: statSync(resolve(root, rel)).isDirectory() ? 'mlflow-files' : 'mlflow-sqlite', state, problems },
    ];
  } else {
    registries = await readLocalMlflowRegistries(root);
  }
  for (const r of registries) reportProblems(r.problems);
  if (o.json) {
    if (registries.length > 1)
      throw new UsageError(
        `several MLflow registries in the workspace (${registries.map((r) => r.location).join(', ')}): name one with --mlflow PATH`,
      );
    process.stdout.write(JSON.stringify(registries[0]?.state ?? { artifacts: [], ignored: [] }, null, 2) + '\n');
    return 0;
  }
  if (registries.length === 0) {
    process.stdout.write(
      'No MLflow model registry in the workspace (an mlruns folder with models/, or an mlflow.db with registered models).\n',
    );
    return 0;
  }
  if (registries.length === 1 && target !== undefined) process.stdout.write(mlflowRegistryTable(registries[0].state));
  else process.stdout.write(registries.map((r) => `${label(r)}:\n${mlflowRegistryTable(r.state)}`).join('\n'));
  return 0;
}

function checkText(what: string, value: string): string {
  if (!value || value.trim() !== value || CONTROL.test(value) || value.startsWith('-'))
    throw new UsageError(`invalid ${what} ${JSON.stringify(value)} (empty, leading '-', surrounding spaces or control characters)`);
  return value;
}

function versionSpec(command: string, spec: string): { artifact: string; version: string } {
  const at = spec.lastIndexOf('@');
  if (at < 0) throw new UsageError(`${command} --mlflow-uri: give the version as ART@VERSION`);
  const version = spec.slice(at + 1);
  if (!/^[1-9]\d*$/.test(version))
    throw new UsageError(`${command} --mlflow-uri: MLflow model versions are positive integers; "${version}" is not one`);
  return { artifact: checkText('model name', spec.slice(0, at)), version };
}

function expect(command: string, p: string[], min: number, max: number): void {
  if (p.length < min || p.length > max)
    throw new UsageError(
      `${command} --mlflow-uri: expected ${min === max ? min : `${min} to ${max}`} arguments, got ${p.length} (see lineage ${command} --help)`,
    );
}

/**
 * `register|assign|unassign|deprecate … --mlflow-uri URL`: the same operation on an MLflow
 * server's registry. Every argument is checked first; Git-only options are refused by name.
 */
export async function mlflowRegistryWrite(command: string, argv: string[]): Promise<number> {
  const { values: o, positionals: p } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'mlflow-uri': { type: 'string' },
      version: { type: 'string' },
      'keep-existing': { type: 'boolean' },
      bump: { type: 'string' },
      push: { type: 'string' },
      force: { type: 'boolean' },
      message: { type: 'string', short: 'm' },
      ...MLFLOW_LIMIT_OPTIONS,
    },
  });
  if (command === 'rollback')
    throw new UsageError(
      'rollback works on the Git-tag registry only; on MLflow, assign the earlier version: lineage assign ART@VERSION STAGE --mlflow-uri URL',
    );
  for (const gitOnly of ['bump', 'push', 'force', 'message'] as const)
    if (o[gitOnly] !== undefined) throw new UsageError(`--${gitOnly} is for the Git registry; it has no meaning with --mlflow-uri`);
  const url = serverUrl(o['mlflow-uri'] ?? '', '--mlflow-uri');
  let run: () => Promise<{ message: string }>;
  const limits = mlflowLimitsFromFlags(o);
  const registry = () =>
    new MlflowRegistry(url, { token: process.env.MLFLOW_TRACKING_TOKEN || undefined, ...limits, onWarning: warnOnStderr });
  switch (command) {
    case 'register': {
      expect(command, p, 2, 2);
      const artifact = checkText('model name', p[0]);
      const target = checkText('run id or model source', p[1]);
      if (!RUN_ID.test(target) && !/^[a-z][\w+.-]*:/i.test(target))
        throw new UsageError(
          `register --mlflow-uri: "${target}" is neither an MLflow run id nor a model source URI (runs:/<id>/<path>, models:/…, s3://…)`,
        );
      if (o.version !== undefined && !/^[1-9]\d*$/.test(o.version))
        throw new UsageError(`register --mlflow-uri: MLflow model versions are positive integers; "${o.version}" is not one`);
      run = () => registry().register(artifact, o.version ?? null, target);
      break;
    }
    case 'assign':
    case 'unassign': {
      expect(command, p, 2, 2);
      if (o.version !== undefined) throw new UsageError(`${command} --mlflow-uri: give the version as ART@VERSION, not --version`);
      const { artifact, version } = versionSpec(command, p[0]);
      const stage = checkText('stage or alias', p[1]);
      run =
        command === 'assign'
          ? () => registry().assign(artifact, version, stage, { archiveExisting: !o['keep-existing'] })
          : () => registry().unassign(artifact, version, stage);
      break;
    }
    case 'deprecate': {
      expect(command, p, 1, 1);
      const artifact = checkText('model name', p[0]);
      run = () => registry().deprecate(artifact);
      break;
    }
    default:
      throw new UsageError(`${command} has no --mlflow-uri form`);
  }
  try {
    process.stdout.write((await run()).message + '\n');
    return 0;
  } catch (error) {
    // The server's refusal (or MLflow's own rule, such as its version numbering) is the user's to act on.
    if (error instanceof MlflowServerError || (error instanceof Error && error.constructor === Error)) throw new UsageError(error.message);
    throw error;
  }
}

export const MLFLOW_REGISTRY_HELP = `
With --mlflow, the MLflow model registry instead: of PATH (a repo-relative mlruns folder or
.db file), of a tracking server (an http(s) URL; MLFLOW_TRACKING_TOKEN is sent as a bearer
token), or by default of every mlruns/models folder and mlflow.db with registered models
found in the workspace. The table lists each version with its stage and aliases, its source
run and that run's commit when known; --json prints the registry state. Reading a server:
${MLFLOW_LIMITS_HELP}`;

export const MLFLOW_WRITE_HELP = `
--mlflow-uri URL runs the operation against an MLflow tracking server's registry instead
(register ART RUN_ID|SOURCE_URI, assign/unassign ART@N STAGE, deprecate ART; rollback is
Git-only). MLflow numbers versions itself; stages Staging, Production, Archived and None are
MLflow stages, any other name is an alias. With --mlflow-uri:
${MLFLOW_LIMITS_HELP}`;
