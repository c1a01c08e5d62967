import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryAt } from '../core/workspace/workspace';
import { gitRegistry, loadedRegistry, type GitRegistry, type GitWriteResult } from '../core/workspace/registry';
import { gtoHistory, gtoShow, pythonJson } from '../core/registry/gtoJson';
import { RegistryInputError } from '../core/registry/tagGrammar';
import type { Bump } from '../core/registry/semver';
import type { ModelArtifact } from '../core/registry/types';
import { UsageError } from './context';
import { hasFlag, mlflowRegistryWrite, MLFLOW_REGISTRY_HELP, MLFLOW_WRITE_HELP, showMlflowRegistry } from './registryMlflow';
import { showModel } from './registryModel';
import { renderTable } from './table';

export const REGISTRY_USAGE = `Usage: lineage registry [MODEL] [--json] [--history] [--mlflow [PATH|URL]]

The model registry kept in Git tags (GTO's format): each model, its latest version and
which version holds each stage. --json prints what \`gto show --json\` prints;
--history lists the events (newest first), with --json as \`gto history --json\`.
MODEL (or MODEL#STAGE, MODEL@VERSION, MODEL@latest) lists that model's versions with their
registrations and stage history, --json as \`gto show MODEL --json\`; with --history,
that model's events only.
Tags that look like registry tags but are not in GTO's grammar, or are lightweight, are
ignored with a line on stderr.
${MLFLOW_REGISTRY_HELP}`;

const WRITE_NOTE = `Tags are annotated with GTO's messages. --push REMOTE pushes the new tags; when the push
fails the tags stay local and the exit code is 1.`;

export const REGISTER_USAGE = `Usage: lineage register ART [REV] [--version vX.Y.Z | --bump patch|minor|major] [--push REMOTE] [--force]

Registers a new version of ART at REV (default HEAD). Without --version the newest
version is bumped (patch by default); the first version is v0.0.1. ${WRITE_NOTE}
`;
export const ASSIGN_USAGE = `Usage: lineage assign ART[@VERSION] STAGE [REV] [--keep-existing] [--force] [--push REMOTE]

Promotes a version to STAGE (a stage such as prod, or an alias such as champion). Without
@VERSION the version registered at REV (default HEAD) is used, or registered first. Other
versions holding STAGE are unassigned unless --keep-existing. --force assigns to a
deprecated model. ${WRITE_NOTE}
`;
export const UNASSIGN_USAGE = `Usage: lineage unassign ART@VERSION STAGE [--push REMOTE]\n\nRemoves STAGE from a version. ${WRITE_NOTE}\n`;
export const ROLLBACK_USAGE = `Usage: lineage rollback ART STAGE [--push REMOTE]\n\nGives STAGE back to the version that held it before the current one. ${WRITE_NOTE}\n`;
export const DEPRECATE_USAGE = `Usage: lineage deprecate ART [--force] [--push REMOTE]\n\nMarks a model deprecated (GTO's ART@deprecated tag). ${WRITE_NOTE}\n`;

export const REGISTRY_HELP: Record<string, string> = {
  registry: REGISTRY_USAGE,
  register: REGISTER_USAGE + MLFLOW_WRITE_HELP,
  assign: ASSIGN_USAGE + MLFLOW_WRITE_HELP,
  unassign: UNASSIGN_USAGE + MLFLOW_WRITE_HELP,
  rollback: ROLLBACK_USAGE,
  deprecate: DEPRECATE_USAGE + MLFLOW_WRITE_HELP,
};

function registryTable(artifacts: ModelArtifact[]): string {
  if (artifacts.length === 0) return 'No models in the registry (no GTO tags, no artifacts.yaml or dvc.yaml artifacts).\n';
  const rows = artifacts.map((a) => {
    const latest = a.versions.find((v) => v.registered && v.active)?.version ?? '-';
    const stages = Object.entries(a.stages)
      .map(([stage, versions]) => `${stage}: ${versions.map(short).join(', ')}`)
      .join('; ');
    return [a.name, latest, a.deprecated ? 'deprecated' : stages || '-'];
  });
  return renderTable(['model', 'latest', 'stages'], rows);
}

const short = (version: string) => (/^[0-9a-f]{40}$/.test(version) ? version.slice(0, 7) : version);

