// Stand-ins for the demo's DVC-cached pickles (features and models) that the demo's Python
// scripts can load: a commit's data/features and models/*.pkl hold what featurize.py and
// train.py would have made (same layout and features, naive-Bayes weights instead of the
// Adam-trained ones), so any single stage can be reproduced on a checked-out commit without
// first re-running everything upstream. The bytes differ from Python's own; dvc.lock
// records these, so the demo stays consistent with its lock until a stage is re-run.

import { md5 } from './demoUtil';
import { PyFloat, PyTuple, pickleDumps, type PyValue } from './pickle';

export interface FeatureSet {
  vocabulary: string[];
  idf: number[];
  /** Sparse rows of [feature index, value], by index. */
  rows: [number, number][][];
  labels: number[];
}

export interface TrainParams {
  lr: number;
  epochs: number;
  batch_size: number;
  model: { layers: number; dropout: number };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function readReviews(csv: Buffer): { text: string; label: number }[] {
  const [, ...lines] = csv.toString('utf8').trimEnd().split('\n');
  return lines.map((line) => {
    const first = line.indexOf(',');
    const last = line.lastIndexOf(',');
    return { text: line.slice(first + 1, last), label: Number(line.slice(last + 1)) };
  });
}

function terms(text: string, ngrams: number, lowercase: boolean): string[] {
  const words = (lowercase ? text.toLowerCase() : text).split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let n = 1; n <= ngrams; n++) {
    for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  }
  return out;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Most commits share their prepared data and featurize params with their parent, and each
// commit asks three times (the features and both families), so results are kept a while.
const recent = new Map<string, { train: FeatureSet; test: FeatureSet }>();

/** TF-IDF features of data/prepared's train.csv and test.csv, as src/featurize.py computes them. */
export function featurize(
  prepared: Map<string, Buffer>,
  params: { max_features: number; ngrams: number },
  lowercase: boolean,
): { train: FeatureSet; test: FeatureSet } {
  const key = `${md5(prepared.get('train.csv') as Buffer)} ${md5(prepared.get('test.csv') as Buffer)} ${params.max_features} ${params.ngrams} ${lowercase}`;
  let sets = recent.get(key);
  if (!sets) {
    if (recent.size >= 32) recent.clear();
    sets = computeFeatures(prepared, params, lowercase);
    recent.set(key, sets);
  }
  return sets;
}

function computeFeatures(
  prepared: Map<string, Buffer>,
  params: { max_features: number; ngrams: number },
  lowercase: boolean,
): { train: FeatureSet; test: FeatureSet } {
  const train = readReviews(prepared.get('train.csv') as Buffer);
  const test = readReviews(prepared.get('test.csv') as Buffer);
  const df = new Map<string, number>();
  for (const r of train) {
    for (const t of new Set(terms(r.text, params.ngrams, lowercase))) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df.keys()]
    .sort((a, b) => (df.get(b) as number) - (df.get(a) as number) || byCodePoint(a, b))
    .slice(0, params.max_features);
  const vocabulary = kept.sort(byCodePoint);
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const idf = vocabulary.map((t) => Math.log((1 + train.length) / (1 + (df.get(t) as number))) + 1);
  const vectorize = (text: string): [number, number][] => {
    const counts = new Map<number, number>();
    for (const t of terms(text, params.ngrams, lowercase)) {
      const i = index.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const weights = [...counts].map(([i, c]): [number, number] => [i, c * idf[i]]).sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(weights.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
    return weights.map(([i, w]) => [i, round6(w / norm)]);
  };
  const set = (rows: { text: string; label: number }[]): FeatureSet => ({
    vocabulary,
    idf: idf.map(round6),
    rows: rows.map((r) => vectorize(r.text)),
    labels: rows.map((r) => r.label),
  });
  return { train: set(train), test: set(test) };
}

/** Binary bag of words over train.csv's own words: what the first train.py builds itself. */
export function bagOfWords(trainCsv: Buffer): FeatureSet {
  const reviews = readReviews(trainCsv);
  const vocabulary = [...new Set(reviews.flatMap((r) => r.text.split(/\s+/).filter(Boolean)))].sort(byCodePoint);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const rows = reviews.map((r) =>
    [
      ...new Set(
        r.text
          .split(/\s+/)
          .map((w) => index.get(w))
          .filter((i): i is number => i !== undefined),
      ),
    ]
      .sort((a, b) => a - b)
      .map((i): [number, number] => [i, 1]),
  );
  return { vocabulary, idf: [], rows, labels: reviews.map((r) => r.label) };
}

const floats = (xs: number[]): PyValue[] => xs.map((x) => new PyFloat(x));
const sparseRows = (rows: [number, number][][]): PyValue => rows.map((row) => row.map(([i, v]) => new PyTuple([i, new PyFloat(v)])));

/** data/features: train.pkl and test.pkl, laid out as featurize.py pickles them. */
const pickled = new WeakMap<object, Map<string, Buffer>>();

export function featurePickles(sets: { train: FeatureSet; test: FeatureSet }): Map<string, Buffer> {
  const known = pickled.get(sets);
  if (known) return known;
  const dump = (f: FeatureSet): Buffer =>
    pickleDumps({ vocabulary: f.vocabulary, idf: floats(f.idf), rows: sparseRows(f.rows), labels: f.labels });
  const files = new Map([
    ['test.pkl', dump(sets.test)],
    ['train.pkl', dump(sets.train)],
  ]);
  pickled.set(sets, files);
  return files;
}

/**
 * A model pickle laid out as train.py saves it (model.py's build_model, then finished()),
 * with naive-Bayes log-count-ratio weights: plausible predictions for evaluate.py.
 */
export function modelPickle(features: FeatureSet, hidden: number, train: TrainParams, withVocabulary: boolean): Buffer {
  const n = features.vocabulary.length;
  const { model } = train;
  // How far training would have got (train.py's steps, at its width-scaled learning rate), so
  // the weights move with lr, epochs and batch size as a trained model's would.
  const steps = train.epochs * Math.ceil(features.rows.length / train.batch_size);
  const reach = 1 - Math.exp(-(train.lr * Math.sqrt(hidden) * steps) / 10);
  const pos = new Array<number>(n).fill(0);
  const neg = new Array<number>(n).fill(0);
  for (const [r, row] of features.rows.entries()) {
    for (const [i, v] of row) (features.labels[r] === 1 ? pos : neg)[i] += v;
  }
  const positives = features.labels.filter((l) => l === 1).length;
  const value: Record<string, PyValue> = {
    n_in: n,
    hidden,
    layers: model.layers,
    dropout: new PyFloat(model.dropout),
    weight_decay: new PyFloat(1 / (hidden * model.layers)),
    weights: floats(pos.map((p, i) => round6(reach * Math.log((p + 1) / (neg[i] + 1))))),
    bias: new PyFloat(round6(reach * Math.log((positives + 1) / (features.labels.length - positives + 1)))),
  };
  if (withVocabulary) value.vocabulary = features.vocabulary;
  return pickleDumps(value);
}
