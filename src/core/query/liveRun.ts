import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../util/processAlive';

export interface LiveRun {
  pid: number;
  step?: number;
  experiment?: string;
}

/**
 * A DVCLive training running in the workspace right now: DVCLive writes
 * `.dvc/tmp/exps/run/DVCLIVE_ONLY` (or DVC's `DVCLIVE_STEP_COMPLETED`) as JSON with the
 * writer's pid while it runs. A file left behind by a killed run names a dead pid: not live.
 */
export function liveRunIn(root: string, isAlive: (pid: number) => boolean = processAlive): LiveRun | undefined {
  for (const name of ['DVCLIVE_STEP_COMPLETED', 'DVCLIVE_ONLY']) {
    let data: { pid?: unknown; step?: unknown; exp_name?: unknown };
    try {
      data = JSON.parse(readFileSync(join(root, '.dvc', 'tmp', 'exps', 'run', name), 'utf8'));
    } catch {
      continue;
    }
    if (typeof data.pid !== 'number' || !Number.isInteger(data.pid) || data.pid <= 0 || !isAlive(data.pid)) continue;
    return {
      pid: data.pid,
      step: typeof data.step === 'number' ? data.step : undefined,
      experiment: typeof data.exp_name === 'string' ? data.exp_name : undefined,
    };
  }
  return undefined;
}
