import * as vscode from 'vscode';
import { GitRegistry } from '../../core/workspace/registry';
import { gitRemotes, pushTags, resolveCommit } from '../../core/workspace/gitActions';
import { commitOf, WORKSPACE } from '../../core/workspace/revision';
import type { ModelArtifact, RegistryBackend, RegistryWriteResult } from '../../core/registry/types';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import type { EngineDiffSource } from '../diffDataSource';
import { MetricDiffPanel } from '../metricDiff/metricDiffPanel';
import { pickEngine, pickRevision } from '../revisionPicker';
import { oneLine } from '../tooltips';
import { engineOfArgs, isModelCommandArgs, requiredArg } from './modelCommandArgs';
import { versionLabel } from './modelNodes';
import type { ModelNode } from './modelNodeTypes';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { pushRemoteSetting } from './registryBackends';

export interface ModelCommandDeps {
  engines: Engines;
  tree: ModelsTreeProvider;
  extensionUri: vscode.Uri;
  sourceFor(engine: FolderEngine): EngineDiffSource;
}

const isNode = <K extends ModelNode['kind']>(arg: unknown, kind: K): arg is Extract<ModelNode, { kind: K }> =>
  Boolean(arg && typeof arg === 'object' && (arg as { kind?: unknown }).kind === kind && 'ctx' in (arg as object));

/** Menus need trust already; a command run another way says why it does nothing. */
function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      'ML Lineage: changing the model registry writes Git tags, which Restricted Mode does not allow. Trust the workspace first.',
      'Manage Workspace Trust',
    )
    .then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** A person sees a failure as a message; a caller that passed arguments (a script, a test) gets the error. */
async function guarded<T>(arg: unknown, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (isModelCommandArgs(arg)) throw error;
    void vscode.window.showErrorMessage(`ML Lineage: ${(error as Error).message}`);
    return undefined;
  }
}

/** The model a command acts on: the clicked node, else a folder and a model the user picks. */
async function pickModel(
  deps: ModelCommandDeps,
  arg: unknown,
  allowNew: boolean,
): Promise<{ engine: FolderEngine; name: string; artifact: ModelArtifact | null } | undefined> {
  if (isNode(arg, 'model') || isNode(arg, 'version')) return { engine: arg.ctx.engine, name: arg.artifact.name, artifact: arg.artifact };
  if (isModelCommandArgs(arg)) {
    await deps.engines.whenOpen();
    const engine = engineOfArgs(deps.engines, arg);
    const { state } = await deps.tree.registryOf(engine);
    return { engine, name: arg.artifact, artifact: state?.artifacts.find((a) => a.name === arg.artifact) ?? null };
  }
  const engine = await pickEngine(deps.engines);
  if (!engine?.repo) return undefined;
  const { state } = await deps.tree.registryOf(engine);
  const items: (vscode.QuickPickItem & { artifact?: ModelArtifact })[] = (state?.artifacts ?? []).map((a) => ({
    label: a.name,
    description: a.deprecated ? 'deprecated' : a.versions[0]?.version,
    artifact: a,
  }));
  if (allowNew) items.push({ label: '$(add) New model…' });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Model' });
  if (!pick) return undefined;
  if (pick.artifact) return { engine, name: pick.artifact.name, artifact: pick.artifact };
  const name = await vscode.window.showInputBox({
    prompt: 'Model name (as in artifacts.yaml; dir:name for a sub-project)',
    ignoreFocusOut: true,
  });
  return name ? { engine, name: name.trim(), artifact: null } : undefined;
}

/** The folder's registry; a configuration problem (no MLflow server set) becomes the error shown. */
async function backendOf(deps: ModelCommandDeps, engine: FolderEngine): Promise<RegistryBackend> {
  const { backend, error } = await deps.tree.registryOf(engine);
  if (!backend) throw new Error(error ?? 'no model registry for this folder');
  return backend;
}

async function confirmDeprecated(name: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(`${name} is deprecated. Change it anyway?`, { modal: true }, 'Continue');
  return choice === 'Continue';
}

