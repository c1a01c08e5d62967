// The demo project's state at one commit and how it renders to files: sources tracked by
// Git, pipeline outputs (dvc.lock, metrics, plots, DVCLive) and the DVC-cached outs that
// live only in .dvc/cache. Outputs are derived from their inputs so an out changes only when
// a stage would have re-run, as with a real `dvc repro`. Metrics follow the story's trend
// (they are not what the scripts would compute); the cached features and models are
// loadable pickles (demoArtifacts), so any one stage can be re-run on its own.

import * as code from './demoCode';
import { CodeFlags } from './demoCode';
import { MODEL_SCRIPT, evaluateScript, trainScript } from './demoTrainCode';
import { Rng, dirListing, dvcYaml, md5, pyJson, round } from './demoUtil';
import { confusionCsv, rawCsv, rocCsv, splitRows } from './demoData';
import { bagOfWords, featurePickles, featurize, modelPickle } from './demoArtifacts';
import { FAMILIES, buildDvcYaml, Stage, stagesFor } from './demoPipeline';

export interface Params {
  prepare: { split: number; seed: number };
  featurize: { max_features: number; ngrams: number };
  train: { lr: number; epochs: number; batch_size: number; model: { layers: number; dropout: number } };
}

export interface ProjectState {
  /** 0: no pipeline yet; 1: prepare/train/evaluate; 2: featurize + foreach train; 3: DVCLive. */
  pipeline: number;
  dvcInit: boolean;
  /** Version of data/raw.csv, 0 before data is tracked. */
  rawVersion: number;
  params: Params;
  flags: CodeFlags;
  /** 0..1, how far the team has got; drives the metric trend. */
  skill: number;
  artifacts: boolean;
  /** DVCLive 3.x writes a timestamp column in its TSVs, 2.x did not. */
  liveV3: boolean;
  /** A run whose loss diverged; DVCLive records it as the string "nan". */
  diverged: boolean;
}

export interface Rendered {
  /** Every Git-tracked file (sources and uncached outputs). */
  files: Map<string, Buffer>;
  /** Paths in `files` that `dvc repro` writes; a commit without a re-run keeps the old ones. */
  outputPaths: Set<string>;
  /** Cached outs as they appear in a checked-out workspace (not in Git). */
  workspace: Map<string, Buffer>;
  /** Cache objects by hash (directories as "<md5>.dir"). */
  cache: Map<string, Buffer>;
  metrics: { accuracy: number; loss: number };
}

export function initialState(): ProjectState {
  return {
    pipeline: 0,
    dvcInit: false,
    rawVersion: 0,
    params: {
      prepare: { split: 0.2, seed: 42 },
      featurize: { max_features: 1000, ngrams: 1 },
      train: { lr: 0.01, epochs: 5, batch_size: 32, model: { layers: 2, dropout: 0.1 } },
    },
    flags: { ...code.INITIAL_FLAGS },
    skill: 0,
    artifacts: false,
    liveV3: false,
    diverged: false,
  };
}

export function cloneState(s: ProjectState): ProjectState {
  return JSON.parse(JSON.stringify(s)) as ProjectState;
}

/** Pick the keys a stage tracks out of params.yaml, as dvc.lock stores them (dotted, sorted). */
function lockParams(params: Params, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    let v: unknown = params;
    for (const part of key.split('.')) {
      v = (v as Record<string, unknown>)[part];
    }
    out[key] = v;
  }
  return out;
}

