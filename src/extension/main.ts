import * as vscode from 'vscode';
import { Engines } from './engines';
import { createWatchers } from './watchers';
import { RunsTreeProvider } from './runs/runsTreeProvider';
import { PipelinesTreeProvider } from './pipelines/pipelinesTreeProvider';
import { ReproModel } from './repro/reproModel';
import { coreReproEngine } from './repro/reproEngine';
import { registerRepro } from './repro/registerRepro';
import { ModelsTreeProvider } from './models/modelsTreeProvider';
import { registerModelCommands } from './models/modelCommands';
import { EngineDiffSource } from './diffDataSource';
import { LineageDocuments, SCHEME } from './lineageDocuments';
import { registerMetricDiffSerializer, type DiffDataSource } from './metricDiff/metricDiffPanel';
import { registerCompareCommands } from './runs/compareCommands';
import { registerRunCommands } from './runs/runCommands';
import { registerWelcomeCommands } from './welcomeCommands';
import { registerExternalRuns } from './runs/registerExternalRuns';
import { registerLineageCommands } from './lineage/lineageCommands';
import { LineageCardPanel } from './lineage/lineageCardPanel';
import { registerCharts } from './registerCharts';
import { registerEditorFeatures } from './registerEditorFeatures';
import { registerExperiments } from './experiments/registerExperiments';
import type { FolderEngine } from './folderEngine';
import type { LineageTestApi } from './testApi';

/**
 * Composition root: creates every part, hands dependencies down and owns the disposables.
 * Opening stores and indexing start only when a view becomes visible or a command runs, so
 * activation itself stays cheap.
 */
export function activate(context: vscode.ExtensionContext): LineageTestApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('ML Lineage', { log: true });
  const engines = new Engines(context.extensionPath, log, context.secrets);
  const runsTree = new RunsTreeProvider(engines, log);
  const reproModel = new ReproModel(engines, coreReproEngine, log);
  const pipelinesTree = new PipelinesTreeProvider(engines, reproModel);
  const repro = registerRepro(engines, reproModel, context.extensionUri);
  const modelsTree = new ModelsTreeProvider(engines, context.secrets, log);
  const sources = new Map<FolderEngine, EngineDiffSource>();
  const sourceFor = (engine: FolderEngine) => {
    let s = sources.get(engine);
    if (!s) sources.set(engine, (s = new EngineDiffSource(engine, engines.onDidChange)));
    return s;
  };
  // The serializer restores panels after a reload; it gets a source that follows the first folder with an index.
  const anySource: DiffDataSource = {
    onDidChangeIndex: engines.onDidChange,
    load: async (a, b) => {
      await engines.whenIndexed();
      return sourceFor(firstReady(engines)).load(a, b);
    },
    pickRevision: (side) => sourceFor(firstReady(engines)).pickRevision(side),
    copyMarkdown: (a, b, ids) => sourceFor(firstReady(engines)).copyMarkdown(a, b, ids),
  };
  const refresh = async () => {
    await engines.whenIndexed();
    await engines.indexAll('refresh');
    runsTree.refresh();
    pipelinesTree.refresh();
  };
  const start = () => void engines.whenIndexed().catch((e: Error) => log.error(`Indexing failed: ${e.message}`));
  const views = [
    vscode.window.createTreeView('lineage.runs', { treeDataProvider: runsTree, showCollapseAll: true }),
    vscode.window.createTreeView('lineage.pipelines', { treeDataProvider: pipelinesTree }),
    vscode.window.createTreeView('lineage.models', { treeDataProvider: modelsTree }),
  ];
  for (const view of views) {
    if (view.visible) start();
    context.subscriptions.push(
      view,
      view.onDidChangeVisibility((e) => {
        if (e.visible) start();
      }),
    );
  }
  const charts = registerCharts({
    context,
    engines,
    runsTree,
    revealRun: (node, options) => (views[0] as vscode.TreeView<unknown>).reveal(node, options),
    log,
  });
  context.subscriptions.push(...charts.disposables);
  const editor = registerEditorFeatures(engines, log);
  context.subscriptions.push(...editor.disposables);
  context.subscriptions.push(
    log,
    engines,
    reproModel,
    runsTree,
    pipelinesTree,
    modelsTree,
    ...repro.disposables,
    createWatchers(engines),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, new LineageDocuments(engines)),
    registerMetricDiffSerializer(context, anySource),
    ...registerCompareCommands({ engines, extensionUri: context.extensionUri, sourceFor }),
    ...registerRunCommands({ engines, runsTree, log, refresh }),
    ...registerModelCommands({ engines, tree: modelsTree, extensionUri: context.extensionUri, sourceFor }),
    ...registerWelcomeCommands(context.extensionUri, log),
    ...registerExternalRuns({ engines, extensionUri: context.extensionUri, sourceFor, secrets: context.secrets }),
    ...registerLineageCommands({
      engines,
      extensionUri: context.extensionUri,
      revealCommit: async (engine, sha) => {
        const node = runsTree.findCommit(engine, sha);
        if (node) await (views[0] as vscode.TreeView<unknown>).reveal(node, { select: true, focus: true, expand: false });
        return Boolean(node);
      },
    }),
    ...registerExperiments({
      context,
      engines,
      sourceFor,
      revealCommit: async (engine, sha) => {
        const node = runsTree.findCommit(engine, sha);
        if (node) await (views[0] as vscode.TreeView<unknown>).reveal(node, { select: true, focus: true, expand: false });
        return Boolean(node);
      },
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void engines.trustGranted()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lineage')) {
        runsTree.refresh();
        pipelinesTree.refresh();
      }
    }),
  );
  void vscode.commands.executeCommand('setContext', 'lineage.hasWorkspace', false);
  log.info(`Activated in ${Date.now() - started} ms`);
  return {
    engines: () =>
      engines.list().map((e) => ({
        folder: e.folder.uri.fsPath,
        get repo() {
          return e.repo;
        },
        get store() {
          return e.ws;
        },
        get state() {
          return e.state;
        },
      })),
    runsTree,
    pipelinesTree,
    modelsTree,
    repro: {
      engines,
      model: reproModel,
      tasks: repro.tasks,
      codeLens: repro.codeLens,
      diagnostics: repro.diagnostics,
      dagPanels: repro.dagPanels,
    },
    diffSource: anySource,
    lineageCards: () => LineageCardPanel.panels(),
    charts: charts.api,
    editor: editor.api,
    whenIndexed: () => engines.whenIndexed(),
    refresh,
  };
}

function firstReady(engines: Engines): FolderEngine {
  const engine = engines.list().find((e) => e.ws);
  if (!engine) throw new Error('No workspace folder has an index yet.');
  return engine;
}

export function deactivate(): void {}
