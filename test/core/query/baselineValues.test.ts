import { strict as assert } from 'node:assert';
import { GitFixture, PIPELINE, metrics, params } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import type { Store } from '../../../src/core/store/store';
import { fileValuesAt, trackedFiles, valueHistory, valuesOfText } from '../../../src/core/query/baselineValues';
import { inlineDiff, summaryText } from '../../../src/core/diff/inlineDiff';
import { valuesAt } from '../../../src/core/query/values';

describe('baseline values for inline diffs (real Git repository and index)', () => {
  let repo: GitFixture;
  let store: Store;
  const shas: Record<string, string> = {};

  before(async () => {
    repo = GitFixture.create();
    shas.c1 = repo.commit('First run', {
      'dvc.yaml': PIPELINE,
      'params.yaml': params(0.1),
      'metrics.json': metrics(0.8, 0.5),
      'eval/scores.yaml': 'auc: 0.7\n',
    });
    shas.c2 = repo.commit('Only params move', { 'params.yaml': params(0.05) });
    shas.c3 = repo.commit('Better run', { 'metrics.json': metrics(0.85, 0.4) });
    repo.git('checkout', '-q', '-b', 'side');
    shas.side = repo.commit('Side branch run', { 'metrics.json': metrics(0.7, 0.9) });
    repo.git('checkout', '-q', 'main');
    shas.c4 = repo.commit('Best run', { 'metrics.json': metrics(0.9, 0.3) });
    repo.git('merge', '-q', '--no-ff', '-X', 'ours', '-m', 'Merge side', 'side');
    shas.merge = repo.git('rev-parse', 'HEAD');
    shas.broken = repo.commit('Broken metrics', { 'eval/scores.yaml': 'auc: [1,\n' });
    // The workspace: a new metric and a removed one, unsaved-like edits are the editor's business.
    repo.write({ 'metrics.json': JSON.stringify({ acc: 0.95, nested: { f1: 0.9 }, extra: 'yes' }), 'eval/scores.yaml': 'auc: 0.75\n' });
    ({ store } = await indexFolder(repo.dir));
  });

  after(() => {
    store?.close();
    repo?.cleanup();
  });

  it('trackedFiles: the workspace params and metrics files with their roles and selectors', () => {
    const files = trackedFiles(store);
    // The stage tracks train.lr and train.epochs, but DVC shows the root params.yaml whole.
    assert.deepEqual(
      [...files.values()],
      [
        { path: 'eval/scores.yaml', role: 'metrics', selector: null },
        { path: 'metrics.json', role: 'metrics', selector: null },
        { path: 'params.yaml', role: 'params', selector: null },
      ],
    );
  });

  it('fileValuesAt: metrics as valuesAt keeps them, params as the pipeline selects them', () => {
    const m = fileValuesAt(store, shas.c3, 'metrics.json', 'metrics', null);
    assert.deepEqual(m, { status: 'ok', values: valuesAt(store, shas.c3, 'metrics').values['metrics.json'] });
    assert.deepEqual(m.status === 'ok' && m.values, { acc: 0.85, loss: 0.4, 'nested.f1': 0.84 });
    const p = fileValuesAt(store, shas.c2, 'params.yaml', 'params', ['train.lr', 'train.epochs']);
    assert.deepEqual(p, { status: 'ok', values: { 'train.lr': 0.05, 'train.epochs': 10 } });
    const all = fileValuesAt(store, shas.c2, 'params.yaml', 'params', null);
    assert.deepEqual(all.status === 'ok' && all.values, { 'train.lr': 0.05, 'train.epochs': 10, unused: 1 });
  });

  it('fileValuesAt: a file the revision lacks is absent; one that does not parse is a problem with its line', () => {
    assert.deepEqual(fileValuesAt(store, shas.c1, 'nope.json', 'metrics', null), { status: 'absent' });
    const broken = fileValuesAt(store, shas.broken, 'eval/scores.yaml', 'metrics', null);
    assert.equal(broken.status, 'problem');
    assert.ok(broken.status === 'problem' && broken.line !== undefined && broken.message.length > 0, JSON.stringify(broken));
  });

  it('valuesOfText: an editor buffer parsed and kept exactly as the indexer keeps the file', () => {
    const text = JSON.stringify({ acc: 0.95, list: [1, 2], none: null, nested: { f1: 0.9 }, flag: true });
    assert.deepEqual(valuesOfText(text, 'metrics.json', 'metrics', null), { ok: true, value: { acc: 0.95, 'nested.f1': 0.9, flag: true } });
    assert.deepEqual(valuesOfText(params(0.2, 3), 'params.yaml', 'params', ['train.lr']), { ok: true, value: { 'train.lr': 0.2 } });
    const bad = valuesOfText('{"acc": 0.9,\n "loss": }', 'metrics.json', 'metrics', null);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.line, 2);
    assert.equal(valuesOfText('a = 1\nb = ', 'params.toml', 'params', null).ok, false);
  });

  it('valueHistory: the last values along the first-parent chain, each with the commit that introduced it', () => {
    const h = valueHistory(store, shas.broken, 'metrics.json', 'metrics', 'acc');
    // The merge kept main's metrics (-X ours): the side branch's 0.7 is not on the first-parent chain.
    assert.deepEqual(
      h.map((x) => [x.value, x.sha, x.subject]),
      [
        [0.9, shas.c4, 'Best run'],
        [0.85, shas.c3, 'Better run'],
        [0.8, shas.c1, 'First run'],
      ],
    );
    assert.ok(h.every((x) => x.authorTime > 1.7e9));
    assert.deepEqual(
      valueHistory(store, shas.broken, 'metrics.json', 'metrics', 'acc', { limit: 2 }).map((x) => x.value),
      [0.9, 0.85],
    );
    assert.deepEqual(
      valueHistory(store, shas.side, 'metrics.json', 'metrics', 'acc').map((x) => [x.value, x.sha]),
      [
        [0.7, shas.side],
        [0.85, shas.c3],
        [0.8, shas.c1],
      ],
    );
    assert.deepEqual(
      valueHistory(store, shas.broken, 'params.yaml', 'params', 'train.lr').map((x) => [x.value, x.sha]),
      [
        [0.05, shas.c2],
        [0.1, shas.c1],
      ],
    );
    assert.deepEqual(valueHistory(store, shas.broken, 'metrics.json', 'metrics', 'no.such.key'), []);
    const short = valueHistory(store, shas.broken, 'metrics.json', 'metrics', 'acc', { maxCommits: 2 });
    assert.deepEqual(
      short.map((x) => [x.value, x.truncated]),
      [[0.9, true]],
    );
  });

  it('inlineDiff: better/worse by direction, changed, new, removed and a summary line', () => {
    const base = fileValuesAt(store, shas.c4, 'metrics.json', 'metrics', null);
    assert.equal(base.status, 'ok');
    const current = valuesOfText(
      JSON.stringify({ acc: 0.95, loss: 0.35, nested: { f1: 0.89 }, extra: 'yes' }),
      'metrics.json',
      'metrics',
      null,
    );
    assert.ok(current.ok);
    const d = inlineDiff(current.value, base.status === 'ok' ? base.values : {}, 'metrics');
    const e = (k: string) => d.entries.get(k)!;
    assert.deepEqual(e('acc'), { key: 'acc', status: 'better', value: 0.95, base: 0.9, delta: 0.95 - 0.9 });
    assert.deepEqual(e('loss'), { key: 'loss', status: 'worse', value: 0.35, base: 0.3, delta: 0.35 - 0.3 });
    assert.deepEqual(e('nested.f1'), { key: 'nested.f1', status: 'same', value: 0.89, base: 0.89, delta: 0 });
    assert.deepEqual(e('extra'), { key: 'extra', status: 'new', value: 'yes' });
    assert.deepEqual(d.summary, { kind: 'metrics', total: 4, better: 1, worse: 1, changed: 0, added: 1, removed: 0 });
    assert.equal(summaryText(d.summary, 'main'), '4 metrics vs main: 1 better, 1 worse, 1 new');

    const gone = inlineDiff({ acc: 'high' }, { acc: 0.9, loss: 0.3 }, 'metrics', { acc: 'lower' });
    assert.deepEqual(gone.entries.get('acc'), { key: 'acc', status: 'changed', value: 'high', base: 0.9 });
    assert.deepEqual(gone.entries.get('loss'), { key: 'loss', status: 'removed', base: 0.3 });
    assert.equal(summaryText(gone.summary, 'main'), '1 metric vs main: 1 changed, 1 removed');
    // An explicit direction wins over the name: a lower "acc" is better when told so.
    assert.equal(inlineDiff({ acc: 0.8 }, { acc: 0.9 }, 'metrics', { acc: 'lower' }).entries.get('acc')!.status, 'better');
    // Params have no direction: a numeric move is "changed", with its delta.
    assert.deepEqual(inlineDiff({ lr: 0.2 }, { lr: 0.1 }, 'params').entries.get('lr'), {
      key: 'lr',
      status: 'changed',
      value: 0.2,
      base: 0.1,
      delta: 0.2 - 0.1,
    });
    assert.equal(summaryText(inlineDiff({ lr: 0.1 }, { lr: 0.1 }, 'params').summary, 'dev'), '1 param vs dev: no changes');
  });
});
