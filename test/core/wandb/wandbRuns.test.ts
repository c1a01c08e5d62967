import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalRun } from '../../../src/core/runs/types';
import { RUNNING_WINDOW_MS, readWandbDir } from '../../../src/core/wandb/wandbRuns';
import {
  configRecord,
  encodeWandbLog,
  exitRecord,
  historyRecord,
  runRecord,
  summaryRecord,
  wandbItems,
} from '../../../src/core/wandb/wandbLogWriter';
import type { WandbRecordBody } from '../../../src/core/wandb/wandbRecords';
import { tempDir, writeFiles } from './fixtures';

const START = Date.UTC(2025, 0, 2, 9, 30, 0, 250);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

const FILES_ONLY = 'wandb/run-20250101_120000-filesonl';
const OFFLINE = 'wandb/offline-run-20250102_093000-logonly1';

function offlineLog(exit: number | null): Buffer {
  const records: WandbRecordBody[] = [
    { type: 'header', producer: '0.31.0', minConsumer: '0.70.0' },
    runRecord({
      runId: 'logonly1',
      entity: 'me',
      project: 'proj-a',
      displayName: 'baseline',
      tags: ['t1', 'baseline'],
      startTime: START,
      git: { remoteUrl: 'https://example.com/r.git', commit: COMMIT },
      config: wandbItems({ _wandb: {}, lr: 0.01, model: { layers: 3, act: 'relu' }, dims: [1, 2] }),
    }),
    {
      type: 'environment',
      environment: {
        os: 'Linux',
        python: 'CPython 3.11.7',
        host: 'box',
        program: 'train.py',
        args: ['--fast'],
        cudaVersion: '12.4',
        gpu: 'A100',
        gpu_count: 1,
      },
    },
    configRecord({ extra: 'x' }),
  ];
  for (let step = 0; step < 5; step++) {
    const row = {
      'train/loss': 1 / (step + 1),
      val: { acc: step / 10 },
      acc: step === 2 ? NaN : step,
      img: { _type: 'image-file', path: 'x.png' },
      _runtime: step,
      _timestamp: START / 1000 + step,
    };
    records.push(summaryRecord(row), historyRecord(step * 10, row));
  }
  records.push(summaryRecord({ best: Infinity, _wandb: { runtime: 5 } }));
  if (exit !== null) records.push(exitRecord(exit, 7));
  return encodeWandbLog(records);
}

