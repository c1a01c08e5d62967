// Writes MLflow file-store folders (FORMATS.md §3) as plain text files, the way MLflow's
// FileStore lays them out, so the sync runs the real reader over real folders.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalRun } from '../../../src/core/runs/types';

export interface MlflowRunSpec {
  experimentId?: string;
  experiment?: string;
  id: string;
  name: string;
  status?: number;
  start?: number;
  end?: number;
  params?: Record<string, string>;
  /** key -> lines of [timestamp ms, value as MLflow writes it, step]. */
  metrics?: Record<string, [number, string, number][]>;
  tags?: Record<string, string>;
}

/** Writes one run (and its experiment's meta.yaml) under `<root>/<mlruns>`. */
export function writeMlflowRun(root: string, mlruns: string, spec: MlflowRunSpec): void {
  const expId = spec.experimentId ?? '1';
  const expDir = join(root, mlruns, expId);
  const runDir = join(expDir, spec.id);
  mkdirSync(join(runDir, 'artifacts'), { recursive: true });
  writeFileSync(
    join(expDir, 'meta.yaml'),
    [
      `artifact_location: file://${expDir}`,
      'creation_time: 1735689600000',
      `experiment_id: '${expId}'`,
      'last_update_time: 1735689600000',
      'lifecycle_stage: active',
      `name: ${spec.experiment ?? 'demo'}`,
      '',
    ].join('\n'),
  );
  const start = spec.start ?? 1735689600000;
  writeFileSync(
    join(runDir, 'meta.yaml'),
    [
      `artifact_uri: file://${runDir}/artifacts`,
      `end_time: ${spec.end ?? start + 60000}`,
      "entry_point_name: ''",
      `experiment_id: '${expId}'`,
      'lifecycle_stage: active',
      `run_id: ${spec.id}`,
      `run_name: ${spec.name}`,
      `run_uuid: ${spec.id}`,
      "source_name: ''",
      'source_type: 4',
      "source_version: ''",
      `start_time: ${start}`,
      `status: ${spec.status ?? 3}`,
      'tags: []',
      'user_id: tester',
      '',
    ].join('\n'),
  );
  const write = (folder: string, key: string, text: string) => {
    const file = join(runDir, folder, ...key.split('/'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  };
  for (const [k, v] of Object.entries(spec.params ?? {})) write('params', k, v);
  for (const [k, lines] of Object.entries(spec.metrics ?? {})) write('metrics', k, lines.map((l) => l.join(' ')).join('\n') + '\n');
  for (const [k, v] of Object.entries({ 'mlflow.runName': spec.name, ...(spec.tags ?? {}) })) write('tags', k, v);
}

/** An ExternalRun as a reader would return it, for store-level tests that need no reader. */
export function externalRun(partial: Partial<ExternalRun> & { id: string }): ExternalRun {
  return {
    source: 'mlflow',
    location: 'mlruns',
    experimentId: '1',
    experiment: 'demo',
    name: partial.id,
    status: 'finished',
    startTime: 1735689600000,
    endTime: 1735689660000,
    user: 'tester',
    git: { commit: null, branch: null, remote: null },
    params: {},
    metrics: {},
    series: {},
    tags: {},
    environment: null,
    models: [],
    artifacts: [],
    parentId: null,
    labels: [],
    ...partial,
  };
}
