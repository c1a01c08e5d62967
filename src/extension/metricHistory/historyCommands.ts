// "Show Metric History…": from the palette (pick metrics), from a Runs node (that branch or
// commit; an MLflow/W&B run: its step series, added to the panel), or from a metrics file in
// the editor (the key under the cursor).
import * as vscode from 'vscode';
import { numericMetricKeys } from '../../core/workspace/history';
import type { MetricId, RevisionChoice } from '../../protocol/metricHistory';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { pickEngine } from '../revisionPicker';
import { headlineKey } from '../runs/runsTreeProvider';
import { isRevisionNode, type RunNode } from '../runs/runNodes';
import { oneLine } from '../tooltips';
import type { SaveTarget } from '../webview/exportFile';
import { defaultSelection, type EngineHistorySource } from './historySource';
import { MetricHistoryPanel } from './metricHistoryPanel';
import { metricsAtCursor, wordAt } from './keyAtCursor';

export interface HistoryCommandDeps {
  engines: Engines;
  extensionUri: vscode.Uri;
  historySourceFor(engine: FolderEngine): EngineHistorySource;
  saveTarget?: () => SaveTarget | undefined;
}

export function registerHistoryCommands(deps: HistoryCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showMetricHistory, (arg?: unknown) =>
      showMetricHistory(deps, arg).catch((error: Error) => {
        void vscode.window.showErrorMessage(`ML Lineage: ${error.message}`);
      }),
    ),
  ];
}

export async function showMetricHistory(deps: HistoryCommandDeps, arg?: unknown): Promise<MetricHistoryPanel | undefined> {
  let engine: FolderEngine | undefined;
  let revisions: RevisionChoice[] | undefined;
  let metrics: MetricId[] | undefined;
  if (isExternalRunNode(arg)) {
    if (!arg.engine.ws) return undefined;
    return MetricHistoryPanel.showRun(deps.extensionUri, deps.historySourceFor(arg.engine), arg.ext, deps.saveTarget);
  }
  if (isRevisionNode(arg)) {
    engine = arg.engine;
    revisions = [{ rev: arg.rev, label: arg.label }];
  } else if (isMetricArg(arg)) {
    // From tests and other commands: { metrics, revisions } for the first folder.
    engine = await pickEngine(deps.engines);
    metrics = arg.metrics;
    revisions = arg.revisions;
  } else {
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    const editor = vscode.window.activeTextEditor;
    const document = uri ? (editor?.document.uri.toString() === uri.toString() ? editor.document : undefined) : undefined;
    engine = uri ? deps.engines.forUri(uri) : undefined;
    engine = engine?.ws ? engine : await pickEngine(deps.engines);
    if (engine?.ws && uri) {
      const rel = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
      const word = document && editor ? wordAt(document.getText(), document.offsetAt(editor.selection.active)) : undefined;
      metrics = await pickMetrics(engine, metricsAtCursor(numericMetricKeys(engine.ws), rel, word), `Metric history: keys of ${rel}`);
      if (!metrics) return undefined;
    }
  }
  if (!engine?.ws) return undefined;
  metrics ??= await pickMetrics(engine, numericMetricKeys(engine.ws), 'Show Metric History: metrics to chart');
  if (!metrics?.length) return undefined;
  const source = deps.historySourceFor(engine);
  return MetricHistoryPanel.show(deps.extensionUri, source, defaultSelection(source, metrics, revisions), deps.saveTarget);
}

function isExternalRunNode(arg: unknown): arg is Extract<RunNode, { kind: 'extRun' }> {
  const n = arg as { kind?: unknown; engine?: unknown; ext?: { source?: unknown; id?: unknown } } | undefined;
  return Boolean(
    n && n.kind === 'extRun' && n.engine && (n.ext?.source === 'mlflow' || n.ext?.source === 'wandb') && typeof n.ext.id === 'string',
  );
}

function isMetricArg(arg: unknown): arg is { metrics: MetricId[]; revisions?: RevisionChoice[] } {
  const a = arg as { metrics?: unknown } | undefined;
  return Boolean(a && Array.isArray(a.metrics) && a.metrics.every((m) => typeof m?.file === 'string' && typeof m?.key === 'string'));
}

/** One key is taken as it is; several are offered, the headline metric first and preselected. */
async function pickMetrics(engine: FolderEngine, keys: MetricId[], title: string): Promise<MetricId[] | undefined> {
  if (keys.length === 1) return keys;
  if (keys.length === 0) {
    void vscode.window.showInformationMessage('ML Lineage: no numeric metrics in the index yet (metrics files named in dvc.yaml).');
    return undefined;
  }
  const headline = headlineKey(engine);
  const items = keys.map((m) => ({
    label: oneLine(m.key).replace(/\$\(/g, '$\u200b('),
    description: oneLine(m.file),
    metric: m,
    picked: m.key === headline,
  }));
  items.sort((a, b) => Number(b.picked) - Number(a.picked));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Metric keys (type to filter; pick one or several)',
    canPickMany: true,
    matchOnDescription: true,
  });
  return picked?.length ? picked.map((p) => p.metric) : undefined;
}