describe('readWandbDir', () => {
  let root: string;
  const now = START + 24 * 3600 * 1000;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function byId(runs: ExternalRun[], id: string): ExternalRun {
    const run = runs.find((r) => r.id === id);
    assert.ok(run, `run ${id} among ${runs.map((r) => r.id).join(', ')}`);
    return run;
  }

  it('reads an offline run from its log alone', async () => {
    writeFiles(root, {
      [`${OFFLINE}/run-logonly1.wandb`]: offlineLog(1),
      [`${OFFLINE}/files/requirements.txt`]: '# pip freeze\nnumpy==2.1.0\n\ntorch==2.5.1\n',
    });
    const { runs, problems } = await readWandbDir(root, 'wandb', { now });
    assert.deepEqual(problems, []);
    const run = byId(runs, 'logonly1');
    assert.deepEqual(
      { ...run, series: undefined, environment: undefined },
      {
        source: 'wandb',
        location: OFFLINE,
        id: 'logonly1',
        experimentId: 'proj-a',
        experiment: 'proj-a',
        name: 'baseline',
        status: 'failed',
        startTime: START,
        endTime: START + 7000,
        user: 'me',
        git: { commit: COMMIT, branch: null, remote: 'https://example.com/r.git' },
        params: { lr: 0.01, 'model.layers': 3, 'model.act': 'relu', dims: '[1, 2]', extra: 'x' },
        metrics: { 'train/loss': 0.2, 'val.acc': 0.4, acc: 4, best: Infinity },
        series: undefined,
        tags: { entity: 'me' },
        environment: undefined,
        models: [],
        artifacts: [],
        parentId: null,
        labels: ['t1', 'baseline'],
      },
    );
    assert.deepEqual(Object.keys(run.series), ['train/loss', 'val.acc', 'acc']);
    assert.deepEqual(
      run.series['val.acc'].map((p) => [p.step, p.value, p.timestamp]),
      [0, 1, 2, 3, 4].map((i) => [i * 10, i / 10, START + i * 1000]),
    );
    assert.ok(Number.isNaN(run.series.acc[2].value), 'NaN kept as a point');
    assert.deepEqual(run.environment, {
      os: 'Linux',
      python: 'CPython 3.11.7',
      host: 'box',
      program: 'train.py',
      args: ['--fast'],
      cudaVersion: '12.4',
      gpu: 'A100',
      gpu_count: 1,
      requirements: ['numpy==2.1.0', 'torch==2.5.1'],
    });
  });

  it('reads a run folder that has only files/ (no log), with NaN/Infinity in the JSON', async () => {
    writeFiles(root, {
      [`${FILES_ONLY}/files/config.yaml`]:
        '_wandb:\n  value:\n    cli_version: 0.31.0\nlr:\n  value: 0.001\noptim:\n  value:\n    name: adam\n    betas: [0.9, 0.999]\n',
      [`${FILES_ONLY}/files/wandb-summary.json`]:
        '{"loss": NaN, "best": Infinity, "worst": -Infinity, "val": {"acc": 0.9}, "_runtime": 12, "_wandb": {"runtime": 12}, "name": "x"}',
      [`${FILES_ONLY}/files/wandb-metadata.json`]: JSON.stringify({
        os: 'Linux',
        python: 'CPython 3.12.1',
        startedAt: '2025-01-01T12:00:00.000000Z',
        git: { remote: 'git@e.com:r.git', commit: COMMIT },
        username: 'ann',
        cudaVersion: '12.4',
      }),
      [`${FILES_ONLY}/files/media/images/a.png`]: 'png',
    });
    const { runs, problems } = await readWandbDir(root, 'wandb', { now });
    assert.deepEqual(problems, []);
    const run = byId(runs, 'filesonl');
    assert.equal(run.status, 'unknown');
    assert.deepEqual(run.params, { lr: 0.001, 'optim.name': 'adam', 'optim.betas': '[0.9, 0.999]' });
    assert.deepEqual(Object.keys(run.metrics), ['loss', 'best', 'worst', 'val.acc']);
    assert.ok(Number.isNaN(run.metrics.loss));
    assert.deepEqual([run.metrics.best, run.metrics.worst, run.metrics['val.acc']], [Infinity, -Infinity, 0.9]);
    assert.deepEqual(
      [run.git.commit, run.git.remote, run.user, run.startTime],
      [COMMIT, 'git@e.com:r.git', 'ann', Date.UTC(2025, 0, 1, 12)],
    );
    assert.deepEqual(run.artifacts, ['media/images/a.png']);
    assert.deepEqual([run.experiment, run.name, run.series], [null, null, {}]);
  });

  it('reads the older config.yaml format (wandb_version: 1, desc and value)', async () => {
    writeFiles(root, {
      [`${FILES_ONLY}/files/config.yaml`]:
        'wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    t: {1: [1]}\nlr:\n  desc: Learning rate\n  value: 0.01\nmodel:\n  desc: null\n  value:\n    layers: 2\n',
    });
    const { runs } = await readWandbDir(root, 'wandb', { now });
    assert.deepEqual(byId(runs, 'filesonl').params, { lr: 0.01, 'model.layers': 2 });
  });

  it('prefers files/ over the log, and falls back to the log when a file is broken', async () => {
    writeFiles(root, {
      [`${OFFLINE}/run-logonly1.wandb`]: offlineLog(0),
      [`${OFFLINE}/files/config.yaml`]: 'lr:\n  value: 0.5\n',
      [`${OFFLINE}/files/wandb-summary.json`]: '{"acc": 0.99,\n "loss": }',
    });
    const { runs, problems } = await readWandbDir(root, 'wandb', { now });
    const run = byId(runs, 'logonly1');
    assert.deepEqual(run.params, { lr: 0.5 });
    assert.equal(run.metrics.best, Infinity, 'summary from the log');
    assert.equal(run.status, 'finished');
    assert.deepEqual(problems, [{ file: `${OFFLINE}/files/wandb-summary.json`, line: 2, message: 'Expecting value' }]);
  });

  it('tells a running run from a crashed one by how recently its log changed', async () => {
    writeFiles(root, { [`${OFFLINE}/run-logonly1.wandb`]: offlineLog(null) });
    const log = join(root, OFFLINE, 'run-logonly1.wandb');
    const mtime = START + 60_000;
    utimesSync(log, mtime / 1000, mtime / 1000);
    const running = byId((await readWandbDir(root, 'wandb', { now: mtime + RUNNING_WINDOW_MS - 1000 })).runs, 'logonly1');
    assert.deepEqual([running.status, running.endTime], ['running', null]);
    const crashed = byId((await readWandbDir(root, 'wandb', { now: mtime + RUNNING_WINDOW_MS + 1000 })).runs, 'logonly1');
    assert.deepEqual([crashed.status, crashed.endTime], ['crashed', START + 4000]);
  });

  it('skips latest-run and other symlinks, ignores other folders, and reads past a broken run', async () => {
    writeFiles(root, {
      [`${OFFLINE}/run-logonly1.wandb`]: offlineLog(0),
      [`${OFFLINE}/files/requirements.txt`]: 'numpy\n',
      'wandb/offline-run-20250103_000000-badlog00/run-badlog00.wandb': 'not a log at all',
      'wandb/run-20250104_000000-empty000/logs/debug.log': '',
      'wandb/settings': '[default]\n',
      'wandb/sweep-abc/config.yaml': 'x: 1\n',
    });
    symlinkSync('offline-run-20250102_093000-logonly1', join(root, 'wandb', 'latest-run'));
    symlinkSync(join(root, OFFLINE), join(root, 'wandb', 'offline-run-20250109_000000-linked00'));
    // A files/ entry linking outside the repository is not followed.
    writeFiles(root, { 'outside/secret.yaml': 'lr:\n  value: 99\n' });
    symlinkSync(join(root, 'outside', 'secret.yaml'), join(root, OFFLINE, 'files', 'config.yaml'));
    const { runs, problems } = await readWandbDir(root, 'wandb', { now });
    assert.deepEqual(
      runs.map((r) => r.id),
      ['logonly1'],
    );
    assert.equal(runs[0].params.lr, 0.01, 'config from the log, not the linked file');
    assert.deepEqual(problems, [
      {
        file: 'wandb/offline-run-20250103_000000-badlog00/run-badlog00.wandb',
        message: 'not a W&B log (header 6e 6f 74 20 61 20 6c; expected 3a 57 26 42 e1 be 00, ":W&B" 0xBEE1 version 0)',
      },
      {
        file: 'wandb/run-20250104_000000-empty000',
        message: 'no run log (run-empty000.wandb) and no config.yaml, wandb-summary.json or wandb-metadata.json in files/: nothing to read',
      },
    ]);
  });

  it('reports damage inside a log and still reads the rest of the run', async () => {
    const log = offlineLog(0);
    log[log.length - 3] ^= 0x40; // inside the exit record's payload
    writeFiles(root, { [`${OFFLINE}/run-logonly1.wandb`]: log });
    utimesSync(join(root, OFFLINE, 'run-logonly1.wandb'), START / 1000, START / 1000);
    const { runs, problems } = await readWandbDir(root, 'wandb', { now });
    const run = byId(runs, 'logonly1');
    assert.equal(run.metrics.best, Infinity);
    assert.equal(run.status, 'crashed', 'the exit record was lost');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^byte \d+: bad checksum in a full chunk of \d+ bytes; skipped$/);
  });

  it('refuses a folder outside the repository and reads a missing one as empty', async () => {
    mkdirSync(join(root, 'repo'));
    assert.deepEqual(await readWandbDir(join(root, 'repo'), '../elsewhere'), {
      runs: [],
      problems: [{ file: '../elsewhere', message: '../elsewhere: outside the repository' }],
    });
    assert.deepEqual(await readWandbDir(join(root, 'repo'), 'wandb'), { runs: [], problems: [] });
  });
});
