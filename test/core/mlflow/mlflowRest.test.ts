import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMlflowServer } from '../../../src/core/mlflow/mlflowRest';

// A stand-in tracking server: the failures under test (500s, hangs, paging edge cases) cannot be
// provoked on demand from the real `mlflow server`, which the interop suite reads instead.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`.trim());
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
};

describe('MLflow REST reader (stand-in server)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  it('pages experiments, runs and metric histories, with the bearer token', async () => {
    const s = await serve((req, body, res) => {
      const url = new URL(req.url!, 'http://x');
      const path = url.pathname.replace('/api/2.0/mlflow/', '');
      const token = (JSON.parse(body || '{}') as { page_token?: string }).page_token;
      if (path === 'experiments/search') return json(res, 200, { experiments: [{ experiment_id: '1', name: 'exp' }] });
      if (path === 'runs/search') {
        const run = (id: string) => ({
          info: { run_id: id, run_name: `name-${id}`, experiment_id: '1', status: 'FINISHED', start_time: 5, user_id: 'u' },
          data: {
            metrics: [{ key: 'loss', value: 1 }],
            params: [{ key: 'lr', value: '0.1' }],
            tags: [{ key: 'mlflow.source.git.commit', value: `sha-${id}` }],
          },
        });
        return json(res, 200, token ? { runs: [run('r2')] } : { runs: [run('r1')], next_page_token: 'p2' });
      }
      if (path === 'metrics/get-history') {
        const page = url.searchParams.get('page_token');
        const id = url.searchParams.get('run_id');
        return json(
          res,
          200,
          page
            ? { metrics: [{ key: 'loss', value: 'NaN', timestamp: '12', step: '2' }] }
            : { metrics: [{ key: 'loss', value: id === 'r1' ? 0.5 : 0.25, timestamp: 11, step: 1 }], next_page_token: 'h2' },
        );
      }
      json(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: path });
    });
    server = s.server;
    const { runs, problems } = await readMlflowServer(s.url, { token: 'secret' });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      runs.map((r) => [r.id, r.name, r.status, r.git.commit, r.params.lr, r.location]),
      [
        ['r1', 'name-r1', 'finished', 'sha-r1', '0.1', s.url],
        ['r2', 'name-r2', 'finished', 'sha-r2', '0.1', s.url],
      ],
    );
    assert.deepEqual(
      runs[0].series.loss.map((p) => [p.step, p.timestamp]),
      [
        [1, 11],
        [2, 12],
      ],
    );
    assert.equal(runs[0].series.loss[0].value, 0.5);
    assert.ok(Number.isNaN(runs[0].metrics.loss), 'latest is the NaN at step 2');
    assert.ok(
      s.requests.every((r) => r.endsWith('Bearer secret')),
      s.requests.join('\n'),
    );
    assert.equal(s.requests.filter((r) => r.includes('runs/search')).length, 2);
  });

  it('retries a 500 a bounded number of times, then says so naming the server', async () => {
    const s = await serve((_req, _body, res) => json(res, 500, { error_code: 'INTERNAL_ERROR', message: 'database is down' }));
    server = s.server;
    await assert.rejects(readMlflowServer(s.url, { retries: 2, backoffMs: 10 }), (e: Error) => {
      assert.equal(
        e.message,
        `MLflow server ${s.url} returned 500 three times for POST ${s.url}/api/2.0/mlflow/experiments/search: INTERNAL_ERROR: database is down`,
      );
      return true;
    });
    assert.equal(s.requests.length, 3);
  });

  it('does not retry a 4xx', async () => {
    const s = await serve((_req, _body, res) => json(res, 403, { error_code: 'PERMISSION_DENIED', message: 'no' }));
    server = s.server;
    await assert.rejects(
      readMlflowServer(s.url, { retries: 2, backoffMs: 10 }),
      new RegExp(`^MlflowServerError: MLflow server ${s.url} refused POST .*: 403 PERMISSION_DENIED: no$`),
    );
    assert.equal(s.requests.length, 1);
  });

  it('aborts a request that does not answer in time and retries it', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    server = s.server;
    await assert.rejects(readMlflowServer(s.url, { retries: 1, timeoutMs: 150, backoffMs: 10 }), (e: Error) => {
      assert.equal(
        e.message,
        `MLflow server ${s.url} failed twice for POST ${s.url}/api/2.0/mlflow/experiments/search: no answer within 150 ms`,
      );
      return true;
    });
    assert.equal(s.requests.length, 2);
  });

  it('names a server that is not there', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    s.server.close();
    await assert.rejects(
      readMlflowServer(url, { retries: 0 }),
      new RegExp(`^MlflowServerError: MLflow server ${url} failed once for POST .*: not reachable \\(ECONNREFUSED\\)$`),
    );
  });

  it('keeps a run whose metric history fails, with a problem', async () => {
    const s = await serve((req, _body, res) => {
      const path = new URL(req.url!, 'http://x').pathname.replace('/api/2.0/mlflow/', '');
      if (path === 'experiments/search') return json(res, 200, { experiments: [{ experiment_id: '1', name: 'exp' }] });
      if (path === 'runs/search')
        return json(res, 200, {
          runs: [{ info: { run_id: 'r1', experiment_id: '1', status: 'RUNNING' }, data: { metrics: [{ key: 'acc', value: 1 }] } }],
        });
      json(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad key' });
    });
    server = s.server;
    const { runs, problems } = await readMlflowServer(s.url);
    assert.deepEqual(
      runs.map((r) => [r.id, r.status, r.series.acc]),
      [['r1', 'running', []]],
    );
    assert.equal(problems.length, 1);
    assert.match(
      problems[0].message,
      /^run r1, metric acc: MLflow server .* refused GET .*metrics\/get-history: 400 INVALID_PARAMETER_VALUE: bad key$/,
    );
  });
});
