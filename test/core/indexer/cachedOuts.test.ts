import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { valuesAt, problemsAt } from '../../../src/core/query/values';
import { stepSeriesAt, pipelinesAt } from '../../../src/core/query/history';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Writes an object into the local DVC cache in the 3.x or the 2.x layout. */
function cacheObject(repo: GitFixture, content: string, legacy = false, suffix = ''): string {
  const hash = md5(content);
  const rel = legacy
    ? `.dvc/cache/${hash.slice(0, 2)}/${hash.slice(2)}${suffix}`
    : `.dvc/cache/files/md5/${hash.slice(0, 2)}/${hash.slice(2)}${suffix}`;
  repo.write({ [rel]: content });
  return hash;
}

describe('metrics that are cached DVC outs', () => {
  it('are read from the DVC cache through the dvc.lock md5 (3.x and legacy layouts, files inside a cached directory)', async () => {
    const repo = GitFixture.create();
    repo.write({ '.gitignore': '/metrics.json\n/eval\n/.dvc/cache\n' });
    const yaml = `stages:\n  train:\n    cmd: python train.py\n    metrics:\n    - metrics.json\n    - eval\n`;
    const shas: string[] = [];
    for (const [i, legacy] of [
      [1, false],
      [2, true],
      [3, false],
    ] as const) {
      const m = JSON.stringify({ acc: i / 10 });
      const inner = JSON.stringify({ auc: i / 5 });
      const mHash = cacheObject(repo, m, legacy);
      const innerHash = cacheObject(repo, inner);
      const listing = `[{"md5": "${innerHash}", "relpath": "scores.json"}]`;
      const dirHash = cacheObject(repo, listing, false, '.dir');
      const hashField = legacy ? '' : '      hash: md5\n';
      const lock = `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: eval\n${hashField}      md5: ${dirHash}.dir\n      size: ${inner.length}\n      nfiles: 1\n    - path: metrics.json\n${hashField}      md5: ${mHash}\n      size: ${m.length}\n`;
      shas.push(repo.commit(`run ${i}`, { 'dvc.yaml': yaml, 'dvc.lock': lock }));
    }
    // The third version's metrics object is lost from the cache: "not in cache", not an error.
    repo.remove(`.dvc/cache/files/md5/${md5(JSON.stringify({ acc: 0.3 })).slice(0, 2)}`);
    const { store } = await indexFolder(repo.dir);
    try {
      assert.deepEqual(valuesAt(store, shas[0], 'metrics').values, { 'metrics.json': { acc: 0.1 }, 'eval/scores.json': { auc: 0.2 } });
      assert.deepEqual(valuesAt(store, shas[1], 'metrics').values['metrics.json'], { acc: 0.2 }, 'legacy 2.x cache layout');
      const third = valuesAt(store, shas[2], 'metrics');
      assert.deepEqual(third.values, { 'eval/scores.json': { auc: 0.6 } });
      assert.equal(third.problems[0].status, 'not-in-cache');
      assert.match(third.problems[0].message, /not in the local cache; run `dvc pull`/);
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});

describe('monorepos, vars and DVCLive', () => {
  it('indexes every dvc.yaml with paths relative to it, templated params and DVCLive step series', async () => {
    const repo = GitFixture.create();
    const sha = repo.commit('two projects', {
      'a/dvc.yaml': `vars:\n  - config.yaml:model\nstages:\n  train:\n    foreach: [small, big]\n    do:\n      cmd: python train.py --size \${item} --depth \${model.depth}\n      params:\n      - lr\n      metrics:\n      - out/\${item}.json:\n          cache: false\n`,
      'a/params.yaml': 'lr: 0.1\n',
      'a/config.yaml': 'model:\n  depth: 3\nother: 1\n',
      'a/out/small.json': '{"acc": 0.5}',
      'a/out/big.json': '{"acc": 0.7}',
      'b/dvc.yaml': `params:\n- dvclive/params.yaml\nmetrics:\n- dvclive/metrics.json\nplots:\n- dvclive/plots/metrics:\n    x: step\n`,
      'b/dvclive/params.yaml': 'epochs: 3\n',
      'b/dvclive/metrics.json': '{"train": {"loss": "nan", "acc": 0.9}, "step": 2}',
      'b/dvclive/plots/metrics/train/loss.tsv': 'timestamp\tstep\tloss\n1\t0\t1.5\n2\t1\t0.9\n3\t2\tnan\n',
      'b/dvclive/plots/metrics/train/acc.tsv': 'step\tacc\r\n0\t0.5\r\n1\t0.7\r\n2\t0.9\r\n',
    });
    const { store } = await indexFolder(repo.dir);
    try {
      const pipelines = pipelinesAt(store, sha);
      assert.deepEqual(
        pipelines.map((p) => p.project),
        ['a', 'b'],
      );
      assert.deepEqual(
        pipelines[0].def.stages.map((s) => [s.name, s.cmd]),
        [
          ['train@small', 'python train.py --size small --depth 3'],
          ['train@big', 'python train.py --size big --depth 3'],
        ],
      );
      const m = valuesAt(store, sha, 'metrics').values;
      assert.deepEqual(m['a/out/small.json'], { acc: 0.5 });
      assert.deepEqual(m['a/out/big.json'], { acc: 0.7 });
      assert.deepEqual(m['b/dvclive/metrics.json'], { 'train.loss': 'nan', 'train.acc': 0.9, step: 2 });
      // a/config.yaml is no params file, but a stage reads model.depth through ${}: DVC's
      // params show/diff list it with that key (dvc/repo/params/show.py _collect_vars).
      assert.deepEqual(valuesAt(store, sha, 'params').values, {
        'a/params.yaml': { lr: 0.1 },
        'b/dvclive/params.yaml': { epochs: 3 },
        'a/config.yaml': { 'model.depth': 3 },
      });
      const series = stepSeriesAt(store, sha);
      assert.deepEqual(
        series.map((s) => s.name),
        ['train/acc', 'train/loss'],
      );
      assert.deepEqual(
        series[0].points.map((p) => [p.step, p.value]),
        [
          [0, 0.5],
          [1, 0.7],
          [2, 0.9],
        ],
      );
      assert.equal(series[1].points[0].timestamp, 1);
      assert.ok(Number.isNaN(series[1].points[2].value));
      assert.deepEqual(problemsAt(store, sha), []);
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});