function computeMetrics(
  s: ProjectState,
  rng: Rng,
): { accuracy: number; loss: number; f1: number; precision: number; recall: number; auc: number } {
  const t = s.params.train;
  const bonus =
    -0.012 * Math.abs(t.model.layers - 4) -
    0.04 * Math.abs(t.model.dropout - 0.3) -
    0.015 * Math.abs(Math.log10(t.lr) + 2.5) +
    (0.02 * Math.min(t.epochs, 40)) / 40 +
    (s.pipeline >= 2
      ? (0.01 * Math.min(s.params.featurize.max_features, 5000)) / 5000 + (s.params.featurize.ngrams === 2 ? 0.008 : 0)
      : 0) -
    (s.flags.dedupe ? 0.015 : 0); // fixing the leak honestly lowers the score
  const accuracy = Math.min(0.985, 0.66 + 0.26 * s.skill + bonus + rng.noise(0.012));
  const loss = Math.max(0.04, 1.15 * (1 - accuracy) + 0.05 + rng.noise(0.02));
  const precision = Math.min(0.99, accuracy + 0.01 + rng.noise(0.015));
  const recall = Math.min(0.99, accuracy - 0.015 + rng.noise(0.015));
  const f1 = (2 * precision * recall) / (precision + recall);
  const auc = Math.min(0.995, accuracy + 0.055 + rng.noise(0.01));
  return {
    accuracy: round(accuracy),
    loss: round(loss),
    f1: round(f1),
    precision: round(precision),
    recall: round(recall),
    auc: round(auc),
  };
}

/** DVCLive TSVs: one row per epoch, approaching the final value. */
function liveTsv(name: string, finalValue: number, start: number, s: ProjectState, time: number, rng: Rng, nanLast: boolean): string {
  const header = s.liveV3 ? `timestamp\tstep\t${name}` : `step\t${name}`;
  const rows = [header];
  const n = s.params.train.epochs;
  for (let step = 0; step < n; step++) {
    const frac = n === 1 ? 1 : step / (n - 1);
    let v: number | string = round(start + (finalValue - start) * Math.sqrt(frac) + (step < n - 1 ? rng.noise(0.01) : 0));
    if (nanLast && step === n - 1) {
      v = 'nan';
    }
    const ts = (time - 600 + step * 7) * 1000;
    rows.push(s.liveV3 ? `${ts}\t${step}\t${v}` : `${step}\t${v}`);
  }
  return rows.join('\n') + '\n';
}

