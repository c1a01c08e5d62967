import { loadGitRegistry, type LoadedRegistry } from './registryLoad';
import {
  activeVersions,
  artifactActive,
  latestRegistered,
  stageHolders,
  versionActive,
  versionVStages,
  type GtoArtifact,
  type GtoVersion,
} from './gtoState';
import { bumpVersion, type Bump } from './semver';
import { assertArtifactName, assertStageName, assertVersion, formatRegistryTag, RegistryInputError, type TagAction } from './tagGrammar';
import { assertSafeGitWord, createAnnotatedTag, pushTags, resolveCommit } from './tagWriter';
import type { RegistryBackend, RegistryState, RegistryWriteResult } from './types';

/** The registry state from the repository's Git tags (GTO-compatible) and declarations at HEAD. */
export async function readGitRegistry(root: string): Promise<RegistryState> {
  return (await loadGitRegistry(root)).state;
}

export interface GitWriteOptions {
  message?: string;
  /** Write despite a guard: deprecated artifact, version already in the stage or deregistered. */
  force?: boolean;
  /** Push the new tags to this remote; a failed push keeps the local tags and says so. */
  push?: string | null;
}

export interface GitWriteResult extends RegistryWriteResult {
  pushed: { remote: string; ok: boolean; error?: string } | null;
}

interface PlannedTag {
  action: TagAction;
  version?: string;
  stage?: string;
  commit: string;
  message: string;
  simple?: boolean;
}

function registeredVersion(a: GtoArtifact | undefined, version: string): GtoVersion | undefined {
  return a?.versions.find((v) => v.version === version && v.registrations.length + v.deregistrations.length > 0);
}

function holdsStage(v: GtoVersion, stage: string): boolean {
  return versionVStages(v).some((s) => s.stage === stage);
}

/**
 * The Git-tag registry (GTO's format). Every input is validated before the first git call;
 * each write reads the tags once, plans its tags, then creates them in order.
 */
export class GitRegistry implements RegistryBackend {
  readonly kind = 'git' as const;

  constructor(
    readonly root: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  read(): Promise<RegistryState> {
    return readGitRegistry(this.root);
  }

  /** The version `register` would pick: a bump of the newest active registered version. */
  async suggestVersion(artifact: string, bump: Bump = 'patch'): Promise<string> {
    assertArtifactName(artifact);
    const loaded = await loadGitRegistry(this.root);
    const a = loaded.gto.get(artifact);
    return bumpVersion(a ? (latestRegistered(a)?.version ?? null) : null, bump);
  }

  async register(
    artifact: string,
    version: string | null,
    target: string,
    options: GitWriteOptions & { bump?: Bump } = {},
  ): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    if (version !== null) assertVersion(version);
    this.checkOptions(options);
    const commit = await resolveCommit(this.root, target);
    const loaded = await loadGitRegistry(this.root);
    this.refuseDeprecated(loaded, artifact, options, 'register a version of');
    const a = loaded.gto.get(artifact);
    const atCommit = a?.versions.find((v) => v.commit === commit && v.registrations.length + v.deregistrations.length > 0);
    if (atCommit && versionActive(atCommit) && atCommit.registrations.length > 0 && !options.force) {
      throw new RegistryInputError(`${artifact} is already registered at ${commit.slice(0, 7)} as ${atCommit.version}`);
    }
    // GTO keeps one version per commit: a second name there would make its assignments ambiguous.
    if (atCommit && version !== null && version !== atCommit.version) {
      throw new RegistryInputError(
        `${commit.slice(0, 7)} already holds ${artifact} ${atCommit.version}; only that version can be registered there`,
      );
    }
    if (version !== null && registeredVersion(a, version) && registeredVersion(a, version) !== atCommit) {
      throw new RegistryInputError(`${artifact} ${version} already exists; pick another version`);
    }
    const name = version ?? atCommit?.version ?? bumpVersion(a ? (latestRegistered(a)?.version ?? null) : null, options.bump ?? 'patch');
    return this.write(
      loaded,
      artifact,
      [
        {
          action: 'register',
          version: name,
          commit,
          simple: true,
          message: options.message ?? `Registering artifact ${artifact} version ${name}`,
        },
      ],
      options,
      `Registered ${artifact} ${name} at ${commit.slice(0, 7)}`,
    );
  }

