// Which dvc.lock stages a model version came from: the stages whose outs are (or hold) the
// model's path, then, through their data deps, the stages that produced those, upstream. The
// data and the hyperparameters answers both read this one walk, so they name the same stages.

import { isUnder } from '../util/paths';
import type { LockedStage } from './locks';

const CODE = /\.(py|pyx|ipynb|r|jl|sh|bash|zsh|ps1|js|mjs|ts|java|scala|kt|go|rs|c|cc|cpp|h|hpp|m|swift|rb|pl|lua|sql)$/i;
const CODE_NAMES =
  /(^|\/)(Dockerfile|Makefile|requirements[^/]*\.txt|pyproject\.toml|setup\.cfg|environment\.ya?ml|conda\.ya?ml|Pipfile(\.lock)?|poetry\.lock)$/;

/** Code is a dep too, but it is not data: question 1 (the commit) covers it. */
export function isCodePath(path: string): boolean {
  return CODE.test(path) || CODE_NAMES.test(path);
}

/** The stages writing `path`: an out equal to it, holding it (a folder out), or inside it (the model is a folder). */
export function stagesProducing(stages: LockedStage[], path: string): LockedStage[] {
  return stages.filter((s) => s.outs.some((o) => isUnder(path, o.repoPath) || isUnder(o.repoPath, path)));
}

export interface ModelStages {
  /** The stages writing the model path; empty when the path is unknown or no stage writes it. */
  producing: LockedStage[];
  /** Breadth-first from `producing` through data deps (every stage when `producing` is empty), each once. */
  upstream: LockedStage[];
}

export function modelStages(stages: LockedStage[], modelPath: string | null): ModelStages {
  const producing = modelPath ? stagesProducing(stages, modelPath) : [];
  if (producing.length === 0) return { producing, upstream: [...stages] };
  const upstream: LockedStage[] = [];
  const visited = new Set<string>();
  const queue = [...producing];
  while (queue.length > 0) {
    const stage = queue.shift()!;
    if (visited.has(stage.address)) continue;
    visited.add(stage.address);
    upstream.push(stage);
    for (const dep of stage.deps) if (!isCodePath(dep.repoPath)) queue.push(...stagesProducing(stages, dep.repoPath));
  }
  return { producing, upstream };
}
