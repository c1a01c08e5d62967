import { strict as assert } from 'node:assert';
import { extractMetrics, flattenParams, selectParams } from '../../../src/core/data/flatten';
import type { DataMap } from '../../../src/core/data/types';

const data: DataMap = {
  acc: 0.9,
  name: 'run',
  ok: true,
  none: null,
  hist: [1, 2, 3],
  empty: {},
  train: { lr: 0.01, epochs: 10, layers: [64, 32], opt: { name: 'adam', betas: [0.9, 0.99] }, onlyList: { l: [1] } },
};

describe('extractMetrics', () => {
  it('keeps number, string and boolean leaves, drops lists, null and empty maps', () => {
    assert.deepEqual(extractMetrics(data), {
      acc: 0.9,
      name: 'run',
      ok: true,
      'train.lr': 0.01,
      'train.epochs': 10,
      'train.opt.name': 'adam',
    });
  });

  it('keeps the strings DVCLive writes for NaN and infinity', () => {
    assert.deepEqual(extractMetrics({ loss: 'nan', acc: 'inf', step: 4, train: { loss: 0.5 } }), {
      loss: 'nan',
      acc: 'inf',
      step: 4,
      'train.loss': 0.5,
    });
  });

  it('keeps NaN numbers', () => {
    assert.ok(Number.isNaN(extractMetrics({ x: NaN }).x as number));
  });
});

describe('flattenParams', () => {
  it('keeps lists and null as leaves and drops empty maps', () => {
    assert.deepEqual(flattenParams(data), {
      acc: 0.9,
      name: 'run',
      ok: true,
      none: null,
      hist: [1, 2, 3],
      'train.lr': 0.01,
      'train.epochs': 10,
      'train.layers': [64, 32],
      'train.opt.name': 'adam',
      'train.opt.betas': [0.9, 0.99],
      'train.onlyList.l': [1],
    });
  });
});

describe('selectParams', () => {
  it('selects dotted keys and whole subtrees', () => {
    assert.deepEqual(selectParams(data, ['train.lr', 'acc']), { 'train.lr': 0.01, acc: 0.9 });
    assert.deepEqual(selectParams(data, ['train.opt']), { 'train.opt.name': 'adam', 'train.opt.betas': [0.9, 0.99] });
  });

  it('indexes lists like dpath and skips missing keys', () => {
    assert.deepEqual(selectParams(data, ['train.layers.1', 'missing', 'acc.x', 'train.layers.-1']), { 'train.layers.1': 32 });
  });

  it('does not match a key that itself contains a dot', () => {
    assert.deepEqual(selectParams({ 'a.b': 1 }, ['a.b']), {});
  });

  it('treats null or an empty key list as the whole file', () => {
    assert.deepEqual(selectParams({ a: { b: 1 }, c: [1] }, null), { 'a.b': 1, c: [1] });
    assert.deepEqual(selectParams({ a: { b: 1 } }, []), { 'a.b': 1 });
  });
});
