import { strict as assert } from 'node:assert';
import { readMlflowServer } from '../../../src/core/mlflow/mlflowRest';
import { MlflowRegistry } from '../../../src/core/mlflow/mlflowRegistry';
import { json, standIn, tokenOf, type StandIn } from './standInServer';

const EXPERIMENT = { experiment_id: '1', name: 'exp' };
const run = (id: string, metrics: string[] = []) => ({
  info: { run_id: id, experiment_id: '1', status: 'FINISHED' },
  data: { metrics: metrics.map((key) => ({ key, value: 1 })) },
});

describe('MLflow REST paging against a misbehaving server', function () {
  this.timeout(30000);
  let s: StandIn | undefined;
  afterEach(() => {
    s?.close();
    s = undefined;
  });

  it('stops a search whose server repeats its page token, with a problem naming the URL and endpoint', async () => {
    s = await standIn((r, res) => {
      // The shape of the bug report: every page says "there is more, ask for the same page".
      if (r.path === 'experiments/search') return json(res, 200, { experiments: tokenOf(r) ? [] : [EXPERIMENT], next_page_token: 'same' });
      if (r.path === 'runs/search') return json(res, 200, { runs: [run('r1')], next_page_token: 'same' });
      json(res, 404, {});
    });
    const { runs, problems } = await readMlflowServer(s.url);
    assert.equal(s.requests.length, 4, 'two pages each: the first, then the repeat that ends it');
    assert.deepEqual(
      runs.map((r) => r.id),
      ['r1'],
      'the run on both pages counts once',
    );
    assert.deepEqual(
      problems.map((p) => p.file),
      [s.url, s.url],
    );
    assert.equal(
      problems[0].message,
      `MLflow server ${s.url} sent the page token "same" again for POST ${s.url}/api/2.0/mlflow/experiments/search (page 2): stopped paging there, the experiments read so far (1) may be incomplete`,
    );
    assert.match(problems[1].message, new RegExp(`token "same" again for POST ${s.url}/api/2\\.0/mlflow/runs/search`));
  });

  it('also ends a cycle of tokens (a, b, a) and a looping metric history, keeping the run', async () => {
    const next: Record<string, string> = { '': 'a', a: 'b', b: 'a' };
    s = await standIn((r, res) => {
      if (r.path === 'experiments/search') return json(res, 200, { experiments: [EXPERIMENT] });
      if (r.path === 'runs/search')
        return json(res, 200, { runs: [run(`r-${tokenOf(r) ?? ''}`, ['loss'])], next_page_token: next[tokenOf(r) ?? ''] });
      if (r.path === 'metrics/get-history')
        return json(res, 200, { metrics: [{ key: 'loss', value: 0.5, step: 1, timestamp: 1 }], next_page_token: 'h' });
      json(res, 404, {});
    });
    const { runs, problems } = await readMlflowServer(s.url);
    assert.deepEqual(
      runs.map((r) => [r.id, r.series.loss.length]),
      [
        ['r-', 2],
        ['r-a', 2],
        ['r-b', 2],
      ],
    );
    assert.match(problems[0].message, /token "a" again for POST .*runs\/search \(page 3\)/);
    assert.equal(
      problems.filter((p) => /^run r-\w*, metric loss: .*token "h" again for GET .*metrics\/get-history/.test(p.message)).length,
      3,
    );
    assert.ok(s.requests.length <= 1 + 3 + 3 * 2, `${s.requests.length} requests`);
  });

  it('stops at maxPages when every token is new, and says how to raise the limit', async () => {
    let n = 0;
    s = await standIn((r, res) =>
      json(
        res,
        200,
        r.path === 'experiments/search'
          ? { experiments: [{ experiment_id: String(++n), name: `e${n}` }], next_page_token: `t${n}` }
          : { runs: [] },
      ),
    );
    const warned: string[] = [];
    const { problems } = await readMlflowServer(s.url, { maxPages: 5, onWarning: (m) => warned.push(m) });
    assert.equal(s.requests.filter((r) => r.path === 'experiments/search').length, 5);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0].message,
      /had more pages of POST .*experiments\/search after 5: stopped there, the experiments read so far \(5\) may be incomplete \(raise it with --mlflow-max-pages or the setting lineage\.mlflow\.maxPages\)$/,
    );
    assert.deepEqual(warned, [problems[0].message]);
  });

  it('names the URL for an answer that is not JSON or not the expected shape', async () => {
    const answers: [string, string][] = [
      ['<html>proxy login</html>', 'with something that is not JSON: <html>proxy login</html>'],
      ['[1, 2]', 'with JSON of an unexpected shape: expected an object with "experiments", got a list'],
      ['"hello"', 'with JSON of an unexpected shape: expected an object with "experiments", got "hello"'],
      ['{"experiments": "all of them"}', 'with JSON of an unexpected shape: "experiments" is string, not a list'],
      [
        '{"experiments": [{"name": "no id"}]}',
        'with JSON of an unexpected shape: an experiment without an experiment_id: {"name":"no id"}',
      ],
      ['{"experiments": [], "next_page_token": 7}', 'with JSON of an unexpected shape: "next_page_token" is number, not a string'],
    ];
    let body = '';
    s = await standIn((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    for (const [answer, expected] of answers) {
      body = answer;
      await assert.rejects(readMlflowServer(s.url), (e: Error) => {
        assert.equal(e.message, `MLflow server ${s!.url} answered POST ${s!.url}/api/2.0/mlflow/experiments/search ${expected}`);
        return true;
      });
    }
  });

  it('skips a malformed run and keeps a metric whose history is garbage as a problem', async () => {
    s = await standIn((r, res) => {
      if (r.path === 'experiments/search') return json(res, 200, { experiments: [EXPERIMENT] });
      if (r.path === 'runs/search')
        return json(res, 200, {
          runs: [42, { info: 'x' }, { ...run('ok', ['acc']), data: { metrics: [{ key: 'acc' }, 7], params: 'nope', tags: [{ key: 1 }] } }],
        });
      return json(res, 200, { metrics: [1, 2] });
    });
    const { runs, problems } = await readMlflowServer(s.url);
    assert.deepEqual(
      runs.map((r) => [r.id, r.params, r.series.acc]),
      [['ok', {}, []]],
    );
    assert.deepEqual(
      problems.map((p) => p.message.replace(s!.url, 'URL')),
      [
        'experiment 1: skipped a run that runs/search returned without info.run_id: 42',
        'experiment 1: skipped a run that runs/search returned without info.run_id: {"info":"x"}',
        `run ok, metric acc: MLflow server URL answered GET ${s.url}/api/2.0/mlflow/metrics/get-history with JSON of an unexpected shape: a metric point that is not an object: 1`,
      ],
    );
  });

  it('the registry: a looping search warns and keeps what it read; garbage is an error naming the URL', async () => {
    let models: unknown = [{ name: 'clf' }];
    s = await standIn((r, res) => {
      if (r.path === 'registered-models/search') return json(res, 200, { registered_models: models, next_page_token: 'again' });
      if (r.path === 'model-versions/search') return json(res, 200, { model_versions: [{ name: 'clf', version: '1', run_id: 'r1' }] });
      if (r.path === 'runs/get') return json(res, 200, { run: { data: { tags: 'not a list' } } });
      json(res, 404, {});
    });
    const warnings: string[] = [];
    const state = await new MlflowRegistry(s.url, { onWarning: (m) => warnings.push(m) }).read();
    assert.deepEqual(
      state.artifacts.map((a) => [a.name, a.versions.map((v) => [v.version, v.commit])]),
      [['clf', [['1', '']]]],
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      new RegExp(`^MLflow server ${s.url} sent the page token "again" again for GET ${s.url}/api/2\\.0/mlflow/registered-models/search`),
    );
    models = [{ nom: 'clf' }];
    await assert.rejects(
      new MlflowRegistry(s.url).read(),
      new RegExp(
        `^MlflowServerError: MLflow server ${s.url} answered GET .*registered-models/search with JSON of an unexpected shape: an entry of "registered_models" without a name`,
      ),
    );
  });
});
