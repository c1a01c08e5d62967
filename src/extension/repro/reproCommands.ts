// Reproduce Stage…, Reproduce Downstream, Reproduce Pipeline, Show Stage Status and Show
// Pipeline DAG. Runs always go through a Task (terminal, problem matcher, Terminate Task).
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { oneLine } from '../tooltips';
import { PipelineDagPanel, type DagPanelDeps } from './pipelineDagPanel';
import type { ReproModel } from './reproModel';
import { showRefusal } from './reproProblems';
import { TASK_TYPE, type LineageTaskDefinition, type ReproTaskProvider } from './reproTasks';
import { fromArg } from './stageArgs';
import { stateText } from './stageText';
import { statusUri } from './statusDocument';

export interface ReproCommandDeps {
  engines: Engines;
  model: ReproModel;
  tasks: ReproTaskProvider;
  dag: DagPanelDeps;
}

/** Menus and enablement already need trust; a command run another way says why it does nothing. */
function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      'ML Lineage: reproducing a stage runs its command, which Restricted Mode does not allow. Trust the workspace to reproduce stages.',
      'Manage Workspace Trust',
    )
    .then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** The folder from the argument, else the active editor's, else the only one, else a pick. */
async function pickFolder(engines: Engines): Promise<FolderEngine | undefined> {
  await engines.whenOpen();
  const all = engines.list();
  if (all.length <= 1) return all[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const byEditor = active && engines.forUri(active);
  if (byEditor) return byEditor;
  const pick = await vscode.window.showQuickPick(
    all.map((e) => ({ label: e.folder.name, description: e.folder.uri.fsPath, engine: e })),
    { placeHolder: 'Workspace folder' },
  );
  return pick?.engine;
}

/** A stage from the argument (tree node, CodeLens, DAG), else from a QuickPick showing each stage's state. */
async function pickStage(
  deps: ReproCommandDeps,
  arg: unknown,
  title: string,
): Promise<{ engine: FolderEngine; address: string } | undefined> {
  const given = fromArg(deps.engines, arg);
  if (given?.address) return { engine: given.engine, address: given.address };
  const engine = given?.engine ?? (await pickFolder(deps.engines));
  if (!engine) return undefined;
  const p = await deps.model.pipelines(engine);
  // Nothing to pick from because nothing could be read: say why, as a refused run does.
  if (p.stages.length === 0 && p.problems.length) {
    void showRefusal(p.root, p.problems);
    return undefined;
  }
  if (p.stages.length === 0) {
    void vscode.window.showInformationMessage(
      `ML Lineage: no pipeline stages in ${engine.folder.name} (no dvc.yaml, or none that parses).`,
    );
    return undefined;
  }
  const items = p.stages.map((s) => ({
    label: oneLine(s.address).replace(/\$\(/g, '$\u200b('),
    description: stateText(s, deps.model.live(engine, s, p)),
    detail: oneLine(Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd),
    address: s.address,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Stage (type to filter)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick && { engine, address: pick.address };
}

function runTask(deps: ReproCommandDeps, engine: FolderEngine, def: Omit<LineageTaskDefinition, 'type'>): Thenable<vscode.TaskExecution> {
  return vscode.tasks.executeTask(deps.tasks.task(engine, { type: TASK_TYPE, ...def }));
}

export function registerReproCommands(deps: ReproCommandDeps): vscode.Disposable[] {
  const stageTask = (title: string, extra: Omit<LineageTaskDefinition, 'type' | 'stage'>) => async (arg?: unknown) => {
    if (!requireTrust()) return undefined;
    const target = await pickStage(deps, arg, title);
    return target && runTask(deps, target.engine, { stage: target.address, ...extra });
  };
  return [
    vscode.commands.registerCommand(COMMANDS.reproduceStage, stageTask('Reproduce stage (with what it depends on)', {})),
    vscode.commands.registerCommand(
      COMMANDS.reproduceDownstream,
      stageTask('Reproduce stage and everything downstream', { downstream: true }),
    ),
    vscode.commands.registerCommand(COMMANDS.reproducePipeline, async (arg?: unknown) => {
      if (!requireTrust()) return undefined;
      const engine = fromArg(deps.engines, arg)?.engine ?? (await pickFolder(deps.engines));
      return engine && runTask(deps, engine, {});
    }),
    vscode.commands.registerCommand(COMMANDS.showStageStatus, async (arg?: unknown) => {
      const target = fromArg(deps.engines, arg) ?? { engine: await pickFolder(deps.engines), address: undefined };
      if (!target.engine) return;
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(statusUri(target.engine, target.address)), {
        preview: true,
      });
    }),
    vscode.commands.registerCommand(COMMANDS.showPipelineDag, async (arg?: unknown) => {
      const engine = fromArg(deps.engines, arg)?.engine ?? (await pickFolder(deps.engines));
      if (engine) PipelineDagPanel.show(engine, deps.dag);
    }),
  ];
}