/**
 * After a write: refresh, say what happened, and offer to push new Git tags (always asking
 * first). The command does not wait for the answer, so callers get the result at once.
 */
function afterWrite(deps: ModelCommandDeps, engine: FolderEngine, result: RegistryWriteResult, git: boolean): RegistryWriteResult {
  deps.tree.refresh();
  if (!git || result.actions.length === 0) void vscode.window.showInformationMessage(`ML Lineage: ${result.message}`);
  else void offerPush(engine, result).catch((error: Error) => vscode.window.showErrorMessage(`ML Lineage: ${oneLine(error.message)}`));
  return result;
}

async function offerPush(engine: FolderEngine, result: RegistryWriteResult): Promise<void> {
  const configured = pushRemoteSetting(engine.folder.uri);
  const action = configured ? `Push to ${configured}` : 'Push…';
  const choice = await vscode.window.showInformationMessage(`ML Lineage: ${result.message}`, action);
  if (!choice) return;
  const root = engine.repo!.root;
  let remote: string | undefined = configured;
  if (!remote) {
    const remotes = await gitRemotes(root);
    if (remotes.length === 0) {
      void vscode.window.showWarningMessage('ML Lineage: this repository has no remote to push to.');
      return;
    }
    remote = remotes.length === 1 ? remotes[0] : await vscode.window.showQuickPick(remotes, { placeHolder: 'Push the new tags to…' });
    if (!remote) return;
  }
  try {
    await pushTags(root, remote, result.actions);
    void vscode.window.setStatusBarMessage(`ML Lineage: pushed ${result.actions.join(', ')} to ${remote}`, 5000);
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: push to ${remote} failed; the tags stay local. ${oneLine((error as Error).message)}`);
  }
}

async function registerVersion(deps: ModelCommandDeps, arg: unknown): Promise<RegistryWriteResult | undefined> {
  if (!requireTrust()) return;
  const model = await pickModel(deps, arg, true);
  if (!model) return;
  const backend = await backendOf(deps, model.engine);
  if (isModelCommandArgs(arg)) {
    if (backend instanceof GitRegistry)
      return afterWrite(
        deps,
        model.engine,
        await backend.register(model.name, arg.version ?? null, arg.rev ?? 'HEAD', { force: arg.force === true }),
        true,
      );
    if (!arg.rev) throw new Error('Register New Version: pass "rev", the MLflow run id or model source URI');
    return afterWrite(deps, model.engine, await backend.register(model.name, null, arg.rev), false);
  }
  if (!(backend instanceof GitRegistry)) {
    const source = await vscode.window.showInputBox({
      prompt: `MLflow: run id or model source URI for a new version of ${model.name}`,
      ignoreFocusOut: true,
    });
    return source ? afterWrite(deps, model.engine, await backend.register(model.name, null, source.trim()), false) : undefined;
  }
  const bumps = await Promise.all(
    (['patch', 'minor', 'major'] as const).map(async (b) => ({
      label: await backend.suggestVersion(model.name, b),
      description: `${b} bump`,
      version: '',
    })),
  );
  bumps.forEach((b) => {
    b.version = b.label;
  });
  const versionPick = await vscode.window.showQuickPick(
    [...bumps, { label: '$(edit) Enter a version…', description: 'vMAJOR.MINOR.PATCH', version: '' }],
    { title: `Register a version of ${model.name}`, placeHolder: 'Version' },
  );
  if (!versionPick) return;
  const version =
    versionPick.version ||
    (await vscode.window.showInputBox({ prompt: 'Version (e.g. v1.2.0)', value: bumps[0].label, ignoreFocusOut: true }))?.trim();
  if (!version) return;
  const head = model.engine.repo!.head;
  const commitPick = await vscode.window.showQuickPick(
    [
      { label: `$(git-commit) HEAD`, description: head?.slice(0, 8), rev: 'HEAD' },
      { label: '$(list-selection) Pick a commit, branch or tag…', rev: '' },
    ],
    { title: `Register ${model.name} ${version} at…` },
  );
  if (!commitPick) return;
  const rev = commitPick.rev || (await pickRevision(model.engine, `Register ${model.name} ${version} at…`));
  if (!rev || rev === WORKSPACE) return;
  const force = model.artifact?.deprecated ? await confirmDeprecated(model.name) : false;
  if (model.artifact?.deprecated && !force) return;
  // Resolved as every revision name is (experiments by their index name); without an open index, by Git alone.
  const ws = model.engine.ws;
  const commit = ws ? commitOf(await ws.resolve(rev)) : await resolveCommit(model.engine.repo!.root, rev);
  if (!commit) throw new Error(`${JSON.stringify(rev)} is not a commit in this repository`);
  return afterWrite(deps, model.engine, await backend.register(model.name, version, commit, { force }), true);
}

/** Stages and aliases in use anywhere in the folder's registry, then common ones. */
function stageChoices(artifact: ModelArtifact, all: ModelArtifact[]): string[] {
  const used = new Set<string>();
  for (const a of [artifact, ...all]) for (const v of a.versions) for (const e of v.events) if (e.stage) used.add(e.stage);
  for (const common of ['staging', 'prod', 'champion']) used.add(common);
  return [...used];
}

/** The version a command acts on: the clicked node, else a model and a version the user picks. */
async function pickVersion(
  deps: ModelCommandDeps,
  arg: unknown,
): Promise<{ engine: FolderEngine; artifact: ModelArtifact; version: string } | undefined> {
  if (isNode(arg, 'version')) return { engine: arg.ctx.engine, artifact: arg.artifact, version: arg.version.version };
  if (isModelCommandArgs(arg)) {
    const version = requiredArg(arg, 'version', 'Promote');
    const model = await pickModel(deps, arg, false);
    if (!model?.artifact) throw new Error(`no model ${JSON.stringify(arg.artifact)} in the registry`);
    return { engine: model.engine, artifact: model.artifact, version };
  }
  const model = await pickModel(deps, arg, false);
  if (!model?.artifact) return undefined;
  const pick = await vscode.window.showQuickPick(
    model.artifact.versions.map((v) => ({ label: versionLabel(v.version), description: v.stages.join(' · '), version: v.version })),
    { placeHolder: `Version of ${model.name}` },
  );
  return pick ? { engine: model.engine, artifact: model.artifact, version: pick.version } : undefined;
}

/** The stage to promote to, picked or typed; undefined when the user cancels. */
async function pickStage(
  deps: ModelCommandDeps,
  engine: FolderEngine,
  artifact: ModelArtifact,
  version: string,
): Promise<string | undefined> {
  const { state } = await deps.tree.registryOf(engine);
  const stages = stageChoices(artifact, state?.artifacts ?? []);
  const items = [
    ...stages.map((s) => ({
      label: s,
      description: artifact.stages[s] ? `now ${artifact.stages[s].map(versionLabel).join(', ')}` : undefined,
    })),
    { label: '$(add) New stage or alias…', description: undefined },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Promote ${artifact.name} ${versionLabel(version)} to…` });
  if (!pick) return undefined;
  return pick.label.startsWith('$(add)')
    ? (await vscode.window.showInputBox({ prompt: 'Stage or alias (letters, digits, - _ /)', ignoreFocusOut: true }))?.trim()
    : pick.label;
}

