// Secrets never reach the index and never come back out of it: environment records of
// `lineage repro` and MLflow/W&B runs are masked when written, and rows an older version wrote
// unmasked are masked when read.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/core/store/store';
import { captureBaseEnvironment, type EnvRecord } from '../../../src/core/repro/envRecord';
import { finishRun, recentRuns, startRun } from '../../../src/core/repro/runRecords';
import { replaceSource } from '../../../src/core/runs/runStore';
import { runById } from '../../../src/core/runs/runQueries';
import { externalRun } from '../runs/mlflowFolders';

const GHP = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
const SECRETS = ['s3cret-pass', 'hubpass', GHP.slice(4), 'plain-token-value', 'db-pw'];

function assertClean(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} holds "${s}":\n${text}`);
}

describe('environment and run redaction in the index', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-redact-'));
    file = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = {
    MLFLOW_TRACKING_URI: 'https://user:s3cret-pass@mlflow.invalid',
    HF_ENDPOINT: 'https://me:hubpass@hub.invalid',
    WANDB_BASE_URL: 'https://api.wandb.invalid',
    HF_TOKEN: 'plain-token-value',
    MLFLOW_TRACKING_PASS: 'db-pw',
    CUDA_VISIBLE_DEVICES: '0',
    HOME: '/home/u',
  };

  it('a repro run is stored masked, and an old unmasked row is masked when read', async () => {
    const base = await captureBaseEnvironment(dir, `HF_TOKEN=plain-token-value python -c pass`, dir, env);
    assert.deepEqual(base.vars, {
      CUDA_VISIBLE_DEVICES: '0',
      HF_ENDPOINT: 'https://***@hub.invalid',
      MLFLOW_TRACKING_URI: 'https://***@mlflow.invalid',
      WANDB_BASE_URL: 'https://api.wandb.invalid',
    });
    assert.deepEqual(base.redacted, ['HF_TOKEN', 'MLFLOW_TRACKING_PASS']);
    // What a caller might still hand over unmasked (a probe result, a hand-built record).
    const leaky: EnvRecord = {
      ...base,
      vars: { ...base.vars, GH_PAT: GHP },
      python: { executable: '/x/python', version: '3.11', packages: [`-e git+https://bot:${GHP}@example.invalid/o/p.git@abc#egg=p`] },
    };
    const store = Store.open(file);
    const id = startRun(store, '', 'train', leaky, 1);
    finishRun(store, id, { status: 'ok', exitCode: 0, endedAt: 2, project: '', stage: 'train', env: leaky });
    // An index written before redaction: the row as it was, secrets and all.
    store
      .sql(`INSERT INTO repro_run (project, stage, cmd, started_at, status, env) VALUES ('', 'old', ?, 0, 'ok', ?)`)
      .run(
        'curl https://user:s3cret-pass@data.invalid/x',
        JSON.stringify({ ...leaky, vars: { HF_TOKEN: 'plain-token-value', HF_ENDPOINT: env.HF_ENDPOINT }, redacted: [] }),
      );
    const runs = recentRuns(store);
    const mine = runs.find((r) => r.stage === 'train')!;
    assert.deepEqual(mine.env.redacted, ['GH_PAT', 'HF_TOKEN', 'MLFLOW_TRACKING_PASS']);
    assert.deepEqual(mine.env.python?.packages, ['-e git+https://***@example.invalid/o/p.git@abc#egg=p']);
    assert.equal(mine.cmd, 'HF_TOKEN=*** python -c pass');
    const old = runs.find((r) => r.stage === 'old')!;
    assert.equal(old.cmd, 'curl https://***@data.invalid/x');
    assert.deepEqual(old.env.vars, { HF_ENDPOINT: 'https://***@hub.invalid' });
    assert.deepEqual(old.env.redacted, ['HF_TOKEN']);
    assertClean(JSON.stringify(runs), 'recentRuns');
    // The row written now holds no secret; only the old one does, until it is rewritten.
    const rows = store.sql(`SELECT cmd, env FROM repro_run WHERE stage = 'train'`).all() as { cmd: string; env: string }[];
    assertClean(JSON.stringify(rows), 'the repro_run row');
    store.close();
  });

  it('MLflow/W&B runs are stored masked, and old rows are masked when read', () => {
    const run = externalRun({
      id: 'r1',
      git: { commit: null, branch: 'main', remote: `https://bot:${GHP}@example.invalid/org/repo.git` },
      params: { lr: '0.01', pad_token: '<pad>', endpoint: 'https://user:s3cret-pass@api.invalid' },
      tags: {
        'mlflow.source.git.repoURL': `https://bot:${GHP}@example.invalid/org/repo.git`,
        api_key: 'plain-token-value',
        'mlflow.runName': 'r1',
      },
      environment: {
        requirements: [`-e git+https://bot:${GHP}@example.invalid/o/p.git@abc#egg=p`],
        env: { DB_PASSWORD: 'db-pw' },
        python: '3.11',
      },
    });
    const first = Store.open(file);
    replaceSource(first, { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' }, 'fp', [run], [], 1);
    first.close();
    // Nothing secret anywhere in the file (the WAL is checkpointed on close).
    const bytes = readFileSync(file).toString('latin1');
    assert.ok(bytes.includes('https://***@example.invalid/org/repo.git'), 'the run is in the file itself');
    assertClean(bytes, 'the index file');
    const store = Store.open(file);
    const got = runById(store, 'mlflow', 'r1')!;
    assert.equal(got.git.remote, 'https://***@example.invalid/org/repo.git');
    assert.deepEqual(got.params, { lr: '0.01', pad_token: '<pad>', endpoint: 'https://***@api.invalid' });
    assert.deepEqual(got.tags, {
      'mlflow.source.git.repoURL': 'https://***@example.invalid/org/repo.git',
      api_key: '***',
      'mlflow.runName': 'r1',
    });
    assert.deepEqual(got.environment, {
      requirements: ['-e git+https://***@example.invalid/o/p.git@abc#egg=p'],
      env: { DB_PASSWORD: '***' },
      python: '3.11',
    });
    // An older index: the secret written straight into the row.
    store
      .sql('UPDATE ext_run SET git_remote = ?, tags = ?')
      .run(`https://bot:${GHP}@example.invalid/x.git`, JSON.stringify({ token: 'plain-token-value' }));
    const old = runById(store, 'mlflow', 'r1')!;
    assert.equal(old.git.remote, 'https://***@example.invalid/x.git');
    assert.deepEqual(old.tags, { token: '***' });
    store.close();
  });
});
