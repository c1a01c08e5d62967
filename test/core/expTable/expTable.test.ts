// The Experiments table model over a real repository and index: which rows it has and in
// what order, windows, sorting on several keys, every filter operator, stars and notes (kept
// across a rebuild), runs under their commit or in their own group, and input that is hard to
// show: odd keys, lists, NaN, ±Infinity, huge ints, 5,000 columns, an empty repository.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { GitFixture } from '../../helpers/gitFixture';
import { openWorkspace, type Workspace } from '../../../src/core/workspace/workspace';
import { storeOf } from '../../../src/core/workspace/internal';
import {
  openExperimentsTable,
  parseFilter,
  rowMarks,
  setRowMark,
  type Filter,
  type TableModel,
  type TableRow,
} from '../../../src/core/workspace/experimentsTable';
import { replaceSource } from '../../../src/core/runs/runStore';
import type { ExternalRun } from '../../../src/core/runs/types';

const PIPELINE = `stages:
  train:
    cmd: python train.py
    deps: [train.py]
    params: [train]
metrics:
  - metrics.json
`;

const ACC = 'metrics:metrics.json:acc';
const MIXED = 'metrics:metrics.json:mixed';
const LR = 'params:params.yaml:train.lr';

function paramsText(lr: number, extra = ''): string {
  return `train:\n  lr: ${lr}\n  "dotted.key": 1.5\n  layers: [64, 32]\n  big: 123456789012345678901234567890\n  list_of_maps: [{a: 1}]\n${extra}other: 1\n`;
}

function metricsText(acc: number | string, mixed: number | string): string {
  return `{"acc": ${JSON.stringify(acc)}, "mixed": ${JSON.stringify(mixed)}, "nan": NaN, "inf": Infinity, "ninf": -Infinity, "big": 123456789012345678901234567890, "list": [1, 2], "<b>html</b>": 1, "größe": 2, "a/b": {"c.d": 3}}\n`;
}

