import * as vscode from 'vscode';
import { runLabel, runRevision } from '../../core/workspace/revision';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import type { EngineDiffSource } from '../diffDataSource';
import { MetricDiffPanel } from '../metricDiff/metricDiffPanel';
import { pickEngine } from '../revisionPicker';
import { pickRevisionOrRun, recentRuns, runItems } from '../runPicker';
import { tokenKey, trackingUriSetting } from '../mlflowServer';
import type { RunNode } from './runNodes';
import { createRunWatchers } from './runWatchers';

export interface ExternalRunDeps {
  engines: Engines;
  extensionUri: vscode.Uri;
  sourceFor(engine: FolderEngine): EngineDiffSource;
  secrets: vscode.SecretStorage;
}

type ExtRunNode = Extract<RunNode, { kind: 'extRun' }>;

function isExtRunNode(arg: unknown): arg is ExtRunNode {
  const n = arg as Partial<ExtRunNode> | undefined;
  return Boolean(n && n.kind === 'extRun' && n.engine && n.ext);
}

async function guarded(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: ${(error as Error).message}`);
  }
}

/** The run a context menu passed, else one the user picks from the folder's runs. */
async function targetRun(deps: ExternalRunDeps, arg: unknown): Promise<{ engine: FolderEngine; rev: string; label: string } | undefined> {
  if (isExtRunNode(arg)) return { engine: arg.engine, rev: runRevision(arg.ext), label: runLabel(arg.ext) };
  const engine = await pickEngine(deps.engines);
  if (!engine?.ws) return undefined;
  const items = runItems(recentRuns(engine.ws));
  if (items.length === 0) {
    void vscode.window.showInformationMessage("ML Lineage: no MLflow or W&B runs in this folder's index.");
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Compare a run', matchOnDescription: true, matchOnDetail: true });
  return pick?.rev ? { engine, rev: pick.rev, label: pick.label.replace(/^\$\(beaker\) /, '') } : undefined;
}

/** Run watchers and the commands of MLflow/W&B run nodes. */
export function registerExternalRuns(deps: ExternalRunDeps): vscode.Disposable[] {
  return [
    createRunWatchers(deps.engines),
    vscode.commands.registerCommand(COMMANDS.compareRunWith, (arg?: unknown) =>
      guarded(async () => {
        const run = await targetRun(deps, arg);
        const other = run && (await pickRevisionOrRun(run.engine, `Compare ${run.label} with…`));
        if (run && other) MetricDiffPanel.show(deps.extensionUri, deps.sourceFor(run.engine), other, run.rev);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.setMlflowTrackingToken, () =>
      guarded(async () => {
        const engine = await pickEngine(deps.engines);
        if (!engine) return;
        const url = trackingUriSetting(engine.folder.uri);
        if (!url) {
          const choice = await vscode.window.showWarningMessage(
            'ML Lineage: set "lineage.mlflow.trackingUri" to your MLflow tracking server first; the token is kept for that server only.',
            'Open Settings',
          );
          if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'lineage.mlflow.trackingUri');
          return;
        }
        const key = tokenKey(url);
        const token = await vscode.window.showInputBox({
          title: 'MLflow tracking token',
          prompt: `Token for ${new URL(url).host}, kept in the editor's secret storage (empty: forget it)`,
          password: true,
          ignoreFocusOut: true,
        });
        if (token === undefined) return;
        if (token.trim()) await deps.secrets.store(key, token.trim());
        else await deps.secrets.delete(key);
        void engine.index();
      }),
    ),
  ];
}