/** Renders the whole tree for `s`; `rng` supplies run-to-run metric noise, `time` the run's clock. */
export function renderProject(s: ProjectState, rng: Rng, time: number): Rendered {
  const files = new Map<string, Buffer>();
  const outputPaths = new Set<string>();
  const workspace = new Map<string, Buffer>();
  const cache = new Map<string, Buffer>();
  const put = (p: string, content: string | Buffer, isOutput = false): void => {
    files.set(p, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    if (isOutput) outputPaths.add(p);
  };

  put('README.md', code.readme(s.pipeline));
  put('.gitignore', '__pycache__/\n*.pyc\n.venv/\n.ipynb_checkpoints/\n');
  put('requirements.txt', code.requirements(s.pipeline, s.liveV3));
  if (s.dvcInit) {
    put('.dvc/config', '[core]\n    autostage = true\n');
    put('.dvc/.gitignore', '/config.local\n/tmp\n/cache\n');
    put(
      '.dvcignore',
      '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n',
    );
  }
  // Hash and size of every produced path, for dvc.lock; dirs also expose their listing.
  const produced = new Map<string, { md5: string; size: number; nfiles?: number }>();
  // Bytes of every produced out, for the stages that read them.
  const outputs = new Map<string, Buffer | Map<string, Buffer>>();
  const addFile = (p: string, bytes: Buffer, cached: boolean): void => {
    produced.set(p, { md5: md5(bytes), size: bytes.length });
    outputs.set(p, bytes);
    if (cached) {
      cache.set(md5(bytes), bytes);
      workspace.set(p, bytes);
    }
  };
  const addDir = (p: string, entries: Map<string, Buffer>): void => {
    const listing = dirListing(entries);
    produced.set(p, { md5: listing.md5, size: listing.size, nfiles: listing.nfiles });
    outputs.set(p, entries);
    cache.set(listing.md5, listing.json);
    for (const [name, bytes] of entries) {
      cache.set(md5(bytes), bytes);
      workspace.set(`${p}/${name}`, bytes);
    }
  };

  if (s.rawVersion > 0) {
    const raw = rawCsv(s.rawVersion);
    addFile('data/raw.csv', raw, true);
    put('data/raw.csv.dvc', dvcYaml({ outs: [{ md5: md5(raw), size: raw.length, hash: 'md5', path: 'raw.csv' }] }));
  }
  const ignores = new Map<string, string[]>();
  if (s.pipeline === 0) {
    if (s.rawVersion > 0) put('data/.gitignore', '/raw.csv\n');
    return { files, outputPaths, workspace, cache, metrics: { accuracy: 0, loss: 0 } };
  }

  put('params.yaml', dvcYaml(s.pipeline >= 2 ? s.params : { prepare: s.params.prepare, train: s.params.train }));
  put('src/prepare.py', code.prepareScript(s.flags));
  put('src/train.py', trainScript(s.flags, s.pipeline));
  put('src/model.py', MODEL_SCRIPT);
  put('src/evaluate.py', evaluateScript(s.flags, s.pipeline));
  if (s.pipeline >= 2) put('src/featurize.py', code.featurizeScript(s.flags));
  if (s.artifacts) {
    put(
      'artifacts.yaml',
      dvcYaml({
        classifier: {
          type: 'model',
          path: 'models/model.pkl',
          description: 'Review sentiment classifier (best of the small and large families)',
          labels: ['nlp', 'sentiment'],
        },
      }),
    );
  }
  const stages = stagesFor(s.pipeline);
  put('dvc.yaml', buildDvcYaml(s.pipeline));
  const hashOf = (p: string): string => {
    const known = produced.get(p) ?? (files.has(p) ? { md5: md5(files.get(p) as Buffer), size: 0 } : undefined);
    if (!known) throw new Error(`demo pipeline: ${p} used before it is produced`);
    return known.md5;
  };

  const m = computeMetrics(s, rng);
  const lock: Record<string, unknown> = {};
  for (const st of stages) {
    const inputKey = st.deps.map(hashOf).join(',') + JSON.stringify(lockParams(s.params, st.params)) + st.cmd;
    runStage(st, inputKey, s, m, rng, time, { put, addFile, addDir, ignores, outputs });
    const entry = (p: string): Record<string, unknown> => {
      const h = produced.get(p) ?? { md5: md5(files.get(p) as Buffer), size: (files.get(p) as Buffer).length };
      return { path: p, hash: 'md5', md5: h.md5, size: h.size, ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}) };
    };
    lock[st.name] = {
      cmd: st.cmd,
      deps: [...st.deps].sort().map(entry),
      ...(st.params.length > 0 ? { params: { 'params.yaml': lockParams(s.params, st.params) } } : {}),
      outs: st.outs
        .map((o) => o.path)
        .sort()
        .map(entry),
    };
  }
  put('dvc.lock', dvcYaml({ schema: '2.0', stages: lock }), true);
  for (const [dir, names] of ignores) {
    put(
      `${dir}/.gitignore`,
      names
        .sort()
        .map((n) => `/${n}\n`)
        .join(''),
    );
  }
  if (s.rawVersion > 0) put('data/.gitignore', ['/raw.csv', ...(ignores.get('data') ?? []).map((n) => `/${n}`)].sort().join('\n') + '\n');
  return { files, outputPaths, workspace, cache, metrics: { accuracy: m.accuracy, loss: m.loss } };
}

interface Sink {
  put: (p: string, content: string | Buffer, isOutput?: boolean) => void;
  addFile: (p: string, bytes: Buffer, cached: boolean) => void;
  addDir: (p: string, entries: Map<string, Buffer>) => void;
  ignores: Map<string, string[]>;
  outputs: Map<string, Buffer | Map<string, Buffer>>;
}

