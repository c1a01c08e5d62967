// A small DVC project in a real Git repository for the lineage card: raw data added with
// `dvc add` (a .dvc file), a prepare stage, a train stage writing an MLflow model folder
// (MLmodel + model.pkl) as a cached DVC out, params and metrics, two model versions.

import { createHash } from 'node:crypto';
import type { GitFixture } from '../../helpers/gitFixture';
import type { ModelVersionRef } from '../../../src/core/registry/types';

export const md5 = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');

/** Writes an object into the local DVC cache (3.x layout, or the 2.x one with `legacy`). */
export function cacheObject(repo: GitFixture, content: string, suffix = '', legacy = false): string {
  const hash = md5(content);
  const base = legacy ? '.dvc/cache' : '.dvc/cache/files/md5';
  repo.write({ [`${base}/${hash.slice(0, 2)}/${hash.slice(2)}${suffix}`]: content });
  return hash;
}

export const MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.9
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.1
mlflow_version: 2.16.2
model_size_bytes: 1234
model_uuid: 4f1c2d3e
run_id: 0a1b2c3d4e5f
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type": "array", "items": {"type": "string"}, "name": "tags", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
utc_time_created: '2024-09-01 10:00:00.000000'
`;

const YAML = `stages:
  prepare:
    cmd: python src/prepare.py
    deps:
    - data/raw.csv
    - src/prepare.py
    outs:
    - data/clean
  train:
    cmd: python src/train.py
    deps:
    - data/clean
    - src/train.py
    params:
    - train.lr
    outs:
    - models/model
    metrics:
    - metrics.json:
        cache: false
`;

export interface LineageRepo {
  shas: string[];
  refs: ModelVersionRef[];
  modelDirMd5: string[];
  raw: string[];
}

/** Two versions: v1 with lr 0.1 and accuracy 0.8, v2 with lr 0.05, accuracy 0.9 and new raw data. */
export function writeLineageProject(repo: GitFixture): LineageRepo {
  repo.write({ '.gitignore': '/.dvc/cache\n/data/raw.csv\n/data/clean\n/models/model\n', '.dvc/config': '' });
  const shas: string[] = [];
  const modelDirMd5: string[] = [];
  const raws: string[] = [];
  for (const [i, lr, acc] of [
    [1, 0.1, 0.8],
    [2, 0.05, 0.9],
  ] as const) {
    const raw = `id,text,label\n${Array.from({ length: 10 * i }, (_, k) => `${k},review ${k},${k % 2}`).join('\n')}\n`;
    raws.push(raw);
    const rawMd5 = cacheObject(repo, raw);
    const mlmodel = MLMODEL.replace('model_uuid: 4f1c2d3e', `model_uuid: v${i}`);
    const pkl = `pickle ${i}`;
    const listing = `[{"md5": "${md5(mlmodel)}", "relpath": "MLmodel"}, {"md5": "${md5(pkl)}", "relpath": "model.pkl"}]`;
    cacheObject(repo, mlmodel);
    cacheObject(repo, pkl);
    const modelMd5 = cacheObject(repo, listing, '.dir');
    modelDirMd5.push(modelMd5);
    const clean = `${md5(`clean ${i}`)}.dir`; // never cached: "not in cache"
    const lock = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py
    deps:
    - path: data/raw.csv
      hash: md5
      md5: ${rawMd5}
      size: ${raw.length}
    - path: src/prepare.py
      hash: md5
      md5: ${md5('prep')}
      size: 4
    outs:
    - path: data/clean
      hash: md5
      md5: ${clean}
      size: 100
      nfiles: 2
  train:
    cmd: python src/train.py
    deps:
    - path: data/clean
      hash: md5
      md5: ${clean}
      size: 100
      nfiles: 2
    - path: src/train.py
      hash: md5
      md5: ${md5('train')}
      size: 5
    params:
      params.yaml:
        train.lr: ${lr}
    outs:
    - path: models/model
      hash: md5
      md5: ${modelMd5}.dir
      size: ${mlmodel.length + pkl.length}
      nfiles: 2
`;
    shas.push(
      repo.commit(`Train v${i} with lr ${lr}`, {
        'dvc.yaml': YAML,
        'dvc.lock': lock,
        'params.yaml': `train:\n  lr: ${lr}\n  epochs: 5\n`,
        'metrics.json': JSON.stringify({ accuracy: acc, loss: 1 - acc }),
        'data/raw.csv.dvc': `outs:\n- md5: ${rawMd5}\n  size: ${raw.length}\n  hash: md5\n  path: raw.csv\n`,
        'src/prepare.py': 'prep',
        'src/train.py': 'train',
        // The card reads the model's path from here, at the version's commit.
        'artifacts.yaml': 'sentiment:\n  type: model\n  path: models/model\n',
      }),
    );
  }
  const ref = (i: number): ModelVersionRef => ({
    artifact: 'sentiment',
    version: `v1.${i}.0`,
    commit: shas[i],
    path: 'models/model',
    type: 'model',
    stages: i === 1 ? ['prod'] : [],
    previousVersion: i === 1 ? { version: 'v1.0.0', commit: shas[0] } : null,
  });
  return { shas, refs: [ref(0), ref(1)], modelDirMd5, raw: raws };
}
