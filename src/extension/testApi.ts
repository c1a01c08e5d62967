import type { RepoInfo, Workspace } from '../core/workspace/workspace';
import type { EngineState } from './folderEngine';
import type { RunsTreeProvider } from './runs/runsTreeProvider';
import type { PipelinesTreeProvider } from './pipelines/pipelinesTreeProvider';
import type { ModelsTreeProvider } from './models/modelsTreeProvider';
import type { DiffDataSource } from './metricDiff/metricDiffPanel';
import type { EditorFeaturesTestApi } from './registerEditorFeatures';
import type { ChartsTestApi } from './registerCharts';
import type { ReproModel } from './repro/reproModel';
import type { Engines } from './engines';
import type { ReproTaskProvider } from './repro/reproTasks';
import type { ReproCodeLensProvider } from './repro/reproCodeLens';
import type { PipelineDagPanel } from './repro/pipelineDagPanel';
import type { PipelineDiagnostics } from './repro/pipelineDiagnostics';
import type { LineageCardPanel } from './lineage/lineageCardPanel';

/** One workspace folder's engine as tests see it. */
export interface TestEngine {
  folder: string;
  readonly repo: RepoInfo | undefined;
  /** The folder's opened index (its Workspace), undefined until it is open. */
  readonly store: Workspace | undefined;
  readonly state: EngineState;
}

/** What activate() returns, for the in-VS-Code test suites (test/vscode). */
export interface LineageTestApi {
  engines(): TestEngine[];
  runsTree: RunsTreeProvider;
  pipelinesTree: PipelinesTreeProvider;
  modelsTree: ModelsTreeProvider;
  /** Live pipeline state, the `lineage` task provider, the dvc.yaml CodeLens, the pipeline diagnostics and the open Pipeline DAG panels. */
  repro: {
    engines: Engines;
    model: ReproModel;
    tasks: ReproTaskProvider;
    codeLens: ReproCodeLensProvider;
    diagnostics: PipelineDiagnostics;
    dagPanels(): readonly PipelineDagPanel[];
  };
  diffSource: DiffDataSource;
  /** The open Lineage Card panels (their posted card: postedState()). */
  lineageCards(): readonly LineageCardPanel[];
  /** Metric History and Plots panels and commands. */
  charts: ChartsTestApi;
  /** Inline diffs in params/metrics editors, the status bar items and the Explorer/Runs badges. */
  editor: EditorFeaturesTestApi;
  /** Resolves after the first index of every folder (or at once in Restricted Mode). */
  whenIndexed(): Promise<void>;
  /** An incremental index run of every folder; resolves when the trees have the result. */
  refresh(): Promise<void>;
}