/** Loadable features and models (demoArtifacts), computed from the stage's real deps. */
function pickledOut(st: Stage, outPath: string, s: ProjectState, sink: Sink): Map<string, Buffer> | Buffer {
  const prepared = sink.outputs.get('data/prepared') as Map<string, Buffer>;
  const features = () => featurize(prepared, s.params.featurize, s.flags.lowercase);
  if (outPath === 'data/features') return featurePickles(features());
  if (st.name === 'train') return modelPickle(bagOfWords(prepared.get('train.csv') as Buffer), 128, s.params.train, true);
  if (st.name.startsWith('train@')) return modelPickle(features().train, FAMILIES[st.name.slice(6)].hidden, s.params.train, false);
  // evaluate ships one of the families as models/model.pkl.
  return sink.outputs.get('models/large.pkl') as Buffer;
}

/** Writes one stage's outs: cached ones into the cache, the others into Git. */
function runStage(
  st: Stage,
  inputKey: string,
  s: ProjectState,
  m: ReturnType<typeof computeMetrics>,
  rng: Rng,
  time: number,
  sink: Sink,
): void {
  for (const out of st.outs) {
    let bytes: Buffer | undefined;
    if (out.path === 'data/prepared') {
      sink.addDir(out.path, splitRows(rawCsv(s.rawVersion), inputKey, s.params.prepare.split));
    } else if (out.path === 'data/features') {
      sink.addDir(out.path, pickledOut(st, out.path, s, sink) as Map<string, Buffer>);
    } else if (out.path.endsWith('.pkl')) {
      bytes = pickledOut(st, out.path, s, sink) as Buffer;
    } else if (out.path === 'eval/metrics.json') {
      bytes = Buffer.from(
        pyJson({ accuracy: m.accuracy, f1: m.f1, precision: m.precision, recall: m.recall, roc_auc: m.auc, loss: m.loss }),
      );
    } else if (out.path === 'eval/scores.yaml') {
      const small = round(m.accuracy - 0.03 + rng.noise(0.01));
      bytes = Buffer.from(
        dvcYaml({ models: { large: { accuracy: m.accuracy, roc_auc: m.auc }, small: { accuracy: small, roc_auc: round(small + 0.05) } } }),
      );
    } else if (out.path === 'eval/cached_metrics.json') {
      bytes = Buffer.from(
        pyJson({
          test: { accuracy: m.accuracy, n_samples: 40 + s.rawVersion * 8 },
          latency_ms: round(3 + s.params.train.model.layers * 0.8 + rng.noise(0.4), 2),
        }),
      );
    } else if (out.path === 'eval/plots/roc.csv') {
      bytes = Buffer.from(rocCsv(m.auc));
    } else if (out.path === 'eval/plots/confusion.csv') {
      bytes = Buffer.from(confusionCsv(m.accuracy, rng));
    } else {
      throw new Error(`demo pipeline: no generator for ${out.path}`);
    }
    if (bytes) {
      if (out.cache) {
        sink.addFile(out.path, bytes, true);
      } else {
        sink.put(out.path, bytes, true);
        sink.addFile(out.path, bytes, false);
      }
    }
    if (out.cache) {
      const slash = out.path.lastIndexOf('/');
      const dir = out.path.slice(0, slash);
      sink.ignores.set(dir, [...(sink.ignores.get(dir) ?? []), out.path.slice(slash + 1)]);
    }
  }
  if (st.name === 'train@large' && s.pipeline >= 3) {
    // DVCLive files are committed to Git and declared at the top of dvc.yaml, not as outs.
    const trainAcc = round(Math.min(0.999, m.accuracy + 0.04));
    const trainLoss = round(Math.max(0.02, m.loss - 0.08));
    sink.put(
      'dvclive/metrics.json',
      pyJson({ train: { loss: s.diverged ? 'nan' : trainLoss, acc: trainAcc }, step: s.params.train.epochs - 1 }),
      true,
    );
    sink.put('dvclive/params.yaml', dvcYaml({ ...s.params.train, family: 'large' }), true);
    sink.put('dvclive/plots/metrics/train/loss.tsv', liveTsv('loss', trainLoss, 0.69, s, time, rng, s.diverged), true);
    sink.put('dvclive/plots/metrics/train/acc.tsv', liveTsv('acc', trainAcc, 0.5, s, time, rng, false), true);
  }
}
