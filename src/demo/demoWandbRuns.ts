// W&B offline runs for the demo repository: the folder layout and `.wandb` log wandb 0.31
// writes with WANDB_MODE=offline (shared FORMATS.md §4), so the run tree shows W&B runs
// beside the MLflow ones and the lineage card can answer "environment" from their metadata.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Rng } from './demoUtil';
import { round } from './demoUtil';
import type { DemoRunInput } from './demoMlflowRuns';
import { configRecord, exitRecord, historyRecord, runRecord, summaryRecord, writeWandbLogFile } from '../core/wandb/wandbLogWriter';
import type { WandbRecordBody } from '../core/wandb/wandbRecords';

const PROJECT = 'text-classifier';

/** Writes one offline run folder per input under `dir/wandb`; returns the run ids. */
export async function writeDemoWandbRuns(dir: string, runs: DemoRunInput[], rng: Rng): Promise<string[]> {
  const ids: string[] = [];
  for (const run of runs) {
    const id = Array.from({ length: 8 }, () => rng.pick([...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');
    ids.push(id);
    const start = run.time * 1000 - run.epochs * 40_000 - 90_000;
    const stamp = new Date(start).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
    const runDir = path.join(dir, 'wandb', `offline-run-${stamp}-${id}`);
    await fs.mkdir(path.join(runDir, 'files'), { recursive: true });
    await fs.mkdir(path.join(runDir, 'logs'), { recursive: true });
    await fs.writeFile(path.join(runDir, 'files', 'requirements.txt'), 'numpy==2.1.3\nwandb==0.31.0\n');
    writeWandbLogFile(path.join(runDir, `run-${id}.wandb`), records(run, id, start, rng));
  }
  return ids;
}

function records(run: DemoRunInput, id: string, start: number, rng: Rng): WandbRecordBody[] {
  const out: WandbRecordBody[] = [
    runRecord({
      runId: id,
      project: PROJECT,
      displayName: `${rng.pick(['misty', 'sunny', 'rosy'])}-${rng.pick(['river', 'meadow', 'peak'])}-${rng.int(1, 40)}`,
      tags: ['demo', run.branch],
      startTime: start,
      host: 'gpu-box-2',
      git: { remoteUrl: 'https://example.invalid/demo/text-classifier.git', commit: run.sha },
    }),
    configRecord(Object.fromEntries(Object.entries(run.params))),
    {
      type: 'environment',
      environment: {
        os: 'Linux-6.8.0-x86_64-with-glibc2.39',
        python: 'CPython 3.11.9',
        host: 'gpu-box-2',
        program: 'src/train.py',
        codePath: 'src/train.py',
        args: ['params.yaml'],
        git: { remote: 'https://example.invalid/demo/text-classifier.git', commit: run.sha },
        cpu_count: 16,
        gpu: 'NVIDIA L4',
        gpu_count: 1,
        cudaVersion: '12.4',
        executable: '/opt/venv/bin/python',
        startedAt: new Date(start).toISOString(),
        username: run.user,
      },
    },
  ];
  for (let step = 0; step < run.epochs; step++) {
    const progress = (step + 1) / run.epochs;
    const last = step === run.epochs - 1;
    out.push(
      historyRecord(step, {
        'train/loss': last ? run.loss : round(run.loss * (1 + 2 * (1 - progress)) + rng.noise(0.01), 4),
        'val/accuracy': last ? run.accuracy : round(run.accuracy * (0.6 + 0.4 * progress) + rng.noise(0.01), 4),
        epoch: step,
        _runtime: (step + 1) * 40,
        _timestamp: (start + (step + 1) * 40_000) / 1000,
      }),
    );
  }
  out.push(summaryRecord({ 'train/loss': run.loss, 'val/accuracy': run.accuracy, epoch: run.epochs - 1, _step: run.epochs - 1 }));
  out.push(exitRecord(0, run.epochs * 40));
  return out;
}
