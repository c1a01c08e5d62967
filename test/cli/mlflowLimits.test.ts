// The MLflow limit flags on every command that reads a tracking server, through the bundled CLI
// against a stand-in server that misbehaves on purpose.

import { strict as assert } from 'node:assert';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, expectUsageError, runCliAsync, type CliOptions } from '../helpers/runCli';
import { endlessJson, json, standIn, type StandIn } from '../core/mlflow/standInServer';

describe('lineage --mlflow-max-pages / --mlflow-max-response-mb / --mlflow-timeout', function () {
  this.timeout(120000);
  let repo: GitFixture;
  let tmp: string;
  let opts: CliOptions;
  let s: StandIn | undefined;

  before(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'lineage-cli-limits-')));
    repo = GitFixture.create();
    repo.commit('init', { 'README.md': 'x\n' });
    opts = { repo: repo.dir, store: join(tmp, 'index.sqlite'), env: { MLFLOW_TRACKING_URI: '', MLFLOW_TRACKING_TOKEN: '' } };
  });
  afterEach(() => {
    s?.close();
    s = undefined;
  });
  after(() => {
    repo.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs: a server that never stops paging is cut at --mlflow-max-pages, with a warning naming it', async () => {
    let n = 0;
    s = await standIn((r, res) => json(res, 200, r.path === 'experiments/search' ? { experiments: [], next_page_token: `t${++n}` } : {}));
    const r = await runCliAsync(['runs', '--mlflow-uri', s.url, '--mlflow-max-pages', '3'], opts);
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(s.requests.length, 3);
    assert.match(
      r.stderr,
      new RegExp(
        `^warning: ${s.url}: MLflow server ${s.url} had more pages of POST ${s.url}/api/2\\.0/mlflow/experiments/search after 3`,
        'm',
      ),
      describeRun(r),
    );
  });

  it('runs: a server that stalls is given up on at --mlflow-timeout, reported and not fatal', async () => {
    s = await standIn((_r, res) => {
      res.writeHead(200);
      res.flushHeaders();
    });
    const r = await runCliAsync(['runs', '--mlflow-uri', s.url, '--mlflow-timeout', '0.5'], opts);
    assert.equal(r.status, 0, describeRun(r));
    assert.match(r.stderr, /^warning: the tracking server .* could not be read/m, describeRun(r));
    assert.match(r.stderr, /gave up on POST .*experiments\/search when the 0\.5 s allowed for reading the server ran out/, describeRun(r));
  });

  it('registry --mlflow URL: an answer over --mlflow-max-response-mb is an error naming the request', async () => {
    s = await standIn((_r, res) => {
      void endlessJson(res, 3 * 1024 * 1024, false);
    });
    const message = expectUsageError(await runCliAsync(['registry', '--mlflow', s.url, '--mlflow-max-response-mb', '1'], opts));
    assert.match(
      message,
      new RegExp(`answered GET ${s.url}/api/2\\.0/mlflow/registered-models/search with more than 1 MB, over the 1 MB limit`),
    );
  });

  it('refuses a limit that is not a positive number before any request', async () => {
    s = await standIn((_r, res) => json(res, 200, {}));
    const cases: [string[], RegExp][] = [
      [['runs', '--mlflow-uri', s.url, '--mlflow-max-pages', '0'], /--mlflow-max-pages "0": expected a positive whole number/],
      [['runs', '--mlflow-uri', s.url, '--mlflow-max-pages', '2.5'], /--mlflow-max-pages "2\.5": expected a positive whole number/],
      [['runs', '--mlflow-uri', s.url, '--mlflow-timeout', 'soon'], /--mlflow-timeout "soon": expected a positive number/],
      [
        ['deprecate', 'clf', '--mlflow-uri', s.url, '--mlflow-max-response-mb=-1'],
        /--mlflow-max-response-mb "-1": expected a positive number/,
      ],
    ];
    for (const [args, expected] of cases) assert.match(expectUsageError(await runCliAsync(args, opts)), expected);
    assert.equal(s.requests.length, 0);
  });
});
