import * as vscode from 'vscode';
import type { Engines } from './engines';
import { Baselines } from './inline/baselines';
import { InlineDiffs, type InlineDiffsTestView } from './inline/inlineDiffs';
import { LineageStatusBar, type StatusItemView } from './statusBar/statusBar';
import { MetricFileDecorations } from './decorations/fileDecorations';
import { RunDecorations } from './runs/runDecorations';
import { COMMANDS } from './commands';

/** What the in-host suites read of the editor features. */
export interface EditorFeaturesTestApi {
  inlineDiffs: InlineDiffsTestView;
  statusBar(): { headline: StatusItemView; baseline: StatusItemView };
  /** The Explorer badge of a file, as the decoration provider gives it. */
  fileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined;
  /** The Runs tree's badge of an item's resource URI. */
  runDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined;
}

/** Inline diffs in params/metrics editors, the two status bar items and the Explorer/Runs badges. */
export function registerEditorFeatures(
  engines: Engines,
  log: vscode.LogOutputChannel,
): { disposables: vscode.Disposable[]; api: EditorFeaturesTestApi } {
  const baselines = new Baselines(engines);
  const inline = new InlineDiffs(engines, baselines, log);
  const statusBar = new LineageStatusBar(engines, baselines);
  const files = new MetricFileDecorations(baselines);
  const runs = new RunDecorations();
  return {
    disposables: [
      baselines,
      inline,
      statusBar,
      files,
      vscode.window.registerFileDecorationProvider(files),
      vscode.window.registerFileDecorationProvider(runs),
      vscode.commands.registerCommand(COMMANDS.toggleInlineDiffs, toggleInlineDiffs),
    ],
    api: {
      inlineDiffs: inline.testView(),
      statusBar: () => statusBar.testView(),
      fileDecoration: (uri) => files.provideFileDecoration(uri),
      runDecoration: (uri) => runs.provideFileDecoration(uri),
    },
  };
}

/** Flips lineage.inlineDiffs.enabled where it is set (workspace, else user settings). */
async function toggleInlineDiffs(): Promise<void> {
  const config = vscode.workspace.getConfiguration('lineage');
  const inspected = config.inspect<boolean>('inlineDiffs.enabled');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const now = config.get<boolean>('inlineDiffs.enabled', true);
  await config.update('inlineDiffs.enabled', !now, target);
  void vscode.window.setStatusBarMessage(`ML Lineage: inline diffs ${now ? 'off' : 'on'}`, 3000);
}
