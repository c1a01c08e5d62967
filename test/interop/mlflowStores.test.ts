import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { GitFixture } from '../helpers/gitFixture';
import { interopEnv, interopTool } from './tools';
import { readMlflowFileStore } from '../../src/core/mlflow/mlflowFileStore';
import { readMlflowSqlite } from '../../src/core/mlflow/mlflowSqlite';
import { compareRun, LOG_AND_DUMP, same, type Dumped } from './mlflowInterop';

describe('MLflow stores written by the real MLflow', function () {
  this.timeout(240000);
  let repo: GitFixture;
  let dumped: { file: Dumped[]; sqlite: Dumped[] };
  let head: string;

  before(() => {
    repo = GitFixture.create();
    head = repo.commit('training script', { 'train.py': LOG_AND_DUMP });
    const out = execFileSync(interopTool('python'), ['train.py', `file://${repo.dir}/mlruns`, `sqlite:///${repo.dir}/mlflow.db`], {
      cwd: repo.dir,
      env: interopEnv(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = out.split('\n').find((l) => l.startsWith('DUMP '));
    assert.ok(line, `the MLflow script printed no dump:\n${out}`);
    dumped = JSON.parse(line.slice(5));
  });
  after(() => repo?.cleanup());

  it('file store: every param, metric step, tag and the git commit match MLflow', async () => {
    const { runs, problems } = await readMlflowFileStore(repo.dir, 'mlruns');
    same('problems', problems, []);
    same('run ids (the deleted run hidden)', runs.map((r) => r.id).sort(), dumped.file.map((r) => r.id).sort());
    for (const theirs of dumped.file)
      compareRun(
        runs.find((r) => r.id === theirs.id),
        theirs,
        head,
      );
    const first = runs.find((r) => r.name === 'first')!;
    same(
      'logged model',
      first.models.map((m) => [m.artifactPath, m.flavors]),
      [['model', ['python_function']]],
    );
    assert.match(String(first.environment?.python), /^3\.\d+/, `python version from python_env.yaml: ${JSON.stringify(first.environment)}`);
  });

  it('SQLite store: every param, metric step, tag and the git commit match MLflow', async () => {
    const { runs, problems } = await readMlflowSqlite(repo.dir, 'mlflow.db');
    same('problems', problems, []);
    same('run ids (the deleted run hidden)', runs.map((r) => r.id).sort(), dumped.sqlite.map((r) => r.id).sort());
    for (const theirs of dumped.sqlite)
      compareRun(
        runs.find((r) => r.id === theirs.id),
        theirs,
        head,
      );
  });
});
