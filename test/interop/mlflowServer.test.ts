import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { interopEnv, interopTool } from './tools';
import { compareRun, LOG_AND_DUMP, same, type Dumped } from './mlflowInterop';
import { readMlflowServer } from '../../src/core/mlflow/mlflowRest';
import { MlflowRegistry } from '../../src/core/mlflow/mlflowRegistry';

/** Logs the runs to the server, from the committed script, and prints MLflow's own read-back. */
const LOG_TO_SERVER = `
import json, sys, mlflow
from mlflow import MlflowClient
from train import dump, log
mlflow.set_tracking_uri(sys.argv[1])
print("DUMP " + json.dumps(dump(MlflowClient(), log(True))))
`;

/** The registry as MLflow's client sees it. */
const READ_REGISTRY = `
import json, sys
from mlflow import MlflowClient
c = MlflowClient(tracking_uri=sys.argv[1])
m = c.get_registered_model(sys.argv[2])
versions = sorted(c.search_model_versions(f"name='{sys.argv[2]}'"), key=lambda v: int(v.version))
print("DUMP " + json.dumps({"aliases": m.aliases, "tags": m.tags,
    "versions": [{"version": v.version, "stage": v.current_stage, "run_id": v.run_id, "source": v.source} for v in versions]}))
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 150000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`mlflow server at ${url} did not answer /health within 150 s:\n${log()}`);
}

function python(repo: GitFixture, args: string[]): unknown {
  const out = execFileSync(interopTool('python'), args, {
    cwd: repo.dir,
    env: interopEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = out.split('\n').find((l) => l.startsWith('DUMP '));
  assert.ok(line, `${args[0]} printed no dump:\n${out}`);
  return JSON.parse(line.slice(5));
}

describe('MLflow tracking server (real `mlflow server`)', function () {
  this.timeout(300000);
  let repo: GitFixture;
  let dir: string;
  let server: ChildProcess | undefined;
  let url: string;
  let head: string;
  let dumped: Dumped[];

  before(async () => {
    repo = GitFixture.create();
    head = repo.commit('scripts', { 'train.py': LOG_AND_DUMP, 'log_to_server.py': LOG_TO_SERVER, 'read_registry.py': READ_REGISTRY });
    dir = mkdtempSync(join(tmpdir(), 'lineage-mlflow-server-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    let output = '';
    // Its own process group, so after() ends the server and the workers it forks.
    server = spawn(
      interopTool('mlflow'),
      [
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
        '--backend-store-uri',
        `sqlite:///${join(dir, 'mlflow.db')}`,
        '--artifacts-destination',
        join(dir, 'artifacts'),
      ],
      { cwd: dir, env: interopEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout!.on('data', (d) => {
      output += d;
    });
    server.stderr!.on('data', (d) => {
      output += d;
    });
    await waitForHealth(url, server, () => output.slice(-4000));
    dumped = python(repo, ['log_to_server.py', url]) as Dumped[];
  });

  after(() => {
    if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    repo?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads every run over REST: params, tags, every metric step, git commit', async () => {
    const { runs, problems } = await readMlflowServer(url);
    same('problems', problems, []);
    same('run ids (the deleted run hidden)', runs.map((r) => r.id).sort(), dumped.map((r) => r.id).sort());
    for (const theirs of dumped)
      compareRun(
        runs.find((r) => r.id === theirs.id),
        theirs,
        head,
      );
    assert.ok(runs.every((r) => r.location === url));
  });

  it('registers, assigns aliases and stages, deprecates; MLflow reads back the same', async () => {
    const registry = new MlflowRegistry(url, { retries: 1 });
    const runId = dumped.find((r) => r.name === 'first')!.id;
    const first = await registry.register('clf', null, runId);
    assert.match(first.message, /^Registered clf version 1 on /);
    const second = await registry.register('clf', '2', `runs:/${runId}/model`);
    assert.match(second.message, /^Registered clf version 2 on /);
    await assert.rejects(registry.register('clf', '7', runId), /MLflow numbers versions itself: the next version of clf on .* is 3, not 7/);
    await registry.assign('clf', '1', 'champion');
    await registry.assign('clf', '2', 'Production');
    await registry.assign('clf', '1', 'Production', { archiveExisting: true });
    await registry.deprecate('clf');

    const theirs = python(repo, ['read_registry.py', url, 'clf']) as {
      aliases: Record<string, string>;
      tags: Record<string, string>;
      versions: { version: string; stage: string; run_id: string; source: string }[];
    };
    same('aliases', theirs.aliases, { champion: '1' });
    same('tags', theirs.tags, { deprecated: 'true' });
    same(
      'versions (archive_existing moved Production from 2 to 1)',
      theirs.versions.map((v) => [v.version, v.stage, v.run_id]),
      [
        ['1', 'Production', runId],
        ['2', 'Archived', runId],
      ],
    );

    const state = await registry.read();
    const ours = state.artifacts.find((a) => a.name === 'clf')!;
    same(
      'our view of the registry',
      [ours.deprecated, ours.versions.map((v) => [v.version, v.stages, v.commit]), ours.stages],
      [
        true,
        [
          ['2', [], head],
          ['1', ['Production', 'champion'], head],
        ],
        { Production: ['1'], champion: ['1'] },
      ],
    );

    await registry.unassign('clf', '1', 'champion');
    await registry.unassign('clf', '1', 'Production');
    const after = python(repo, ['read_registry.py', url, 'clf']) as typeof theirs;
    same('after unassign: aliases', after.aliases, {});
    same(
      'after unassign: stages',
      after.versions.map((v) => v.stage),
      ['None', 'Archived'],
    );
  });

  it('names the server when it refuses a request (4xx, no retry)', async () => {
    const registry = new MlflowRegistry(url);
    await assert.rejects(
      registry.assign('no such model', '1', 'champion'),
      new RegExp(
        `^MlflowServerError: MLflow server ${url} refused POST ${url}/api/2.0/mlflow/registered-models/alias: 404 RESOURCE_DOES_NOT_EXIST`,
      ),
    );
  });
});
