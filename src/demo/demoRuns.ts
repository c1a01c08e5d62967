// The demo's MLflow and W&B runs: the team logs training runs with both tools beside DVC, so
// the run tree, the run diffs and the lineage card have real external runs linked to commits.
// Kept out of Git (.git/info/exclude), as teams keep `mlruns/` and `wandb/` out of Git.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HistoryNode } from './demoHistory';
import type { Rng } from './demoUtil';
import { writeDemoMlflowRuns, type DemoRunInput } from './demoMlflowRuns';
import { writeDemoWandbRuns } from './demoWandbRuns';

export interface DemoRunCommit {
  sha: string;
  node: HistoryNode;
  branch: string;
  user: string;
  /** A model version was registered at this commit: log the model with the run. */
  modelVersion: boolean;
}

export interface DemoRunsInfo {
  mlflow: string[];
  wandb: string[];
}

export async function writeDemoRuns(dir: string, commits: DemoRunCommit[], wandbCommits: DemoRunCommit[], rng: Rng): Promise<DemoRunsInfo> {
  const mlflow = await writeDemoMlflowRuns(dir, [...commits.map(runInput), unlinkedRun(commits[commits.length - 1])], rng);
  const wandb = await writeDemoWandbRuns(dir, wandbCommits.map(runInput), rng);
  const exclude = path.join(dir, '.git', 'info', 'exclude');
  await fs.mkdir(path.dirname(exclude), { recursive: true });
  await fs.appendFile(exclude, '\n# run logs of the demo, kept out of Git\nmlruns/\nwandb/\n');
  return { mlflow, wandb };
}

function runInput(c: DemoRunCommit): DemoRunInput {
  const p = c.node.state.params;
  return {
    sha: c.sha,
    branch: c.branch,
    time: c.node.time,
    user: c.user,
    params: {
      lr: p.train.lr,
      epochs: p.train.epochs,
      batch_size: p.train.batch_size,
      layers: p.train.model.layers,
      dropout: p.train.model.dropout,
      max_features: p.featurize.max_features,
      ngrams: p.featurize.ngrams,
      split: p.prepare.split,
      seed: p.prepare.seed,
    },
    accuracy: c.node.rendered.metrics.accuracy,
    loss: c.node.rendered.metrics.loss,
    epochs: Math.max(2, Math.min(p.train.epochs, 30)),
    logModel: c.modelVersion,
  };
}

/** A notebook run made outside any commit: it lands under "Unlinked runs". */
function unlinkedRun(base: DemoRunCommit): DemoRunInput {
  return { ...runInput(base), sha: '', branch: '', time: base.node.time + 7200, logModel: false, epochs: 3 };
}
