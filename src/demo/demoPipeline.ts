// The demo project's dvc.yaml in its three generations, and the same stages in rendered
// form (foreach expanded, ${...} substituted) for writing dvc.lock. Both come from this one
// file so the lock always matches the dvc.yaml of the same commit.

import { dvcYaml } from './demoUtil';

export interface StageOut {
  path: string;
  cache: boolean;
}

export interface Stage {
  /** Name as in dvc.lock, e.g. "train@large". */
  name: string;
  cmd: string;
  deps: string[];
  /** Keys in params.yaml. */
  params: string[];
  outs: StageOut[];
}

/** foreach items of the train stage: the model families. */
export const FAMILIES: Record<string, { hidden: number }> = { small: { hidden: 64 }, large: { hidden: 256 } };

const TRAIN_PARAMS = ['train.lr', 'train.epochs', 'train.batch_size', 'train.model'];

export function stagesFor(pipeline: number): Stage[] {
  const prepare: Stage = {
    name: 'prepare',
    cmd: 'python src/prepare.py data/raw.csv data/prepared',
    deps: ['data/raw.csv', 'src/prepare.py'],
    params: ['prepare.split', 'prepare.seed'],
    outs: [{ path: 'data/prepared', cache: true }],
  };
  if (pipeline === 1) {
    return [
      prepare,
      {
        name: 'train',
        cmd: 'python src/train.py data/prepared/train.csv models/model.pkl',
        deps: ['data/prepared', 'src/model.py', 'src/train.py'],
        params: TRAIN_PARAMS,
        outs: [{ path: 'models/model.pkl', cache: true }],
      },
      {
        name: 'evaluate',
        cmd: 'python src/evaluate.py models/model.pkl data/prepared/test.csv',
        deps: ['data/prepared', 'models/model.pkl', 'src/evaluate.py'],
        params: [],
        outs: [
          { path: 'eval/metrics.json', cache: false },
          { path: 'eval/plots/roc.csv', cache: false },
        ],
      },
    ];
  }
  const stages: Stage[] = [
    prepare,
    {
      name: 'featurize',
      cmd: 'python src/featurize.py data/prepared data/features',
      deps: ['data/prepared', 'src/featurize.py'],
      params: ['featurize.max_features', 'featurize.ngrams'],
      outs: [{ path: 'data/features', cache: true }],
    },
  ];
  for (const [key, item] of Object.entries(FAMILIES)) {
    stages.push({
      name: `train@${key}`,
      cmd: `python src/train.py --family ${key} --hidden ${item.hidden} data/features models/${key}.pkl`,
      deps: ['data/features', 'src/model.py', 'src/train.py'],
      params: TRAIN_PARAMS,
      outs: [{ path: `models/${key}.pkl`, cache: true }],
    });
  }
  stages.push({
    name: 'evaluate',
    cmd: 'python src/evaluate.py models/small.pkl models/large.pkl data/features',
    deps: ['data/features', 'models/large.pkl', 'models/small.pkl', 'src/evaluate.py'],
    params: [],
    outs: [
      { path: 'models/model.pkl', cache: true },
      { path: 'eval/metrics.json', cache: false },
      { path: 'eval/scores.yaml', cache: false },
      // Cached metrics: only the dvc.lock md5 and .dvc/cache hold these bytes, never Git.
      { path: 'eval/cached_metrics.json', cache: true },
      { path: 'eval/plots/roc.csv', cache: false },
      { path: 'eval/plots/confusion.csv', cache: false },
    ],
  });
  return stages;
}

export function buildDvcYaml(pipeline: number): string {
  const prepare = {
    cmd: 'python src/prepare.py data/raw.csv data/prepared',
    deps: ['data/raw.csv', 'src/prepare.py'],
    params: ['prepare.split', 'prepare.seed'],
    outs: ['data/prepared'],
  };
  if (pipeline === 1) {
    return dvcYaml({
      stages: {
        prepare,
        train: {
          cmd: 'python src/train.py data/prepared/train.csv models/model.pkl',
          deps: ['data/prepared', 'src/model.py', 'src/train.py'],
          params: TRAIN_PARAMS,
          outs: ['models/model.pkl'],
        },
        evaluate: {
          cmd: 'python src/evaluate.py models/model.pkl data/prepared/test.csv',
          deps: ['data/prepared', 'models/model.pkl', 'src/evaluate.py'],
          metrics: [{ 'eval/metrics.json': { cache: false } }],
          plots: [{ 'eval/plots/roc.csv': { cache: false, x: 'fpr', y: 'tpr' } }],
        },
      },
      metrics: ['eval/metrics.json'],
    });
  }
  const doc: Record<string, unknown> = {
    stages: {
      prepare,
      featurize: {
        cmd: 'python src/featurize.py data/prepared data/features',
        deps: ['data/prepared', 'src/featurize.py'],
        params: ['featurize.max_features', 'featurize.ngrams'],
        outs: ['data/features'],
      },
      train: {
        foreach: FAMILIES,
        do: {
          cmd: 'python src/train.py --family ${key} --hidden ${item.hidden} data/features models/${key}.pkl',
          deps: ['data/features', 'src/model.py', 'src/train.py'],
          params: TRAIN_PARAMS,
          outs: ['models/${key}.pkl'],
        },
      },
      evaluate: {
        cmd: 'python src/evaluate.py models/small.pkl models/large.pkl data/features',
        deps: ['data/features', 'models/small.pkl', 'models/large.pkl', 'src/evaluate.py'],
        outs: ['models/model.pkl'],
        metrics: [{ 'eval/metrics.json': { cache: false } }, { 'eval/scores.yaml': { cache: false } }, 'eval/cached_metrics.json'],
        plots: [
          { 'eval/plots/roc.csv': { cache: false } },
          { 'eval/plots/confusion.csv': { cache: false, template: 'confusion', x: 'actual', y: 'predicted' } },
        ],
      },
    },
  };
  if (pipeline >= 3) {
    // What DVCLive appends to the dvc.yaml of the folder it runs in.
    doc.params = ['dvclive/params.yaml'];
  }
  doc.metrics = pipeline >= 3 ? ['eval/metrics.json', 'dvclive/metrics.json'] : ['eval/metrics.json'];
  doc.plots = [
    { roc: { template: 'simple', x: 'fpr', y: { 'eval/plots/roc.csv': 'tpr' }, title: 'ROC' } },
    ...(pipeline >= 3 ? [{ 'dvclive/plots/metrics': { x: 'step' } }] : []),
  ];
  return dvcYaml(doc);
}
