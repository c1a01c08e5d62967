// Turns project states into commits: renders each state, diffs it against the first parent so
// a commit touches only what changed, and collects every cached out into one DVC cache.

import { FastImportWriter } from './fastImport';
import { Params, ProjectState, Rendered, cloneState, renderProject } from './demoProject';
import { Person, Rng, ident, round } from './demoUtil';

export interface HistoryNode {
  /** Mark in the first import, or the full sha once known (experiments). */
  id: string;
  state: ProjectState;
  rendered: Rendered;
  time: number;
}

export class DemoHistory {
  readonly cache = new Map<string, Buffer>();

  constructor(public writer: FastImportWriter) {}

  /**
   * Commits `state` on `ref`. `stale` models a commit that changed code without running
   * `dvc repro`: outputs (dvc.lock, metrics, plots) stay as in the first parent.
   */
  commit(
    ref: string,
    parents: HistoryNode[],
    state: ProjectState,
    message: string,
    who: Person,
    time: number,
    rng: Rng,
    stale = false,
  ): HistoryNode {
    let rendered = renderProject(state, rng, time);
    const base = parents[0]?.rendered;
    if (stale && base) {
      const files = new Map(rendered.files);
      for (const p of new Set([...rendered.outputPaths, ...base.outputPaths])) {
        const old = base.files.get(p);
        if (old) files.set(p, old);
        else files.delete(p);
      }
      rendered = { ...base, files };
    } else {
      for (const [hash, bytes] of rendered.cache) this.cache.set(hash, bytes);
    }
    const changes = new Map<string, Buffer | null>();
    for (const [p, bytes] of rendered.files) {
      const old = base?.files.get(p);
      if (!old || !old.equals(bytes)) changes.set(p, bytes);
    }
    for (const p of base?.files.keys() ?? []) {
      if (!rendered.files.has(p)) changes.set(p, null);
    }
    const id = this.writer.commit({
      ref,
      author: ident(who, time),
      // Committer a little later than author, as after a rebase or amend.
      committer: ident(who, time + (rng.chance(0.2) ? rng.int(60, 3600) : 0)),
      message,
      parents: parents.map((p) => p.id),
      files: changes,
    });
    return { id, state: cloneState(state), rendered, time };
  }
}

type TunableKey = 'lr' | 'epochs' | 'batch_size' | 'layers' | 'dropout' | 'max_features' | 'ngrams';

const LRS = [0.1, 0.05, 0.02, 0.01, 0.005, 0.003, 0.001, 0.0005];

/** Changes one hyperparameter the way a person tuning would, and says so in a commit subject. */
export function tuneOne(p: Params, key: TunableKey, rng: Rng): string {
  const t = p.train;
  switch (key) {
    case 'lr': {
      const old = t.lr;
      // Biased towards the ~0.003 sweet spot the metric model rewards, like a person converging.
      t.lr = rng.chance(0.6) ? rng.pick([0.005, 0.003, 0.002, 0.001]) : rng.pick(LRS);
      if (t.lr === old) t.lr = old === 0.003 ? 0.002 : 0.003;
      return `${t.lr < old ? 'Lower' : 'Raise'} learning rate to ${t.lr}`;
    }
    case 'epochs':
      // Mostly longer runs, but a person near the budget cuts back instead of repeating 40.
      t.epochs = Math.max(3, Math.min(40, t.epochs + (t.epochs < 34 && rng.chance(0.75) ? rng.int(1, 5) : -rng.int(2, 6))));
      return `Train for ${t.epochs} epochs`;
    case 'batch_size':
      t.batch_size = rng.pick([16, 32, 64, 128, 256].filter((b) => b !== t.batch_size));
      return `Use batch size ${t.batch_size}`;
    case 'layers':
      t.model.layers = Math.max(1, Math.min(6, t.model.layers + (rng.chance(0.6) ? 1 : -1)));
      return `Try ${t.model.layers} hidden layers`;
    case 'dropout':
      t.model.dropout = round(Math.max(0.05, Math.min(0.6, t.model.dropout + rng.pick([-0.1, -0.05, 0.05, 0.1]))), 2);
      return `Set dropout to ${t.model.dropout}`;
    case 'max_features':
      p.featurize.max_features = rng.pick([500, 1000, 2000, 3000, 5000, 8000].filter((m) => m !== p.featurize.max_features));
      return `Use ${p.featurize.max_features} TF-IDF features`;
    case 'ngrams':
      p.featurize.ngrams = p.featurize.ngrams === 1 ? 2 : rng.pick([1, 3]);
      return p.featurize.ngrams === 1 ? 'Back to unigrams' : `Use ${p.featurize.ngrams}-grams`;
  }
}

/** One routine tuning commit: one or two params, or a plain re-run for fresh numbers. */
export function tune(state: ProjectState, rng: Rng): string {
  if (rng.chance(0.08)) {
    return rng.pick(['Re-run pipeline', 'Reproduce with latest data snapshot', 'Retrain after dependency update']);
  }
  const keys: TunableKey[] = ['lr', 'epochs', 'epochs', 'batch_size', 'layers', 'dropout'];
  if (state.pipeline >= 2) keys.push('max_features', 'ngrams');
  const first = rng.pick(keys);
  const subject = tuneOne(state.params, first, rng);
  if (rng.chance(0.3)) {
    const second = rng.pick(keys.filter((k) => k !== first));
    tuneOne(state.params, second, rng);
    return `Tune ${first} and ${second}`;
  }
  return subject;
}
