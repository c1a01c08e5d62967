import type { RepoInfo } from '../core/git/repo';
import type { Store } from '../core/store/store';
import type { EngineState } from './folderEngine';
import type { RunsTreeProvider } from './runs/runsTreeProvider';
import type { PipelinesTreeProvider } from './pipelines/pipelinesTreeProvider';
import type { ModelsTreeProvider } from './models/modelsTreeProvider';
import type { DiffDataSource } from './metricDiff/metricDiffPanel';

/** One workspace folder's engine as tests see it. */
export interface TestEngine {
  folder: string;
  readonly repo: RepoInfo | undefined;
  readonly store: Store | undefined;
  readonly state: EngineState;
}

/** What activate() returns, for the in-VS-Code test suites (test/vscode). */
export interface LineageTestApi {
  engines(): TestEngine[];
  runsTree: RunsTreeProvider;
  pipelinesTree: PipelinesTreeProvider;
  modelsTree: ModelsTreeProvider;
  diffSource: DiffDataSource;
  /** Resolves after the first index of every folder (or at once in Restricted Mode). */
  whenIndexed(): Promise<void>;
  /** An incremental index run of every folder; resolves when the trees have the result. */
  refresh(): Promise<void>;
}
