import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, expectOk, expectUsageError, runCliAsync } from '../helpers/runCli';
import { openDatabase } from '../../src/core/store/driver';
import type { RegistryState } from '../../src/core/registry/types';
import { MLFLOW_DDL } from '../core/mlflow/mlflowDdl';

const RUN_A = 'a'.repeat(32);
const RUN_B = 'b'.repeat(32);
const SHA_A = '0123456789abcdef0123456789abcdef01234567';
const SHA_B = '89abcdef0123456789abcdef0123456789abcdef';

/** A file store's registry as MLflow 3 writes it: model folder, version folders, alias files, tags. */
function writeFileStore(repo: GitFixture): void {
  const run = (id: string, sha: string) => ({
    [`mlruns/1/${id}/meta.yaml`]: `artifact_uri: file:///x/mlruns/1/${id}/artifacts\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: r\nstatus: 3\nuser_id: alice\n`,
    [`mlruns/1/${id}/tags/mlflow.source.git.commit`]: sha,
  });
  repo.write({
    'mlruns/1/meta.yaml': `artifact_location: file:///x/mlruns/1\nexperiment_id: '1'\nlifecycle_stage: active\nname: e\n`,
    ...run(RUN_A, SHA_A),
    ...run(RUN_B, SHA_B),
    'mlruns/models/clf/meta.yaml':
      'creation_timestamp: 1700000000000\ndescription: null\nlast_updated_timestamp: 1700000003000\nname: clf\n',
    'mlruns/models/clf/aliases/champion': '1',
    'mlruns/models/clf/version-1/meta.yaml': `creation_timestamp: 1700000001000\ncurrent_stage: Production\nrun_id: ${RUN_A}\nsource: runs:/${RUN_A}/model\nstatus: READY\nuser_id: alice\nversion: 1\n`,
    'mlruns/models/clf/version-2/meta.yaml': `creation_timestamp: 1700000002000\ncurrent_stage: None\nrun_id: ${RUN_B}\nsource: runs:/${RUN_B}/model\nstatus: READY\nversion: 2\n`,
    'mlruns/models/old/meta.yaml': 'creation_timestamp: 1700000000000\nname: old\n',
    'mlruns/models/old/tags/deprecated': 'true',
  });
}

/** A store with MLflow 3.17's captured DDL: two models, a stage, an alias, one version without a run. */
function writeDb(file: string): void {
  const db = openDatabase(file);
  try {
    db.exec(MLFLOW_DDL);
    db.exec(`
      INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage) VALUES (1, 'e', 'mlruns/1', 'active');
      INSERT INTO runs (run_uuid, name, status, start_time, user_id, artifact_uri, experiment_id, lifecycle_stage, source_type) VALUES ('${RUN_A}', 'r', 'FINISHED', 1700000000000, 'alice', '/x', 1, 'active', 'LOCAL');
      INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.source.git.commit', '${SHA_A}', '${RUN_A}');
      INSERT INTO registered_models (name, creation_time) VALUES ('reg', 1700000000000);
      INSERT INTO registered_model_aliases (name, alias, version) VALUES ('reg', 'candidate', 2);
      INSERT INTO model_versions (name, version, creation_time, current_stage, source, run_id, user_id, status)
        VALUES ('reg', 1, 1700000001000, 'Staging', 'runs:/${RUN_A}/model', '${RUN_A}', 'alice', 'READY'),
               ('reg', 2, 1700000002000, 'None', 's3://bucket/m', NULL, NULL, 'READY');`);
  } finally {
    db.close();
  }
}

const versions = (state: RegistryState) =>
  state.artifacts.map((a) => [a.name, a.deprecated, a.versions.map((v) => [v.version, v.stages, v.runId ?? null, v.commit])]);