async function promote(deps: ModelCommandDeps, arg: unknown): Promise<RegistryWriteResult | undefined> {
  if (!requireTrust()) return;
  const target = await pickVersion(deps, arg);
  if (!target) return;
  const { artifact, version, engine } = target;
  const backend = await backendOf(deps, engine);
  const args = isModelCommandArgs(arg) ? arg : undefined;
  const stage = args ? requiredArg(args, 'stage', 'Promote') : await pickStage(deps, engine, artifact, version);
  if (!stage) return;
  const force = args ? args.force === true : artifact.deprecated ? await confirmDeprecated(artifact.name) : false;
  if (artifact.deprecated && !force && !args) return;
  const archiveExisting =
    vscode.workspace.getConfiguration('lineage', engine.folder.uri).get<boolean>('registry.oneVersionPerStage', true) !== false;
  const result =
    backend instanceof GitRegistry
      ? await backend.assign(artifact.name, version, stage, { archiveExisting, force })
      : await backend.assign(artifact.name, version, stage, { archiveExisting });
  return afterWrite(deps, engine, result, backend instanceof GitRegistry);
}

async function rollback(deps: ModelCommandDeps, arg: unknown): Promise<RegistryWriteResult | undefined> {
  if (!requireTrust()) return;
  const model = await pickModel(deps, arg, false);
  if (!model?.artifact) return;
  const backend = await backendOf(deps, model.engine);
  if (!(backend instanceof GitRegistry)) {
    void vscode.window.showInformationMessage(
      'ML Lineage: Roll Back works on the Git-tag registry; in MLflow, promote the earlier version instead.',
    );
    return;
  }
  if (isModelCommandArgs(arg))
    return afterWrite(
      deps,
      model.engine,
      await backend.rollback(model.name, requiredArg(arg, 'stage', 'Roll Back'), { force: arg.force === true }),
      true,
    );
  const held = isNode(arg, 'version') ? arg.version.stages : Object.keys(model.artifact.stages);
  if (held.length === 0) {
    void vscode.window.showInformationMessage(`ML Lineage: no stage of ${model.name} to roll back.`);
    return;
  }
  const stage =
    held.length === 1 ? held[0] : await vscode.window.showQuickPick(held, { placeHolder: `Roll back which stage of ${model.name}?` });
  if (!stage) return;
  const force = model.artifact.deprecated ? await confirmDeprecated(model.name) : false;
  if (model.artifact.deprecated && !force) return;
  return afterWrite(deps, model.engine, await backend.rollback(model.name, stage, { force }), true);
}