function run(id: string, over: Partial<ExternalRun>): ExternalRun {
  return {
    source: 'mlflow',
    location: 'mlruns',
    id,
    experimentId: '1',
    experiment: 'exp',
    name: id,
    status: 'finished',
    startTime: 1_800_000_000_000,
    endTime: null,
    user: null,
    git: { commit: null, branch: null, remote: null },
    params: {},
    metrics: {},
    series: {},
    tags: {},
    environment: null,
    models: [],
    artifacts: [],
    parentId: null,
    labels: [],
    ...over,
  };
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const all = (m: TableModel): TableRow[] => m.window(0, m.rowCount);

describe('Experiments table model', function () {
  this.timeout(60000);
  let fx: GitFixture;
  let ws: Workspace;
  let storeFile: string;
  const c: string[] = [];
  let feature: string[];
  let e1: string;
  let e2: string;

  before(async () => {
    fx = GitFixture.create();
    c.push(
      fx.commit('first', {
        'dvc.yaml': PIPELINE,
        'train.py': 'print(1)\n',
        'params.yaml': paramsText(0.1),
        'metrics.json': metricsText(0.5, 1),
      }),
    );
    c.push(fx.commit('second <img src=x>', { 'params.yaml': paramsText(0.2), 'metrics.json': metricsText(0.7, 'high') }));
    c.push(fx.commit('third', { 'params.yaml': paramsText(0.3), 'metrics.json': metricsText(0.6, 0.5) }));
    fx.git('tag', 'v1');
    c.push(fx.commit('fourth', { 'params.yaml': paramsText(0.4), 'metrics.json': metricsText(0.6, 'low') }));
    c.push(fx.commit('docs only', { 'README.md': 'hello\n' }));
    fx.git('checkout', '-q', '-b', 'feature', c[1]);
    feature = [fx.commit('feature one', { 'params.yaml': paramsText(0.9), 'metrics.json': metricsText(0.95, 2) })];
    fx.git('checkout', '-q', 'main');
    // Experiments as DVC stores them: commits on top of the baseline, under refs/exps.
    const exp = (name: string, files: Record<string, string>, time: number) => {
      fx.git('checkout', '-q', '--detach', c[3]);
      fx.write(files);
      fx.git('add', '-A');
      const date = `${time} +0000`;
      const sha = execFileSync('git', ['commit-tree', fx.git('write-tree'), '-p', c[3], '-m', `exp ${name}`], {
        cwd: fx.dir,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      }).trim();
      fx.git('update-ref', `refs/exps/${c[3].slice(0, 2)}/${c[3].slice(2)}/${name}`, sha);
      fx.git('reset', '-q', '--hard');
      return sha;
    };
    // e1 is the newer: it comes first under its baseline.
    e1 = exp('e1', { 'metrics.json': metricsText(0.8, 3) }, 1735689600 + 500);
    e2 = exp('e2', { 'metrics.json': metricsText(0.55, 'mid') }, 1735689600 + 400);
    fx.git('checkout', '-q', 'main');
    storeFile = `${fx.dir}.sqlite`;
    ws = await openWorkspace(fx.dir, { storeFile });
    await ws.refresh({ runs: false });
    replaceSource(
      storeOf(ws),
      { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' },
      'fp',
      [
        run('r-head', {
          git: { commit: c[4], branch: null, remote: null },
          metrics: { acc: 0.99, loss: NaN },
          params: { lr: '0.5', opt: 'adam' },
          startTime: 1_800_000_000_000,
        }),
        run('r-short', {
          git: { commit: c[2].slice(0, 8), branch: null, remote: null },
          metrics: { acc: 0.4 },
          params: { lr: '0.05' },
          status: 'failed',
        }),
        run('r-none', { metrics: { acc: Infinity }, params: { lr: 'auto' }, experiment: 'other', startTime: 1_800_000_100_000 }),
        run('r-elsewhere', {
          git: { commit: 'f'.repeat(40), branch: null, remote: null },
          metrics: { acc: -Infinity },
          startTime: 1_800_000_200_000,
        }),
      ],
      [],
      1,
    );
    replaceSource(
      storeOf(ws),
      { kind: 'wandb', format: 'wandb-dir', location: 'wandb' },
      'fp',
      [
        run('w1', {
          source: 'wandb',
          location: 'wandb',
          experiment: 'proj',
          status: 'crashed',
          git: { commit: c[4], branch: null, remote: null },
          params: { 'opt.name': 'sgd', lr: 0.3 },
          metrics: { acc: 0.45 },
        }),
      ],
      [],
      1,
    );
  });

  after(() => {
    ws?.close();
    for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
    fx.cleanup();
  });

  it('rows: the workspace, the branch newest first with tags and baselines, experiments and runs under their commit, other runs in their group', () => {
    const m = openExperimentsTable(ws);
    const rows = all(m);
    assert.equal(m.baselineId, c[4]);
    assert.deepEqual(ids(rows), [
      'workspace',
      c[4],
      'mlflow:r-head',
      'wandb:w1',
      c[3],
      e1,
      e2,
      c[2],
      'mlflow:r-short',
      c[1],
      c[0],
      'mlflow:r-elsewhere',
      'mlflow:r-none',
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual([byId.get(e1)!.kind, byId.get(e1)!.parentId, byId.get(e1)!.depth, byId.get(e1)!.label], ['experiment', c[3], 1, 'e1']);
    assert.equal(byId.get(c[4])!.label, 'main');
    assert.equal(byId.get(c[2])!.label, 'v1');
    assert.deepEqual(byId.get(c[2])!.refs, ['v1']);
    assert.equal(byId.get(c[1])!.message, 'second <img src=x>');
    const short = byId.get('mlflow:r-short')!;
    assert.deepEqual([short.kind, short.parentId, short.depth, short.state], ['run', c[2], 1, 'FAILED'], 'an abbreviated commit links too');
    const elsewhere = byId.get('mlflow:r-elsewhere')!;
    assert.deepEqual([elsewhere.parentId, elsewhere.depth, elsewhere.commit, elsewhere.group], [null, 0, 'f'.repeat(40), 'MLflow: exp']);
    assert.deepEqual([byId.get('mlflow:r-none')!.commit, byId.get('mlflow:r-none')!.group], [null, 'MLflow: other']);
    assert.equal(byId.get('wandb:w1')!.state, 'CRASHED');
    assert.equal(byId.get(c[4])!.created, 1735689600 * 1000 + 5 * 60 * 1000);
  });

  it('choosing branches, commits per branch, every commit, no runs', () => {
    assert.deepEqual(ids(all(openExperimentsTable(ws, { commitsPerBranch: 2, tags: false, allBaselines: false, runs: false }))), [
      'workspace',
      c[4],
      c[3],
      e1,
      e2,
    ]);
    assert.deepEqual(
      ids(all(openExperimentsTable(ws, { branches: ['feature'], commitsPerBranch: 1, tags: false, allBaselines: false, runs: false }))),
      ['workspace', feature[0]],
    );
    const every = all(openExperimentsTable(ws, { allCommits: true, runs: false }));
    assert.deepEqual(
      ids(every),
      ['workspace', feature[0], c[4], c[3], e1, e2, c[2], c[1], c[0]],
      'experiments are under their baseline, not commits of their own',
    );
  });

  it('windows: any slice of the order, the same rows as the whole', () => {
    const m = openExperimentsTable(ws);
    const whole = ids(all(m));
    assert.deepEqual([...ids(m.window(0, 4)), ...ids(m.window(4, 100))], whole);
    assert.deepEqual(ids(m.window(-5, 2)), whole.slice(0, 2));
    assert.deepEqual(m.window(whole.length, 10), []);
    assert.deepEqual(m.window(3, 0), []);
    assert.deepEqual(
      m.outline(0, 3).map((r) => r.id),
      whole.slice(0, 3),
    );
    const cells = m.window(1, 1)[0].cells;
    assert.equal(cells[ACC], 0.6);
    assert.equal(cells['meta:commit'], c[4]);
    assert.equal(cells['metrics:mlflow:acc'], undefined, 'a commit has no run cells');
    const head = m.window(2, 1)[0];
    assert.equal(head.cells['metrics:mlflow:acc'], 0.99);
    assert.ok(Number.isNaN(head.cells['metrics:mlflow:loss'] as number));
    assert.equal(head.cells['params:mlflow:lr'], 0.5, 'an MLflow param that reads as a number is one');
    assert.equal(head.cells['params:mlflow:opt'], 'adam');
  });

  it('columns: meta, DVC metrics by file, runs, params; numeric only when every value is a number', () => {
    const cols = openExperimentsTable(ws).columns;
    const byId = new Map(cols.map((col) => [col.id, col]));
    assert.deepEqual(
      cols.slice(0, 4).map((col) => col.id),
      ['meta:created', 'meta:commit', 'meta:message', 'meta:state'],
    );
    assert.equal(byId.get(ACC)!.numeric, true);
    assert.equal(byId.get(MIXED)!.numeric, false, 'a number in one row, text in another');
    assert.equal(byId.get('metrics:metrics.json:nan')!.numeric, true);
    for (const id of [
      'metrics:metrics.json:<b>html</b>',
      'metrics:metrics.json:größe',
      'metrics:metrics.json:a/b.c.d',
      'params:params.yaml:train.dotted.key',
      'metrics:mlflow:acc',
      'params:wandb:opt.name',
      'metrics:wandb:acc',
    ]) {
      assert.ok(byId.has(id), `column ${id}`);
    }
    assert.ok(!byId.has('metrics:metrics.json:list'), 'lists are not metrics');
    assert.ok(byId.has('params:params.yaml:other'), 'the root params.yaml is shown whole, as DVC shows it');
    assert.deepEqual(byId.get('params:params.yaml:train.lr'), {
      id: LR,
      group: 'params',
      source: 'params.yaml',
      key: 'train.lr',
      numeric: true,
    });
    // Metrics before params; within metrics the DVC file first, in its own key order.
    const ix = (id: string) => cols.findIndex((col) => col.id === id);
    assert.ok(
      ix(ACC) < ix(MIXED) &&
        ix(MIXED) < ix('metrics:mlflow:acc') &&
        ix('metrics:mlflow:acc') < ix('metrics:wandb:acc') &&
        ix('metrics:wandb:acc') < ix(LR),
    );
  });

  it('cells that are hard to show: NaN, ±Infinity, huge ints, lists, odd keys', () => {
    const row = openExperimentsTable(ws).window(1, 1)[0];
    assert.ok(Number.isNaN(row.cells['metrics:metrics.json:nan'] as number));
    assert.equal(row.cells['metrics:metrics.json:inf'], Infinity);
    assert.equal(row.cells['metrics:metrics.json:ninf'], -Infinity);
    assert.deepEqual(row.cells['metrics:metrics.json:big'], { text: '123456789012345678901234567890' });
    assert.deepEqual(row.cells['params:params.yaml:train.big'], { text: '123456789012345678901234567890' });
    assert.deepEqual(row.cells['params:params.yaml:train.layers'], { text: '[64, 32]' });
    assert.deepEqual(row.cells['params:params.yaml:train.list_of_maps'], { text: "[{'a': 1}]" });
    assert.equal(row.cells['metrics:metrics.json:<b>html</b>'], 1);
    assert.equal(row.cells['metrics:metrics.json:a/b.c.d'], 3);
    assert.equal(row.cells['params:params.yaml:train.dotted.key'], 1.5);
  });

  it('sorts by several keys: numbers first, then text, then absent, ties by the next key and then the default order', () => {
    const sorted = (order: 'asc' | 'desc') =>
      all(openExperimentsTable(ws, { allCommits: true, runs: false, sort: [{ column: MIXED, order }] }));
    // Top level: workspace (low), feature (2), c4 (low), c2 (0.5), c1 (high), c0 (1), c3 (low): numbers, then text.
    assert.deepEqual(ids(sorted('asc').filter((r) => r.depth === 0)), [c[2], c[0], feature[0], c[1], 'workspace', c[4], c[3]]);
    assert.deepEqual(ids(sorted('desc').filter((r) => r.depth === 0)), [feature[0], c[0], c[2], 'workspace', c[4], c[3], c[1]]);
    // Experiments stay under their baseline, sorted among themselves: e1 (3) before e2 ('mid').
    const rows = sorted('asc');
    assert.deepEqual(ids(rows.slice(rows.findIndex((r) => r.id === c[3]))).slice(0, 3), [c[3], e1, e2]);
    // Ties on ACC (0.6 x4) broken by LR ascending (c2 has 0.3, the others 0.4), then by the default order.
    const two = all(
      openExperimentsTable(ws, {
        allCommits: true,
        runs: false,
        sort: [
          { column: ACC, order: 'desc' },
          { column: LR, order: 'asc' },
        ],
      }),
    );
    assert.deepEqual(ids(two.filter((r) => r.depth === 0)), [feature[0], c[1], c[2], 'workspace', c[4], c[3], c[0]]);
    const meta = all(openExperimentsTable(ws, { allCommits: true, runs: false, sort: [{ column: 'meta:created', order: 'asc' }] }));
    assert.deepEqual(
      ids(meta.filter((r) => r.depth === 0)),
      [c[0], c[1], c[2], c[3], c[4], feature[0], 'workspace'],
      'the workspace has no time: last',
    );
    // Deterministic: the same order every time, and an unknown column changes nothing.
    assert.deepEqual(ids(sorted('asc')), ids(rows));
    assert.deepEqual(
      ids(all(openExperimentsTable(ws, { sort: [{ column: 'metrics:gone.json:x', order: 'asc' }] }))),
      ids(all(openExperimentsTable(ws))),
    );
  });

  it('sorts runs by their own columns: numbers, NaN, text, absent', () => {
    const rows = all(openExperimentsTable(ws, { sort: [{ column: 'params:mlflow:lr', order: 'asc' }] })).filter(
      (r) => r.depth === 0 && r.kind === 'run',
    );
    assert.deepEqual(ids(rows), ['mlflow:r-none', 'mlflow:r-elsewhere'], "'auto' (text) before a run without lr");
    const acc = all(openExperimentsTable(ws, { sort: [{ column: 'metrics:mlflow:acc', order: 'desc' }] })).filter(
      (r) => r.depth === 0 && r.kind === 'run',
    );
    assert.deepEqual(ids(acc), ['mlflow:r-none', 'mlflow:r-elsewhere'], 'Infinity before -Infinity');
  });

  it('filters with every operator, on params, metrics, runs and meta columns', () => {
    const matching = (filters: Filter[]) => ids(all(openExperimentsTable(ws, { allCommits: true, filters })).filter((r) => !r.context));
    assert.deepEqual(matching([{ column: ACC, op: '>=', value: '0.7' }]), [feature[0], e1, c[1]]);
    assert.deepEqual(matching([{ column: ACC, op: '>', value: '0.7' }]), [feature[0], e1]);
    assert.deepEqual(matching([{ column: ACC, op: '<', value: '0.6' }]), [e2, c[0]]);
    assert.deepEqual(matching([{ column: ACC, op: '<=', value: '0.55' }]), [e2, c[0]]);
    assert.deepEqual(matching([{ column: ACC, op: '=', value: '0.6' }]), ['workspace', c[4], c[3], c[2]]);
    assert.deepEqual(matching([{ column: MIXED, op: '=', value: 'LOW' }]), ['workspace', c[4], c[3]], 'text compares without case');
    assert.deepEqual(matching([{ column: MIXED, op: '>', value: '1' }]), [feature[0], e1], 'text never compares with a number');
    assert.deepEqual(matching([{ column: LR, op: 'contains', value: '0.3' }]), [c[2]]);
    assert.deepEqual(
      matching([{ column: LR, op: '!contains', value: '0.' }]),
      ['mlflow:r-head', 'wandb:w1', 'mlflow:r-short', 'mlflow:r-elsewhere', 'mlflow:r-none'],
      'runs have no DVC params: they meet !contains',
    );
    assert.ok(matching([{ column: LR, op: '!=', value: '0.4' }]).includes('mlflow:r-none'));
    assert.deepEqual(matching([{ column: 'meta:state', op: '=', value: 'failed' }]), ['mlflow:r-short']);
    assert.deepEqual(matching([{ column: 'metrics:mlflow:acc', op: '>', value: '0.5' }]), ['mlflow:r-head', 'mlflow:r-none']);
    assert.deepEqual(matching([{ column: 'meta:message', op: 'contains', value: '<IMG' }]), [c[1]]);
    assert.deepEqual(matching([{ column: 'meta:created', op: '<', value: '2025-01-01T00:02:30Z' }]), [c[1], c[0]]);
    assert.deepEqual(
      matching([
        { column: ACC, op: '>=', value: '0.6' },
        { column: MIXED, op: '=', value: 'low' },
      ]),
      ['workspace', c[4], c[3]],
      'conditions combine with and',
    );
    assert.deepEqual(matching([{ column: 'metrics:nope.json:x', op: '=', value: '1' }]), [], 'a column nobody has: nothing equals it');
  });

  it('keeps the baseline of a matching experiment for context, and free text looks at names, messages, commits and notes', () => {
    const rows = all(openExperimentsTable(ws, { filters: [{ column: ACC, op: '=', value: '0.8' }] }));
    assert.deepEqual(
      rows.map((r) => [r.id, r.context ?? false]),
      [
        [c[3], true],
        [e1, false],
      ],
    );
    assert.deepEqual(ids(all(openExperimentsTable(ws, { text: 'EXP E2' }))), [c[3], e2]);
    assert.deepEqual(ids(all(openExperimentsTable(ws, { text: c[1].slice(0, 10), runs: false }))), [c[1]]);
    assert.deepEqual(ids(all(openExperimentsTable(ws, { text: 'DOCS' }))), [c[4]]);
  });

  it('parses typed conditions as users write them', () => {
    const cols = openExperimentsTable(ws).columns;
    assert.deepEqual(parseFilter('metrics: metrics.json:acc >= 0.9', cols), { column: ACC, op: '>=', value: '0.9' });
    assert.deepEqual(parseFilter('train.lr contains 0.0', cols), { column: LR, op: 'contains', value: '0.0' });
    assert.deepEqual(parseFilter('state = failed', cols), { column: 'meta:state', op: '=', value: 'failed' });
    assert.deepEqual(parseFilter('metrics.json:mixed!=high', cols), { column: MIXED, op: '!=', value: 'high' });
    assert.throws(() => parseFilter('acc > 1', cols), /several columns/);
    assert.throws(() => parseFilter('nope = 1', cols), /no column/);
    assert.throws(() => parseFilter('acc', cols), /not a condition/);
  });

  it('stars and notes: kept in the index, shown in windows, filtered on, and kept by a rebuild', async () => {
    setRowMark(ws, e2, { starred: true });
    setRowMark(ws, c[0], { note: 'baseline <b>run</b> — ünïcode' });
    setRowMark(ws, 'mlflow:r-none', { starred: true, note: 'check' });
    setRowMark(ws, 'mlflow:r-none', { starred: false });
    assert.deepEqual(rowMarks(ws).get('mlflow:r-none'), { starred: false, note: 'check' }, 'what is not given stays');
    const m = openExperimentsTable(ws, { starredOnly: true });
    assert.deepEqual(
      all(m).map((r) => [r.id, r.starred, r.context ?? false]),
      [
        [c[3], false, true],
        [e2, true, false],
      ],
    );
    assert.deepEqual(ids(all(openExperimentsTable(ws, { text: 'ÜNÏCODE' }))), [c[0]]);
    const before = openExperimentsTable(ws);
    setRowMark(ws, c[4], { starred: true });
    assert.equal(before.window(1, 1)[0].starred, true, 'a window reads marks again');
    setRowMark(ws, c[4], { starred: false });
    assert.throws(() => setRowMark(ws, c[0], { note: 'x'.repeat(10001) }), /at most/);
    // Rebuild: the index is replaced; stars and notes are the user's and stay.
    ws.close();
    ws = await openWorkspace(fx.dir, { storeFile, rebuild: true });
    assert.deepEqual(Object.fromEntries(rowMarks(ws)), {
      [e2]: { starred: true, note: '' },
      [c[0]]: { starred: false, note: 'baseline <b>run</b> — ünïcode' },
      'mlflow:r-none': { starred: false, note: 'check' },
    });
    await ws.refresh({ runs: false });
    const row = all(openExperimentsTable(ws)).find((r) => r.id === c[0])!;
    assert.equal(row.note, 'baseline <b>run</b> — ünïcode');
    setRowMark(ws, 'mlflow:r-none', { note: '' });
    assert.equal(rowMarks(ws).has('mlflow:r-none'), false, 'no star and no note: forgotten');
  });
});

describe('Experiments table model: size and emptiness', function () {
  this.timeout(120000);

  it('5,000 columns: listed, sorted on, and a window carries them', async () => {
    const fx = GitFixture.create();
    const storeFile = `${fx.dir}.sqlite`;
    const wide = (shift: number) =>
      Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${String(i).padStart(4, '0')}`, i + shift]));
    fx.commit('wide', { 'dvc.yaml': 'metrics:\n  - wide.json\n', 'wide.json': JSON.stringify(wide(0)) });
    fx.commit('wider', { 'wide.json': JSON.stringify(wide(1)) });
    const ws = await openWorkspace(fx.dir, { storeFile });
    try {
      await ws.refresh({ runs: false });
      const m = openExperimentsTable(ws, { sort: [{ column: 'metrics:wide.json:k4999', order: 'asc' }] });
      assert.equal(m.columns.length, 4 + 5000);
      assert.equal(m.columns[4 + 4999].id, 'metrics:wide.json:k4999');
      const rows = m.window(0, 10);
      assert.deepEqual(
        rows.map((r) => r.cells['metrics:wide.json:k4999']),
        [4999, 5000, 5000],
        'the first commit, then the workspace and the second (tied, default order)',
      );
      assert.equal(Object.keys(rows[0].cells).length, 5000 + 4, 'and the four meta cells');
    } finally {
      ws.close();
      for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
      fx.cleanup();
    }
  });

  it('an empty repository: no rows but the workspace, meta columns only', async () => {
    const fx = GitFixture.create();
    const storeFile = `${fx.dir}.sqlite`;
    const ws = await openWorkspace(fx.dir, { storeFile });
    try {
      await ws.refresh({ runs: false });
      const m = openExperimentsTable(ws, {
        allCommits: true,
        sort: [{ column: 'meta:created', order: 'desc' }],
        filters: [{ column: 'meta:state', op: '!=', value: 'x' }],
      });
      assert.deepEqual(
        m.columns.map((col) => col.id),
        ['meta:created', 'meta:commit', 'meta:message', 'meta:state'],
      );
      assert.ok(m.rowCount <= 1);
      assert.ok(m.window(0, 10).every((r) => r.kind === 'workspace'));
    } finally {
      ws.close();
      for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
      fx.cleanup();
    }
  });
});
