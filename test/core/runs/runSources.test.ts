import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRunSources, fingerprintSource } from '../../../src/core/runs/runSources';

function touch(root: string, path: string, content = ''): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

describe('run source discovery', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-sources-'));
    outside = mkdtempSync(join(tmpdir(), 'lineage-outside-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('finds mlruns/, mlflow.db, wandb/ and .wandb/ at the top and in sub-projects', () => {
    touch(root, 'mlruns/0/meta.yaml', 'name: Default\n');
    touch(root, 'mlflow.db', 'x');
    touch(root, 'wandb/offline-run-20250101_120000-abc12345/run-abc12345.wandb', 'x');
    touch(root, 'projects/vision/mlruns/1/meta.yaml', 'name: v\n');
    touch(root, 'projects/nlp/.wandb/run-20250102_080910-zz9yy8xx/files/requirements.txt', 'torch\n');
    touch(root, 'projects/nlp/tracking/mlflow.db', 'x');
    assert.deepEqual(discoverRunSources(root), [
      { kind: 'mlflow', format: 'mlflow-sqlite', location: 'mlflow.db' },
      { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' },
      { kind: 'wandb', format: 'wandb-dir', location: 'projects/nlp/.wandb' },
      { kind: 'mlflow', format: 'mlflow-sqlite', location: 'projects/nlp/tracking/mlflow.db' },
      { kind: 'mlflow', format: 'mlflow-files', location: 'projects/vision/mlruns' },
      { kind: 'wandb', format: 'wandb-dir', location: 'wandb' },
    ]);
  });

  it('skips installed packages, folders named wandb without runs, excluded paths and symlinks out of the root', () => {
    touch(root, '.venv/lib/python3.12/site-packages/wandb/offline-run-20250101_120000-abc12345/x', '');
    touch(root, 'node_modules/pkg/mlruns/0/meta.yaml', '');
    touch(root, 'src/wandb/__init__.py', '# a package named wandb\n');
    touch(root, 'old/mlruns/0/meta.yaml', '');
    touch(outside, 'mlruns/0/meta.yaml', '');
    symlinkSync(join(outside, 'mlruns'), join(root, 'mlruns'));
    symlinkSync(outside, join(root, 'linked'));
    assert.deepEqual(discoverRunSources(root, { excludePaths: ['old/**'] }), []);
    assert.deepEqual(
      discoverRunSources(root).map((s) => s.location),
      ['old/mlruns'],
    );
  });

  it('fingerprints a folder by count, size and newest mtime, and a database with its -wal', () => {
    touch(root, 'mlruns/1/r1/metrics/acc', '1 0.5 0\n');
    const folder = { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' } as const;
    const first = fingerprintSource(root, folder);
    assert.equal(fingerprintSource(root, folder), first, 'nothing changed');
    appendFileSync(join(root, 'mlruns/1/r1/metrics/acc'), '2 0.6 1\n');
    const second = fingerprintSource(root, folder);
    assert.notEqual(second, first, 'a metric line was appended');
    touch(root, 'mlruns/1/r2/meta.yaml', '');
    assert.notEqual(fingerprintSource(root, folder), second, 'a run was added');

    touch(root, 'mlflow.db', 'db');
    const db = { kind: 'mlflow', format: 'mlflow-sqlite', location: 'mlflow.db' } as const;
    const noWal = fingerprintSource(root, db);
    touch(root, 'mlflow.db-wal', 'wal');
    const withWal = fingerprintSource(root, db);
    assert.notEqual(withWal, noWal, 'a WAL writer changes only the -wal file');
    utimesSync(join(root, 'mlflow.db-wal'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    assert.notEqual(fingerprintSource(root, db), withWal);
    rmSync(join(root, 'mlflow.db'));
    assert.equal(fingerprintSource(root, db), undefined, 'a deleted source has no fingerprint');
  });
});
