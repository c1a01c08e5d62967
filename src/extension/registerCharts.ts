// Wiring of the two chart webviews (Metric History, Plots) for the composition root: one data
// source per folder, commands, panel serializers, the context key that puts "Show Metric
// History…" on metrics files in the editor, and what the test API exposes.
import * as vscode from 'vscode';
import type { Engines } from './engines';
import type { FolderEngine } from './folderEngine';
import type { RunsTreeProvider } from './runs/runsTreeProvider';
import type { RunNode } from './runs/runNodes';
import { headlineKey } from './runs/runsTreeProvider';
import { metricsFilesAt, numericMetricKeys } from '../core/workspace/history';
import { EngineHistorySource, defaultSelection } from './metricHistory/historySource';
import { MetricHistoryPanel, registerMetricHistorySerializer } from './metricHistory/metricHistoryPanel';
import { registerHistoryCommands, showMetricHistory } from './metricHistory/historyCommands';
import type { SaveTarget } from './webview/exportFile';
import { EnginePlotsSource } from './plots/plotsSource';
import { PlotsPanel, registerPlotsSerializer } from './plots/plotsPanel';
import { registerPlotsCommands, showPlots } from './plots/plotsCommands';

export interface ChartsDeps {
  context: vscode.ExtensionContext;
  engines: Engines;
  runsTree: RunsTreeProvider;
  /** TreeView.reveal of the Runs view. */
  revealRun(node: RunNode, options: { select: boolean; focus: boolean; expand: boolean }): Thenable<void>;
  log: vscode.LogOutputChannel;
}

/** What the in-VS-Code test suites use. */
export interface ChartsTestApi {
  showMetricHistory(arg?: unknown): Promise<MetricHistoryPanel | undefined>;
  showPlots(arg?: unknown): Promise<PlotsPanel | undefined>;
  metricHistoryPanels(): readonly MetricHistoryPanel[];
  plotsPanels(): readonly PlotsPanel[];
  /** Replaces the save dialog of PNG/CSV exports (undefined restores it). */
  setSaveTarget(target: SaveTarget | undefined): void;
}

export function registerCharts(deps: ChartsDeps): { disposables: vscode.Disposable[]; api: ChartsTestApi } {
  const { context, engines, runsTree, revealRun, log } = deps;
  const history = new Map<FolderEngine, EngineHistorySource>();
  const plots = new Map<FolderEngine, EnginePlotsSource>();
  let saveTarget: SaveTarget | undefined;
  const revealCommit = async (engine: FolderEngine, sha: string, rev: string): Promise<boolean> => {
    const node = runsTree.findCommit(engine, sha, rev);
    if (!node) return false;
    try {
      await revealRun(node, { select: true, focus: true, expand: false });
      return true;
    } catch (error) {
      log.warn(`Runs view: could not reveal ${sha.slice(0, 8)}: ${(error as Error).message}`);
      return false;
    }
  };
  const historySourceFor = (engine: FolderEngine) => {
    let s = history.get(engine);
    if (!s) history.set(engine, (s = new EngineHistorySource(engine, engines.onDidChange, revealCommit)));
    return s;
  };
  const plotsSourceFor = (engine: FolderEngine) => {
    let s = plots.get(engine);
    if (!s) plots.set(engine, (s = new EnginePlotsSource(engine, engines.onDidChange)));
    return s;
  };
  const firstEngine = async (): Promise<FolderEngine> => {
    await engines.whenOpen();
    const engine = engines.list().find((e) => e.ws);
    if (!engine) throw new Error('No workspace folder has an index yet.');
    return engine;
  };
  const common = { engines, extensionUri: context.extensionUri, saveTarget: () => saveTarget };
  const historyDeps = { ...common, historySourceFor };
  const plotsDeps = { ...common, plotsSourceFor };
  const disposables: vscode.Disposable[] = [
    ...registerHistoryCommands(historyDeps),
    ...registerPlotsCommands(plotsDeps),
    registerPlotsSerializer(context, async () => plotsSourceFor(await firstEngine())),
    registerMetricHistorySerializer(context, async () => {
      const engine = await firstEngine();
      const source = historySourceFor(engine);
      const key = headlineKey(engine);
      const metric = numericMetricKeys(engine.ws!).find((m) => m.key === key);
      return { source, fallback: defaultSelection(source, metric ? [metric] : []) };
    }),
    metricsFileContext(engines),
    new vscode.Disposable(() => {
      for (const s of plots.values()) s.dispose();
    }),
  ];
  return {
    disposables,
    api: {
      showMetricHistory: (arg) => showMetricHistory(historyDeps, arg),
      showPlots: (arg) => showPlots(plotsDeps, arg),
      metricHistoryPanels: () => MetricHistoryPanel.panels(),
      plotsPanels: () => PlotsPanel.panels(),
      setSaveTarget: (target) => {
        saveTarget = target;
      },
    },
  };
}

/** `lineage.metricsFilePaths`: the workspace's metrics files (URI paths), for the editor context menu. */
function metricsFileContext(engines: Engines): vscode.Disposable {
  let last = '';
  const update = () => {
    const paths: string[] = [];
    for (const engine of engines.list()) {
      const files = engine.ws ? metricsFilesAt(engine.ws) : [];
      for (const path of files) paths.push(vscode.Uri.joinPath(engine.folder.uri, ...path.split('/')).path);
    }
    const key = paths.join('\0');
    if (key === last) return;
    last = key;
    void vscode.commands.executeCommand('setContext', 'lineage.metricsFilePaths', paths);
  };
  return engines.onDidChange(() => {
    try {
      update();
    } catch {
      /* an index being rebuilt: the next change sets it */
    }
  });
}
