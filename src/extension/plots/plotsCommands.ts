// "Show Plots…": dvc.yaml plots of revisions the user picks (default: workspace and HEAD), or
// of a Runs node together with the baseline branch.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { pickEngine } from '../revisionPicker';
import { baselineBranchName } from '../runs/runsTreeProvider';
import { isRevisionNode } from '../runs/runNodes';
import type { SaveTarget } from '../webview/exportFile';
import { DEFAULT_PLOT_REVISIONS, PlotsPanel } from './plotsPanel';
import type { EnginePlotsSource } from './plotsSource';

export interface PlotsCommandDeps {
  engines: Engines;
  extensionUri: vscode.Uri;
  plotsSourceFor(engine: FolderEngine): EnginePlotsSource;
  saveTarget?: () => SaveTarget | undefined;
}

export function registerPlotsCommands(deps: PlotsCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showPlots, (arg?: unknown) =>
      showPlots(deps, arg).catch((error: Error) => {
        void vscode.window.showErrorMessage(`ML Lineage: ${error.message}`);
      }),
    ),
  ];
}

export async function showPlots(deps: PlotsCommandDeps, arg?: unknown): Promise<PlotsPanel | undefined> {
  let engine: FolderEngine | undefined;
  let revisions: string[] | undefined;
  if (isRevisionNode(arg)) {
    engine = arg.engine;
    const base = baselineBranchName(arg.engine);
    revisions = [arg.rev, ...(base && base !== arg.label && arg.rev !== `refs/heads/${base}` ? [base] : [])];
  } else if (Array.isArray(arg) && arg.length > 0 && arg.every((r) => typeof r === 'string')) {
    engine = await pickEngine(deps.engines);
    revisions = arg as string[];
  } else {
    engine = await pickEngine(deps.engines);
    if (!engine?.ws) return undefined;
    revisions = await deps.plotsSourceFor(engine).pickRevisions(DEFAULT_PLOT_REVISIONS);
    if (!revisions) return undefined;
  }
  if (!engine?.ws) return undefined;
  return PlotsPanel.show(deps.extensionUri, deps.plotsSourceFor(engine), revisions, deps.saveTarget);
}
