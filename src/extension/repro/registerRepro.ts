// Wires the editor side of repro (issue 5, "In the editor"): the `lineage` task provider, the
// dvc.yaml CodeLens, the status documents, the DAG webview, the commands, the pipeline
// problems in the Problems panel and the notification of a refused run. Called once from
// the composition root with the shared model, which the Pipelines view also reads.
import * as vscode from 'vscode';
import type { Engines } from '../engines';
import { PipelineDiagnostics } from './pipelineDiagnostics';
import { registerReproCommands } from './reproCommands';
import { DVC_YAML_SELECTOR, ReproCodeLensProvider } from './reproCodeLens';
import type { ReproModel } from './reproModel';
import { registerRefusalNotices } from './reproProblems';
import { ReproTaskProvider, TASK_TYPE } from './reproTasks';
import { PipelineDagPanel, registerPipelineDagSerializer, type DagPanelDeps } from './pipelineDagPanel';
import { STATUS_SCHEME, StatusDocuments } from './statusDocument';

export interface ReproParts {
  tasks: ReproTaskProvider;
  codeLens: ReproCodeLensProvider;
  diagnostics: PipelineDiagnostics;
  dagPanels(): readonly PipelineDagPanel[];
  disposables: vscode.Disposable[];
}

export function registerRepro(engines: Engines, model: ReproModel, extensionUri: vscode.Uri): ReproParts {
  const trusted = () => vscode.workspace.isTrusted;
  const tasks = new ReproTaskProvider(engines, model, trusted);
  const codeLens = new ReproCodeLensProvider(engines, model, trusted);
  const statusDocs = new StatusDocuments(engines, model);
  const dag: DagPanelDeps = { extensionUri, model, trusted };
  const diagnostics = new PipelineDiagnostics(model);
  return {
    tasks,
    codeLens,
    diagnostics,
    dagPanels: () => PipelineDagPanel.panels(),
    disposables: [
      statusDocs,
      diagnostics,
      registerRefusalNotices(model),
      vscode.tasks.registerTaskProvider(TASK_TYPE, tasks),
      vscode.languages.registerCodeLensProvider(DVC_YAML_SELECTOR, codeLens),
      vscode.workspace.registerTextDocumentContentProvider(STATUS_SCHEME, statusDocs),
      registerPipelineDagSerializer(engines, dag),
      // Trust granted: tasks appear, CodeLens and the DAG's run buttons turn on.
      vscode.workspace.onDidGrantWorkspaceTrust(() => model.invalidate(0)),
      ...registerReproCommands({ engines, model, tasks, dag }),
    ],
  };
}
