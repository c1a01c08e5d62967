import { strict as assert } from 'node:assert';
import { parseStepSeries, stepSeriesName } from '../../../src/core/formats/stepSeries';
import type { StepPoint } from '../../../src/core/formats/stepSeries';
import type { ParseResult } from '../../../src/core/data/types';

function value(r: ParseResult<StepPoint[]>): StepPoint[] {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

describe('parseStepSeries', () => {
  it('reads step and value', () => {
    assert.deepEqual(value(parseStepSeries('step\tacc\n0\t0.5\n1\t0.75\n', 'train/acc')), [
      { step: 0, value: 0.5 },
      { step: 1, value: 0.75 },
    ]);
  });

  it('reads the timestamp column and CRLF line ends', () => {
    assert.deepEqual(value(parseStepSeries('timestamp\tstep\tloss\r\n1700000000000\t0\t2.5\r\n1700000000100\t1\t1.25\r\n', 'loss')), [
      { step: 0, value: 2.5, timestamp: 1700000000000 },
      { step: 1, value: 1.25, timestamp: 1700000000100 },
    ]);
  });

  it('turns nan and inf into NaN and Infinity', () => {
    const points = value(parseStepSeries('step\tloss\n0\tnan\n1\tinf\n2\t-inf\n', 'loss'));
    assert.ok(Number.isNaN(points[0].value));
    assert.equal(points[1].value, Infinity);
    assert.equal(points[2].value, -Infinity);
  });

  it('falls back to the last column when the name does not match', () => {
    assert.deepEqual(value(parseStepSeries('step\tacc\n3\t0.9\n', 'value')), [{ step: 3, value: 0.9 }]);
  });

  it('skips rows whose value is not numeric, with a warning', () => {
    const r = parseStepSeries('step\tlabel\n0\tcat\n1\t2\n', 'label');
    assert.ok(r.ok);
    assert.deepEqual(r.value, [{ step: 1, value: 2 }]);
    assert.match(r.warnings?.[0] ?? '', /line 2/);
  });

  it('returns no points for an empty file and fails without a step column', () => {
    assert.deepEqual(value(parseStepSeries('', 'acc')), []);
    const r = parseStepSeries('epoch\tacc\n0\t1\n', 'acc');
    assert.ok(!r.ok);
    assert.equal(r.line, 1);
  });
});

describe('stepSeriesName', () => {
  it('names a series by its path under plots/metrics', () => {
    assert.equal(stepSeriesName('dvclive', 'dvclive/plots/metrics/train/acc.tsv'), 'train/acc');
    assert.equal(stepSeriesName('./results/live/', 'results/live/plots/metrics/loss.tsv'), 'loss');
    assert.equal(stepSeriesName('', 'plots/metrics/loss.tsv'), 'loss');
  });

  it('returns undefined for other files', () => {
    assert.equal(stepSeriesName('dvclive', 'dvclive/plots/metrics/acc.csv'), undefined);
    assert.equal(stepSeriesName('dvclive', 'other/plots/metrics/acc.tsv'), undefined);
    assert.equal(stepSeriesName('dvclive', 'dvclive/plots/images/acc.tsv'), undefined);
    assert.equal(stepSeriesName('dvclive', 'dvclive/plots/metrics/.tsv'), undefined);
  });
});