  async deregister(artifact: string, version: string, options: GitWriteOptions = {}): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    assertVersion(version);
    this.checkOptions(options);
    const loaded = await loadGitRegistry(this.root);
    const v = registeredVersion(loaded.gto.get(artifact), version);
    if (!v) throw new RegistryInputError(`${artifact} has no version ${version}`);
    if (!versionActive(v) && !options.force) throw new RegistryInputError(`${artifact} ${version} was deregistered already`);
    return this.write(
      loaded,
      artifact,
      [
        {
          action: 'deregister',
          version,
          commit: v.commit,
          simple: true,
          message: options.message ?? `Deregistering artifact ${artifact} version ${version}`,
        },
      ],
      options,
      `Deregistered ${artifact} ${version}`,
    );
  }

  /**
   * Assigns a stage (or an alias: the same thing in GTO's tags). With `archiveExisting`
   * (the default) every other version holding the stage gets an unassignment first.
   */
  async assign(
    artifact: string,
    version: string,
    stage: string,
    options: GitWriteOptions & { archiveExisting?: boolean } = {},
  ): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    assertVersion(version);
    assertStageName(stage);
    this.checkOptions(options);
    const loaded = await loadGitRegistry(this.root);
    return this.writeAssign(loaded, artifact, version, stage, options);
  }

  /** `assign` by commit: the version registered there, else a new registration first (as `gto assign REF` does). */
  async assignRevision(
    artifact: string,
    rev: string,
    stage: string,
    options: GitWriteOptions & { archiveExisting?: boolean; bump?: Bump } = {},
  ): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    assertStageName(stage);
    this.checkOptions(options);
    const commit = await resolveCommit(this.root, rev);
    const loaded = await loadGitRegistry(this.root);
    const existing = loaded.gto.get(artifact)?.versions.find((v) => v.commit === commit && v.registrations.length > 0 && versionActive(v));
    if (existing) return this.writeAssign(loaded, artifact, existing.version, stage, options);
    const registered = await this.register(artifact, null, commit, { force: options.force, bump: options.bump });
    const version = registered.actions[0].slice(registered.actions[0].indexOf('@') + 1);
    const assigned = await this.assign(artifact, version, stage, options);
    return { ...assigned, actions: [...registered.actions, ...assigned.actions], message: `${registered.message}; ${assigned.message}` };
  }

  async unassign(artifact: string, version: string, stage: string, options: GitWriteOptions = {}): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    assertVersion(version);
    assertStageName(stage);
    this.checkOptions(options);
    const loaded = await loadGitRegistry(this.root);
    const v = registeredVersion(loaded.gto.get(artifact), version);
    if (!v) throw new RegistryInputError(`${artifact} has no version ${version}`);
    if (!holdsStage(v, stage) && !options.force) throw new RegistryInputError(`${artifact} ${version} is not in stage ${stage}`);
    return this.write(
      loaded,
      artifact,
      [{ action: 'unassign', stage, commit: v.commit, message: options.message ?? unassignMessage(artifact, version, stage) }],
      options,
      `Unassigned ${stage} from ${artifact} ${version}`,
    );
  }

  /** Gives `stage` back to the version that held it before the current holder. */
  async rollback(artifact: string, stage: string, options: GitWriteOptions = {}): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    assertStageName(stage);
    this.checkOptions(options);
    const loaded = await loadGitRegistry(this.root);
    const a = loaded.gto.get(artifact);
    const current = a ? (stageHolders(a, { sort: 'timestamp' }).get(stage)?.[0] ?? null) : null;
    const assignments = (a?.versions ?? []).flatMap((v) => v.stages.get(stage)?.assignments ?? []).sort((x, y) => y.time - x.time);
    const since = current === null ? Infinity : Math.max(...assignments.filter((e) => e.version === current).map((e) => e.time));
    const eligible = new Set((a ? activeVersions(a, { includeNonExplicit: false, sort: 'semver' }) : []).map((v) => v.version));
    const previous = assignments.find((e) => e.time <= since && e.version !== current && eligible.has(e.version!));
    if (!previous) throw new RegistryInputError(`${artifact}: no earlier version held stage ${stage}, nothing to roll back to`);
    const result = await this.writeAssign(loaded, artifact, previous.version!, stage, { ...options, archiveExisting: true });
    return {
      ...result,
      message: `Rolled ${artifact} ${stage} back to ${previous.version}${current ? ` (from ${current})` : ''}${result.message.slice(result.message.lastIndexOf(' (tag'))}`,
    };
  }

  async deprecate(artifact: string, options: GitWriteOptions = {}): Promise<GitWriteResult> {
    assertArtifactName(artifact);
    this.checkOptions(options);
    const loaded = await loadGitRegistry(this.root);
    const a = loaded.gto.get(artifact);
    if (a && a.deprecations.length > 0 && !artifactActive(a) && !options.force)
      throw new RegistryInputError(`${artifact} is deprecated already`);
    const events = loaded.tags.events.filter((e) => e.artifact === artifact).sort((x, y) => y.time - x.time);
    const commit = events[0]?.commit ?? loaded.head;
    if (!commit) throw new RegistryInputError('the repository has no commits to tag');
    return this.write(
      loaded,
      artifact,
      [{ action: 'deprecate', commit, simple: true, message: options.message ?? `Deprecating artifact '${artifact}'` }],
      options,
      `Deprecated ${artifact}`,
    );
  }

  private planAssign(
    loaded: LoadedRegistry,
    artifact: string,
    version: string,
    stage: string,
    options: GitWriteOptions & { archiveExisting?: boolean },
  ): PlannedTag[] {
    if (loaded.allowedStages && !loaded.allowedStages.includes(stage)) {
      throw new RegistryInputError(`stage ${stage} is not allowed by .gto (stages: ${loaded.allowedStages.join(', ')})`);
    }
    this.refuseDeprecated(loaded, artifact, options, 'assign a stage to');
    const a = loaded.gto.get(artifact);
    const v = registeredVersion(a, version);
    if (!v || v.registrations.length === 0) throw new RegistryInputError(`${artifact} ${version} is not registered`);
    if (!versionActive(v) && !options.force)
      throw new RegistryInputError(`${artifact} ${version} was deregistered; pass force to assign it anyway`);
    if (holdsStage(v, stage) && !options.force) throw new RegistryInputError(`${artifact} ${version} is already in stage ${stage}`);
    const plan: PlannedTag[] = [];
    if (options.archiveExisting !== false) {
      // Versions GTO names by a commit sha cannot be unassigned in GTO's model (each tag on
      // such a commit makes a fresh version), so only registered holders are archived.
      for (const other of a!.versions) {
        if (other === v || other.registrations.length === 0 || !holdsStage(other, stage)) continue;
        plan.push({
          action: 'unassign',
          stage,
          version: other.version,
          commit: other.commit,
          message: unassignMessage(artifact, other.version, stage),
        });
      }
    }
    plan.push({
      action: 'assign',
      stage,
      commit: v.commit,
      message: options.message ?? `Assigning stage ${stage} to artifact ${artifact} version ${version}`,
    });
    return plan;
  }

  private writeAssign(
    loaded: LoadedRegistry,
    artifact: string,
    version: string,
    stage: string,
    options: GitWriteOptions & { archiveExisting?: boolean },
  ): Promise<GitWriteResult> {
    const plan = this.planAssign(loaded, artifact, version, stage, options);
    const archived = plan.filter((p) => p.action === 'unassign').map((p) => p.version!);
    return this.write(
      loaded,
      artifact,
      plan,
      options,
      `Assigned ${stage} to ${artifact} ${version}${archived.length ? ` (unassigned from ${archived.join(', ')})` : ''}`,
    );
  }

  private refuseDeprecated(loaded: LoadedRegistry, artifact: string, options: GitWriteOptions, what: string): void {
    const a = loaded.state.artifacts.find((x) => x.name === artifact);
    if (a?.deprecated && !options.force) throw new RegistryInputError(`${artifact} is deprecated; pass force to ${what} it anyway`);
  }

  private checkOptions(options: GitWriteOptions): void {
    if (options.push) assertSafeGitWord('remote', options.push);
  }

  private async write(
    loaded: LoadedRegistry,
    artifact: string,
    plan: PlannedTag[],
    options: GitWriteOptions,
    summary: string,
  ): Promise<GitWriteResult> {
    let counter = loaded.tags.counters.get(artifact) ?? 0;
    const last = Math.max(0, ...loaded.tags.events.filter((e) => e.artifact === artifact).map((e) => e.time));
    let time = Math.max(this.now(), last + 1);
    const names = plan.map((p) => {
      const simpleName = formatRegistryTag({ action: p.action, artifact, version: p.version, stage: p.stage, counter: null });
      if (p.simple && !loaded.tags.names.has(simpleName)) return simpleName;
      counter += 1;
      return formatRegistryTag({ action: p.action, artifact, version: p.version, stage: p.stage, counter });
    });
    for (const name of names) if (loaded.tags.names.has(name)) throw new RegistryInputError(`tag ${name} exists already`);
    const created: string[] = [];
    for (const [i, p] of plan.entries()) {
      await createAnnotatedTag(this.root, { name: names[i], commit: p.commit, message: p.message, time: time++ });
      created.push(names[i]);
    }
    let message = `${summary} (tag${created.length > 1 ? 's' : ''} ${created.join(', ')})`;
    let pushed: GitWriteResult['pushed'] = null;
    if (options.push) {
      try {
        await pushTags(this.root, options.push, created);
        pushed = { remote: options.push, ok: true };
        message += `; pushed to ${options.push}`;
      } catch (e) {
        const error = (e as Error).message;
        pushed = { remote: options.push, ok: false, error };
        message += `; push to ${options.push} failed, the tags stay local: ${error}`;
      }
    }
    return { actions: created, message, pushed };
  }
}

function unassignMessage(artifact: string, version: string, stage: string): string {
  return `Unassigning stage '${stage}' to artifact '${artifact}' version '${version}'`;
}
