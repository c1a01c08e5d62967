// The one place the editor calls the repro engine (through core/workspace/pipelines): status of
// every stage from the files on disk, and a run. Kept as a small seam so the model and tests can swap it.
import { pipelineStatusAt, reproduceAt } from '../../core/workspace/pipelines';
import type { Workspace } from '../../core/workspace/workspace';
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
  /** `ws` is the folder's index when it may be written (hashes cached, runs recorded); undefined in Restricted Mode. */
  status(root: string, ws: Workspace | undefined): Promise<PipelineSnapshot>;
  reproduce(root: string, ws: Workspace | undefined, options: ReproOptions, onEvent: (e: ReproEvent) => void): Promise<ReproResult>;
}

export const coreReproEngine: ReproEngine = {
  async status(root, ws) {
    const report = await pipelineStatusAt(root, ws);
    return {
      stages: report.stages,
      problems: report.problems,
      broken: report.dag.broken,
      upstream: new Map(report.dag.stages.map((s) => [s.address, s.upstream])),
      downstream: new Map(report.dag.stages.map((s) => [s.address, s.downstream])),
    };
  },
  reproduce(root, ws, options, onEvent) {
    return reproduceAt(root, ws, options, onEvent);
  },
};
