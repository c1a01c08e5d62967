// MLflow runs for the demo repository, in MLflow's file store layout (shared FORMATS.md §3), as
// a team that logs with MLflow beside DVC would have them: one run per training commit, tagged
// with the commit it ran at, so the run tree can hang each run under its commit.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rng } from './demoUtil';
import { round } from './demoUtil';

export interface DemoRunInput {
  sha: string;
  branch: string;
  /** Commit time, seconds. */
  time: number;
  user: string;
  params: Record<string, number | string>;
  accuracy: number;
  loss: number;
  epochs: number;
  /** Log a model (mlflow.log-model.history + artifacts/model/MLmodel). */
  logModel: boolean;
}

const EXPERIMENT_ID = '1';
const EXPERIMENT_NAME = 'text-classifier';

/** Writes `mlruns/` under `dir`; returns the run ids in input order. */
export async function writeDemoMlflowRuns(dir: string, runs: DemoRunInput[], rng: Rng): Promise<string[]> {
  const root = path.join(dir, 'mlruns');
  const expDir = path.join(root, EXPERIMENT_ID);
  const created = runs.length ? runs[0].time * 1000 - 3_600_000 : 0;
  await writeFiles(path.join(root, '0'), {
    'meta.yaml': yamlLines({
      artifact_location: pathToFileURL(path.join(root, '0')).href,
      creation_time: created,
      experiment_id: '0',
      last_update_time: created,
      lifecycle_stage: 'active',
      name: 'Default',
    }),
  });
  await writeFiles(expDir, {
    'meta.yaml': yamlLines({
      artifact_location: pathToFileURL(expDir).href,
      creation_time: created,
      experiment_id: EXPERIMENT_ID,
      last_update_time: created,
      lifecycle_stage: 'active',
      name: EXPERIMENT_NAME,
    }),
    'tags/mlflow.note.content': 'Runs of the demo pipeline, logged beside DVC.',
  });
  const ids: string[] = [];
  for (const run of runs) {
    const id = rng.hex(32);
    ids.push(id);
    await writeRun(path.join(expDir, id), id, run, rng);
  }
  return ids;
}

async function writeRun(runDir: string, id: string, run: DemoRunInput, rng: Rng): Promise<void> {
  const end = run.time * 1000 - 60_000;
  const start = end - run.epochs * 45_000 - 5_000;
  const name = `${rng.pick(['calm', 'bold', 'keen', 'wise', 'swift'])}-${rng.pick(['owl', 'elk', 'fox', 'yak', 'cod'])}-${rng.int(10, 99)}`;
  const files: Record<string, string> = {
    'meta.yaml': yamlLines({
      artifact_uri: pathToFileURL(path.join(runDir, 'artifacts')).href,
      end_time: end,
      entry_point_name: '',
      experiment_id: EXPERIMENT_ID,
      lifecycle_stage: 'active',
      run_id: id,
      run_name: name,
      run_uuid: id,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: start,
      status: 3,
      tags: '[]',
      user_id: run.user,
    }),
    'tags/mlflow.runName': name,
    'tags/mlflow.user': run.user,
    'tags/mlflow.source.name': 'src/train.py',
    'tags/mlflow.source.type': 'LOCAL',
  };
  if (run.sha) {
    files['tags/mlflow.source.git.commit'] = run.sha;
    files['tags/mlflow.source.git.branch'] = run.branch;
    files['tags/mlflow.source.git.repoURL'] = 'https://example.invalid/demo/text-classifier.git';
  }
  for (const [key, value] of Object.entries(run.params)) files[`params/${key}`] = String(value);
  // Per-epoch curves that end at the commit's metrics, as a training loop would log them.
  const acc: string[] = [];
  const loss: string[] = [];
  for (let step = 0; step < run.epochs; step++) {
    const progress = (step + 1) / run.epochs;
    const ts = start + 5_000 + step * 45_000;
    acc.push(`${ts} ${step === run.epochs - 1 ? run.accuracy : round(run.accuracy * (0.6 + 0.4 * progress) + rng.noise(0.01), 4)} ${step}`);
    loss.push(`${ts} ${step === run.epochs - 1 ? run.loss : round(run.loss * (1 + 2 * (1 - progress)) + rng.noise(0.01), 4)} ${step}`);
  }
  files['metrics/accuracy'] = acc.join('\n') + '\n';
  files['metrics/loss'] = loss.join('\n') + '\n';
  files['metrics/val/accuracy'] = `${end - 2_000} ${round(run.accuracy - 0.012, 4)} ${run.epochs - 1}\n`;
  if (run.logModel) {
    const created = new Date(end - 1_000).toISOString().replace('T', ' ').replace('Z', '000');
    const uuid = rng.hex(32);
    files['tags/mlflow.log-model.history'] = JSON.stringify([
      {
        run_id: id,
        artifact_path: 'model',
        utc_time_created: created,
        model_uuid: uuid,
        flavors: {
          python_function: { loader_module: 'mlflow.sklearn', python_version: '3.11.9' },
          sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.5.2' },
        },
      },
    ]);
    files['artifacts/model/MLmodel'] = mlmodel(id, uuid, created);
    files['artifacts/model/requirements.txt'] = 'mlflow==3.17.2\nscikit-learn==1.5.2\n';
    files['artifacts/model/python_env.yaml'] = 'python: 3.11.9\nbuild_dependencies:\n- pip==24.0\ndependencies:\n- -r requirements.txt\n';
  }
  await writeFiles(runDir, files);
}

function mlmodel(runId: string, uuid: string, created: string): string {
  const inputs = JSON.stringify([{ type: 'string', name: 'text', required: true }]);
  const outputs = JSON.stringify([{ type: 'long', name: 'label', required: true }]);
  return [
    'artifact_path: model',
    'flavors:',
    '  python_function:',
    '    loader_module: mlflow.sklearn',
    '    python_version: 3.11.9',
    '  sklearn:',
    '    pickled_model: model.pkl',
    '    sklearn_version: 1.5.2',
    'mlflow_version: 3.17.2',
    `model_uuid: ${uuid}`,
    `run_id: ${runId}`,
    'signature:',
    `  inputs: '${inputs}'`,
    `  outputs: '${outputs}'`,
    '  params: null',
    `utc_time_created: '${created}'`,
    '',
  ].join('\n');
}

/** MLflow's meta.yaml: flat `key: value` lines, keys sorted as PyYAML dumps them. */
function yamlLines(fields: Record<string, string | number>): string {
  return Object.keys(fields)
    .sort()
    .map((k) => {
      const v = fields[k];
      if (typeof v === 'number' || v === '[]') return `${k}: ${v}\n`;
      return `${k}: ${v === '' || /^[\d.]+$/.test(v) || /: | #/.test(v) ? `'${v}'` : v}\n`;
    })
    .join('');
}

async function writeFiles(base: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(base, ...rel.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}