describe('lineage registry --mlflow / --mlflow-uri', function () {
  this.timeout(120000);
  let repo: GitFixture;

  before(() => {
    repo = GitFixture.create();
    writeFileStore(repo);
    repo.write({ 'notes.txt': 'not a store', 'sub/train.py': '' });
    writeDb(join(repo.dir, 'sub', 'mlflow.db'));
  });
  after(() => repo?.cleanup());

  it('reads an mlruns/models registry: table and --json', async () => {
    const table = expectOk(await runCliAsync(['registry', '--mlflow', 'mlruns'], { repo: repo.dir }));
    assert.equal(
      table,
      [
        'model             version  stages                run       commit',
        'clf               2        -                     bbbbbbbb  89abcde',
        'clf               1        Production, champion  aaaaaaaa  0123456',
        'old (deprecated)  -        -                     -         -',
        '',
      ].join('\n'),
    );
    const state = JSON.parse(expectOk(await runCliAsync(['registry', '--mlflow=mlruns', '--json'], { repo: repo.dir }))) as RegistryState;
    assert.deepEqual(versions(state), [
      [
        'clf',
        false,
        [
          ['2', [], RUN_B, SHA_B],
          ['1', ['Production', 'champion'], RUN_A, SHA_A],
        ],
      ],
      ['old', true, []],
    ]);
    assert.deepEqual(state.artifacts[0].stages, { Production: ['1'], champion: ['1'] });
  });

  it('reads an mlflow.db registry (captured DDL): table and --json', async () => {
    const r = await runCliAsync(['registry', '--json', '--mlflow', 'sub/mlflow.db'], { repo: repo.dir });
    const state = JSON.parse(expectOk(r)) as RegistryState;
    assert.deepEqual(versions(state), [
      [
        'reg',
        false,
        [
          ['2', ['candidate'], null, ''],
          ['1', ['Staging'], RUN_A, SHA_A],
        ],
      ],
    ]);
    const table = expectOk(await runCliAsync(['registry', '--mlflow', 'sub/mlflow.db'], { repo: repo.dir }));
    assert.match(table, /^model +version +stages +run +commit\nreg +2 +candidate +- +-\nreg +1 +Staging +aaaaaaaa +0123456\n$/);
  });

  it('without PATH lists every registry discovered; --json then asks for one', async () => {
    const table = expectOk(await runCliAsync(['registry', '--mlflow'], { repo: repo.dir }));
    assert.match(
      table,
      /^mlruns \(file store\):\nmodel .*\nclf .*\nclf .*\nold .*\n\nsub\/mlflow\.db \(SQLite\):\nmodel .*\nreg .*\nreg .*\n$/,
    );
    const err = expectUsageError(await runCliAsync(['registry', '--mlflow', '--json'], { repo: repo.dir }));
    assert.match(err, /several MLflow registries in the workspace \(mlruns, sub\/mlflow\.db\): name one with --mlflow PATH/);
    const empty = GitFixture.create();
    try {
      assert.match(
        expectOk(await runCliAsync(['registry', '--mlflow'], { repo: empty.dir })),
        /^No MLflow model registry in the workspace/,
      );
      assert.deepEqual(JSON.parse(expectOk(await runCliAsync(['registry', '--mlflow', '--json'], { repo: empty.dir }))), {
        artifacts: [],
        ignored: [],
      });
    } finally {
      empty.cleanup();
    }
  });

  it('bad input: exit 2, one line, nothing read outside the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lineage-outside-'));
    try {
      symlinkSync(outside, join(repo.dir, 'escape'));
      const cases: [string[], RegExp][] = [
        [['registry', '--mlflow', 'nope'], /--mlflow nope: no such file or folder/],
        [['registry', '--mlflow', '../'], /not inside the repository/],
        [['registry', '--mlflow', 'escape'], /not inside the repository/],
        [['registry', '--mlflow', 'notes.txt'], /neither an MLflow file store folder \(mlruns\) nor a SQLite database/],
        [['registry', '--mlflow', 'ftp://host/x'], /give a repo-relative mlruns folder or .db file, or an http\(s\) URL/],
        [['registry', '--mlflow', 'http://exa mple'], /is not a URL/],
        [['registry', '--mlflow', 'mlruns', '--history'], /MLflow keeps no event history/],
        [['registry', '--mlflow', 'a', 'b'], /takes one PATH or URL/],
      ];
      for (const [args, message] of cases)
        assert.match(expectUsageError(await runCliAsync(args, { repo: repo.dir })), message, args.join(' '));
    } finally {
      rmSync(join(repo.dir, 'escape'));
      rmSync(outside, { recursive: true, force: true });
    }
  });

  describe('against a server', () => {
    // A recording HTTP server stands in for MLflow here, to prove what is (and is not) sent:
    // test/interop/mlflowServer.test.ts drives the same MlflowRegistry against the real `mlflow server`.
    let server: Server;
    let url: string;
    const seen: { method: string; path: string; auth: string | undefined; body: string }[] = [];

    before(async () => {
      server = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (d) => {
          body += d;
        });
        req.on('end', () => {
          const path = (req.url ?? '').split('?')[0].replace('/api/2.0/mlflow/', '');
          seen.push({ method: req.method ?? '', path, auth: req.headers.authorization, body });
          const answers: Record<string, unknown> = {
            'registered-models/search': { registered_models: [{ name: 'srv', aliases: [{ alias: 'champion', version: '1' }] }] },
            'model-versions/search': {
              model_versions: [{ name: 'srv', version: '1', current_stage: 'None', run_id: RUN_A, creation_timestamp: 1700000001000 }],
            },
            'runs/get': { run: { info: {}, data: { tags: [{ key: 'mlflow.source.git.commit', value: SHA_A }] } } },
            'registered-models/set-tag': {},
          };
          const answer = answers[path];
          res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer ?? { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `no ${path}` }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reads the server registry with MLFLOW_TRACKING_TOKEN; deprecate goes through the REST API', async () => {
      seen.length = 0;
      const state = JSON.parse(
        expectOk(await runCliAsync(['registry', '--mlflow', url, '--json'], { repo: repo.dir, env: { MLFLOW_TRACKING_TOKEN: 'tok' } })),
      ) as RegistryState;
      assert.deepEqual(versions(state), [['srv', false, [['1', ['champion'], RUN_A, SHA_A]]]]);
      assert.ok(seen.length >= 3 && seen.every((s) => s.auth === 'Bearer tok'), JSON.stringify(seen));
      seen.length = 0;
      const out = expectOk(await runCliAsync(['deprecate', 'srv', '--mlflow-uri', url], { repo: repo.dir }));
      assert.match(out, /^srv is marked deprecated \(tag deprecated=true\) on http/);
      assert.deepEqual(
        seen.map((s) => [s.method, s.path, JSON.parse(s.body)]),
        [['POST', 'registered-models/set-tag', { name: 'srv', key: 'deprecated', value: 'true' }]],
      );
      const refused = await runCliAsync(['assign', 'nope@1', 'champion', '--mlflow-uri', url], { repo: repo.dir });
      assert.match(expectUsageError(refused), /refused POST .*registered-models\/alias: 404 RESOURCE_DOES_NOT_EXIST/, describeRun(refused));
    });

    it('validates every argument before any request', async () => {
      seen.length = 0;
      const cases: [string[], RegExp][] = [
        [['register', 'clf', 'xyz', '--mlflow-uri', url], /"xyz" is neither an MLflow run id nor a model source URI/],
        [['register', 'clf', RUN_A, '--version', 'v1', '--mlflow-uri', url], /positive integers; "v1" is not one/],
        [['register', 'clf', '--mlflow-uri', url], /expected 2 arguments, got 1/],
        [['register', 'clf', RUN_A, '--push', 'origin', '--mlflow-uri', url], /--push is for the Git registry/],
        [['assign', 'clf', 'prod', '--mlflow-uri', url], /give the version as ART@VERSION/],
        [['assign', 'clf@v1.0.0', 'prod', '--mlflow-uri', url], /"v1\.0\.0" is not one/],
        [['assign', 'clf@1', 'pr\tod', '--mlflow-uri', url], /invalid stage or alias/],
        [['unassign', ' clf@1', 'prod', '--mlflow-uri', url], /invalid model name/],
        [['rollback', 'clf', 'prod', '--mlflow-uri', url], /rollback works on the Git-tag registry only/],
        [['deprecate', 'clf', '--mlflow-uri', 'file:///tmp/x'], /only http\(s\) tracking servers/],
        [['deprecate', 'clf', '--mlflow-uri', 'not a url'], /is not a URL/],
      ];
      for (const [args, message] of cases)
        assert.match(expectUsageError(await runCliAsync(args, { repo: repo.dir })), message, args.join(' '));
      assert.deepEqual(seen, []);
    });
  });
});