async function deprecate(deps: ModelCommandDeps, arg: unknown): Promise<RegistryWriteResult | undefined> {
  if (!requireTrust()) return;
  const model = await pickModel(deps, arg, false);
  if (!model) return;
  // A caller passing arguments has decided already; a person confirms.
  const ok =
    isModelCommandArgs(arg) ||
    (await vscode.window.showWarningMessage(
      `Deprecate ${model.name}? Its versions stay, and later stage changes ask first.`,
      { modal: true },
      'Deprecate',
    )) === 'Deprecate';
  if (!ok) return;
  const backend = await backendOf(deps, model.engine);
  return afterWrite(deps, model.engine, await backend.deprecate(model.name), backend instanceof GitRegistry);
}

function compareWithPrevious(deps: ModelCommandDeps, arg: unknown): void {
  if (!isNode(arg, 'version')) return;
  const previous = arg.ref.previousVersion;
  if (!previous) {
    void vscode.window.showInformationMessage(`ML Lineage: ${arg.artifact.name} ${arg.version.version} has no earlier version.`);
    return;
  }
  MetricDiffPanel.show(deps.extensionUri, deps.sourceFor(arg.ctx.engine), previous.commit, arg.version.commit);
}

export function registerModelCommands(deps: ModelCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.refreshModels, () => deps.tree.refresh()),
    vscode.commands.registerCommand(COMMANDS.registerModelVersion, (arg?: unknown) => guarded(arg, () => registerVersion(deps, arg))),
    vscode.commands.registerCommand(COMMANDS.promoteModelVersion, (arg?: unknown) => guarded(arg, () => promote(deps, arg))),
    vscode.commands.registerCommand(COMMANDS.rollbackModelStage, (arg?: unknown) => guarded(arg, () => rollback(deps, arg))),
    vscode.commands.registerCommand(COMMANDS.deprecateModel, (arg?: unknown) => guarded(arg, () => deprecate(deps, arg))),
    vscode.commands.registerCommand(COMMANDS.compareModelWithPrevious, (arg?: unknown) =>
      guarded(arg, async () => compareWithPrevious(deps, arg)),
    ),
  ];
}