async function showRegistry(root: string, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, history: { type: 'boolean' } },
  });
  if (positionals.length > 1)
    throw new UsageError(`registry takes at most one model (got ${positionals.map((p) => JSON.stringify(p)).join(', ')})`);
  const model = positionals[0] as string | undefined;
  const loaded = await loadedRegistry(root);
  for (const i of loaded.state.ignored) process.stderr.write(`lineage: ignored tag ${JSON.stringify(i.tag)}: ${i.reason}\n`);
  for (const p of loaded.problems) process.stderr.write(`lineage: ${p.message}\n`);
  if (opts.history) {
    // `gto history MODEL` keeps the events whose artifact is exactly MODEL.
    const events = gtoHistory(loaded.gto).filter((e) => model === undefined || e.artifact === model);
    if (opts.json) process.stdout.write(pythonJson(events) + '\n');
    else
      process.stdout.write(
        events.length === 0
          ? 'No registry events.\n'
          : renderTable(
              ['time', 'model', 'event', 'version', 'stage', 'tag'],
              events.map((e) => [e.timestamp, e.artifact, e.event, short(e.version ?? '-'), e.stage ?? '-', e.ref]),
            ),
      );
    return 0;
  }
  if (model !== undefined) return await showModel(root, loaded, model, Boolean(opts.json));
  process.stdout.write(
    opts.json ? pythonJson(gtoShow(loaded.gto, { stages: loaded.allowedStages })) + '\n' : registryTable(loaded.state.artifacts),
  );
  return 0;
}

function splitVersion(spec: string): { artifact: string; version: string | null } {
  const at = spec.indexOf('@');
  return at < 0 ? { artifact: spec, version: null } : { artifact: spec.slice(0, at), version: spec.slice(at + 1) };
}

function report(result: GitWriteResult): number {
  if (result.pushed && !result.pushed.ok) {
    process.stderr.write(`lineage: ${result.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
  process.stdout.write(result.message + '\n');
  return 0;
}

function expectPositionals(command: string, positionals: string[], min: number, max: number): void {
  if (positionals.length < min || positionals.length > max)
    throw new UsageError(
      `${command}: expected ${min === max ? min : `${min} to ${max}`} arguments, got ${positionals.length} (see lineage ${command} --help)`,
    );
}

async function write(registry: GitRegistry, command: string, argv: string[]): Promise<number> {
  const { values: o, positionals: p } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      version: { type: 'string' },
      bump: { type: 'string' },
      push: { type: 'string' },
      force: { type: 'boolean' },
      'keep-existing': { type: 'boolean' },
      message: { type: 'string', short: 'm' },
    },
  });
  const common = { force: o.force, push: o.push ?? null, message: o.message };
  if (o.bump !== undefined && !['patch', 'minor', 'major'].includes(o.bump))
    throw new UsageError(`--bump must be patch, minor or major, not ${JSON.stringify(o.bump)}`);
  switch (command) {
    case 'register': {
      expectPositionals(command, p, 1, 2);
      if (o.version && o.bump) throw new UsageError('register: give --version or --bump, not both');
      return report(await registry.register(p[0], o.version ?? null, p[1] ?? 'HEAD', { ...common, bump: o.bump as Bump | undefined }));
    }
    case 'assign': {
      expectPositionals(command, p, 2, 3);
      const { artifact, version } = splitVersion(p[0]);
      const options = { ...common, archiveExisting: !o['keep-existing'], bump: o.bump as Bump | undefined };
      if (version !== null && p[2] !== undefined) throw new UsageError('assign: give ART@VERSION or a REV, not both');
      return report(
        version !== null
          ? await registry.assign(artifact, version, p[1], options)
          : await registry.assignRevision(artifact, p[2] ?? 'HEAD', p[1], options),
      );
    }
    case 'unassign': {
      expectPositionals(command, p, 2, 2);
      const { artifact, version } = splitVersion(p[0]);
      if (version === null) throw new UsageError('unassign: give the version as ART@VERSION');
      return report(await registry.unassign(artifact, version, p[1], common));
    }
    case 'rollback':
      expectPositionals(command, p, 2, 2);
      return report(await registry.rollback(p[0], p[1], common));
    case 'deprecate':
      expectPositionals(command, p, 1, 1);
      return report(await registry.deprecate(p[0], common));
  }
  throw new UsageError(`unknown registry command ${command}`);
}

/** `lineage registry|register|assign|unassign|rollback|deprecate`; no index needed. */
export async function registryCommand(command: string, argv: string[], repo: string | undefined): Promise<number> {
  const repoInfo = await repositoryAt(resolve(repo ?? process.cwd()));
  // MLflow registries live in stores and servers, not in Git: no repository needed for them.
  if (command === 'registry' && hasFlag(argv, '--mlflow')) return await showMlflowRegistry(repoInfo.root, argv);
  if (command !== 'registry' && hasFlag(argv, '--mlflow-uri')) return await mlflowRegistryWrite(command, argv);
  if (!repoInfo.gitDir) throw new UsageError(`${repoInfo.root} is not a Git repository: the model registry lives in Git tags`);
  try {
    if (command === 'registry') return await showRegistry(repoInfo.root, argv);
    return await write(gitRegistry(repoInfo.root), command, argv);
  } catch (e) {
    if (e instanceof RegistryInputError) throw new UsageError(e.message);
    throw e;
  }
}
