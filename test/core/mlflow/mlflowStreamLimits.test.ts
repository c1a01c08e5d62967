import { strict as assert } from 'node:assert';
import { readMlflowServer } from '../../../src/core/mlflow/mlflowRest';
import { MlflowRegistry } from '../../../src/core/mlflow/mlflowRegistry';
import { endlessJson, json, standIn, type StandIn } from './standInServer';

const MB = 1024 * 1024;

describe('MLflow REST limits: stalls, time and size', function () {
  // Only a generous ceiling: every case below must end on its own, long before this.
  this.timeout(60000);
  let s: StandIn | undefined;
  afterEach(() => {
    s?.close();
    s = undefined;
  });

  it('gives up on a server that sends headers and then nothing, naming the URL', async () => {
    s = await standIn((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
    });
    await assert.rejects(readMlflowServer(s.url, { timeoutMs: 200, retries: 1, backoffMs: 10 }), (e: Error) => {
      assert.equal(
        e.message,
        `MLflow server ${s!.url} failed twice for POST ${s!.url}/api/2.0/mlflow/experiments/search: stalled: sent 200 and 0 bytes of the body, then nothing for 200 ms`,
      );
      return true;
    });
    assert.equal(s.requests.length, 2);
  });

  it('gives up on a body that stops half way', async () => {
    s = await standIn((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"experiments": [');
    });
    await assert.rejects(
      readMlflowServer(s.url, { timeoutMs: 200, retries: 0 }),
      /failed once for POST .*experiments\/search: stalled: sent 200 and 17 bytes of the body, then nothing for 200 ms$/,
    );
  });

  it('stops at the total time budget when a server drips a byte at a time (never idle long enough to stall)', async () => {
    s = await standIn((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"experiments": [] ');
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    await assert.rejects(readMlflowServer(s.url, { timeoutMs: 5000, totalTimeoutMs: 400 }), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `^MLflow server ${s!.url}: gave up on POST ${s!.url}/api/2\\.0/mlflow/experiments/search when the 0\\.4 s allowed for reading the server ran out \\(last attempt: the answer was still arriving after \\d+ bytes\\); raise it with --mlflow-timeout or the setting lineage\\.mlflow\\.timeoutSeconds$`,
        ),
      );
      return true;
    });
    assert.equal(s.requests.length, 1, 'out of time is not retried');
  });

  it('stops a whole read, not just one metric, when the time budget runs out among the histories', async () => {
    s = await standIn((r, res) => {
      if (r.path === 'experiments/search') return json(res, 200, { experiments: [{ experiment_id: '1', name: 'e' }] });
      if (r.path === 'runs/search')
        return json(res, 200, {
          runs: Array.from({ length: 20 }, (_, i) => ({ info: { run_id: `r${i}` }, data: { metrics: [{ key: 'm' }] } })),
        });
      // metrics/get-history: never answers
    });
    await assert.rejects(
      readMlflowServer(s.url, { timeoutMs: 5000, totalTimeoutMs: 500, concurrency: 2 }),
      /gave up on GET .*metrics\/get-history when the 0\.5 s allowed/,
    );
    assert.ok(s.requests.filter((r) => r.path === 'metrics/get-history').length <= 4, 'no new history request after the budget ran out');
  });

  it('the registry: one operation has its own budget', async () => {
    s = await standIn(() => {
      /* never answers */
    });
    const registry = new MlflowRegistry(s.url, { timeoutMs: 5000, totalTimeoutMs: 300 });
    await assert.rejects(registry.read(), /gave up on GET .*registered-models\/search when the 0\.3 s allowed/);
    await assert.rejects(registry.deprecate('clf'), /gave up on POST .*registered-models\/set-tag when the 0\.3 s allowed/);
  });

  for (const declareLength of [false, true]) {
    it(`abandons a 300 MB answer ${declareLength ? 'that declares its Content-Length' : 'streamed without a length'} at the size limit, with memory bounded`, async () => {
      let sent: Promise<number> = Promise.resolve(0);
      s = await standIn((_r, res) => {
        sent = endlessJson(res, 300 * MB, declareLength);
      });
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 5);
      try {
        await assert.rejects(readMlflowServer(s.url), (e: Error) => {
          const size = declareLength ? 'a body of 300 MB \\(Content-Length\\)' : 'more than 64 MB';
          assert.match(
            e.message,
            new RegExp(
              `^MLflow server ${s!.url} answered POST ${s!.url}/api/2\\.0/mlflow/experiments/search with ${size}, over the 64 MB limit; stopped reading it \\(raise it with --mlflow-max-response-mb or the setting lineage\\.mlflow\\.maxResponseMB\\)$`,
            ),
          );
          return true;
        });
      } finally {
        clearInterval(sampler);
      }
      const written = await sent;
      const after = process.memoryUsage();
      const figures = `server wrote ${(written / MB).toFixed(1)} MB; rss ${(before.rss / MB).toFixed(0)} → peak ${(peakRss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB; heap ${(before.heapUsed / MB).toFixed(0)} → peak ${(peakHeap / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB`;
      // Reading 300 MB whole would take over 300 MB as bytes and as much again as a string.
      assert.ok(written < 160 * MB, `the connection is dropped soon after the limit: ${figures}`);
      assert.ok(peakRss - before.rss < 250 * MB, `memory stays near the 64 MB limit: ${figures}`);
      assert.ok(peakHeap - before.heapUsed < 200 * MB, figures);
      assert.equal(s.requests.length, 1, 'a body over the limit is not retried');
    });
  }

  it('reads an answer over the default limit when the limit is raised', async () => {
    s = await standIn((r, res) => {
      if (r.path === 'experiments/search') void endlessJson(res, 3 * MB, false);
      else json(res, 200, {});
    });
    await assert.rejects(readMlflowServer(s.url, { maxResponseBytes: 2 * MB }), /with more than 2 MB, over the 2 MB limit/);
    assert.deepEqual(await readMlflowServer(s.url, { maxResponseBytes: 4 * MB }), { runs: [], problems: [] });
  });
});
