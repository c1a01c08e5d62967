// The one place the editor calls the repro engine (src/core/repro): status of every stage
// from the files on disk, and a run. Kept as a small seam so the model and tests can swap it.
import { reproduce } from '../../core/repro/runner';
import { createReproIO } from '../../core/repro/reproIO';
import { stageStatuses } from '../../core/repro/status';
import type { Store } from '../../core/store/store';
import type { ReproEvent, ReproOptions, ReproProblem, ReproResult, StageStatus } from '../../core/repro/types';

export interface PipelineSnapshot {
  stages: StageStatus[];
  problems: ReproProblem[];
  /** Addresses of stages that cannot run (part of a cycle, an out written twice, or downstream of one). */
  broken: Set<string>;
  /** address -> addresses of the stages producing its deps. */
  upstream: Map<string, string[]>;
  downstream: Map<string, string[]>;
}

export interface ReproEngine {
  status(root: string, store: Store | undefined): Promise<PipelineSnapshot>;
  reproduce(root: string, store: Store | undefined, options: ReproOptions, onEvent: (e: ReproEvent) => void): Promise<ReproResult>;
}

export const coreReproEngine: ReproEngine = {
  async status(root, store) {
    const report = await stageStatuses(root, createReproIO(root, store));
    return {
      stages: report.stages,
      problems: report.problems,
      broken: report.dag.broken,
      upstream: new Map(report.dag.stages.map((s) => [s.address, s.upstream])),
      downstream: new Map(report.dag.stages.map((s) => [s.address, s.downstream])),
    };
  },
  reproduce(root, store, options, onEvent) {
    return reproduce(root, createReproIO(root, store), options, onEvent, { store });
  },
};
