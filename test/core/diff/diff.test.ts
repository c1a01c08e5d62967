import { strict as assert } from 'node:assert';
import { diffValues } from '../../../src/core/diff/diff';
import { diffToMarkdown, mdCell } from '../../../src/core/diff/markdown';
import { directionOf, directionsFor, verdictOf } from '../../../src/core/diff/direction';

describe('diffValues (dvc metrics/params diff semantics)', () => {
  it('gives {old, new, diff} with diff only for numbers, null for a missing side, unchanged omitted', () => {
    const result = diffValues(
      { 'm.json': { acc: 0.5, same: 1, name: 'a', gone: 3, flag: true }, 'old.json': { x: 1 } },
      { 'm.json': { acc: 0.75, same: 1.0, name: 'b', added: 2, flag: false }, 'new.json': { y: 'z' } },
    );
    assert.deepEqual(result, {
      'm.json': {
        acc: { old: 0.5, new: 0.75, diff: 0.25 },
        added: { old: null, new: 2 },
        flag: { old: true, new: false, diff: -1 },
        gone: { old: 3, new: null },
        name: { old: 'a', new: 'b' },
      },
      'new.json': { y: { old: null, new: 'z' } },
      'old.json': { x: { old: 1, new: null } },
    });
  });

  it('with all, keeps unchanged keys (diff 0) and treats 1 == 1.0 == True like Python', () => {
    const result = diffValues({ f: { a: 1, b: true, l: [1, 2] } }, { f: { a: 1, b: 1, l: [1, 2] } }, { all: true });
    assert.deepEqual(result, { f: { a: { old: 1, new: 1, diff: 0 }, b: { old: true, new: 1, diff: 0 }, l: { old: [1, 2], new: [1, 2] } } });
    assert.deepEqual(diffValues({ f: { a: 1, b: true } }, { f: { a: 1, b: 1 } }), {});
  });

  it('NaN never equals itself, as in Python', () => {
    const result = diffValues({ f: { a: NaN } }, { f: { a: NaN } });
    assert.ok(Number.isNaN(result.f.a.diff));
  });
});

describe('Markdown and directions', () => {
  it('escapes file-derived text so it cannot break the table or inject markup', () => {
    assert.equal(mdCell('a|b<script>\nx'), 'a\\|b\\<script\\> x');
    const md = diffToMarkdown(
      { 'm.json': { loss: { old: 0.5, new: 0.4, diff: -0.1 }, acc: { old: 0.5, new: 0.4, diff: -0.1 } } },
      'main',
      'exp',
      { kind: 'metrics' },
    );
    assert.match(md, /\| m\.json \| loss \| 0\.5 \| 0\.4 \| ▼ -0\.1 ✅ \|/);
    assert.match(md, /\| m\.json \| acc \| 0\.5 \| 0\.4 \| ▼ -0\.1 ❌ \|/);
  });

  it('names with loss/error/latency/time/rmse/mae are lower-is-better; overrides win', () => {
    assert.equal(directionOf('train.loss'), 'lower');
    assert.equal(directionOf('val_rmse'), 'lower');
    assert.equal(directionOf('latency_ms'), 'lower');
    assert.equal(directionOf('accuracy'), 'higher');
    assert.equal(directionOf('accuracy', { accuracy: 'lower' }), 'lower');
    assert.equal(verdictOf('loss', 0.1), 'worse');
    assert.equal(verdictOf('acc', 0), 'same');
    assert.equal(verdictOf('acc', undefined), 'n/a');
  });

  it('expands metric-direction globs from settings: * within a dotted segment, ** across, first match wins', () => {
    const keys = ['loss', 'train.loss', 'train.val.loss', 'acc', 'a.b'];
    assert.deepEqual(directionsFor(keys, { '**.loss': 'higher', loss: 'higher', 'a.*': 'lower', 'train.*': 'lower' }), {
      'train.loss': 'higher',
      'train.val.loss': 'higher',
      loss: 'higher',
      'a.b': 'lower',
    });
    assert.deepEqual(directionsFor(keys, { 'train.*': 'lower' }), { 'train.loss': 'lower' });
    assert.deepEqual(directionsFor(keys, {}), {});
  });
});
