import { strict as assert } from 'node:assert';
import { averageRanks, pearson, rankCorrelations, spearman } from '../../../src/core/expTable/correlation';

describe('rank correlation (Experiments table charts)', () => {
  it('ranks with ties sharing the mean of their ranks', () => {
    assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
    assert.deepEqual(averageRanks([]), []);
    assert.deepEqual(averageRanks([7, 7, 7]), [2, 2, 2]);
  });

  it('is 1 for any increasing relation and -1 for any decreasing one, however unlinear', () => {
    const lr = [0.0001, 0.001, 0.01, 0.1, 1];
    assert.equal(
      spearman(
        lr,
        lr.map((x) => Math.log10(x) ** 3),
      ),
      1,
    );
    assert.equal(
      spearman(
        lr,
        lr.map((x) => -Math.exp(x * 10)),
      ),
      -1,
    );
    // Pearson of an exponential is far from 1: that is why ranks are used.
    const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.ok(pearson(steps, steps.map(Math.exp))! < 0.75);
    assert.equal(spearman(steps, steps.map(Math.exp)), 1);
  });

  it('with ties, equals Pearson of the averaged ranks (worked out by hand: 0.7537023463…)', () => {
    const rho = spearman([1, 2, 2, 3, 4, 5], [2, 1, 4, 3, 6, 5]);
    assert.ok(Math.abs(rho! - 0.753702346348183) < 1e-12, String(rho));
  });

  it('is undefined for a constant column or too few pairs', () => {
    assert.equal(spearman([1, 1, 1], [1, 2, 3]), null);
    assert.equal(pearson([1], [2]), null);
    const [only] = rankCorrelations([1, 2], [{ column: 'p', values: [3, 4] }]);
    assert.deepEqual(only, { column: 'p', rho: null, n: 2 });
  });

  it('uses only rows where both values are finite numbers, and sorts by strength', () => {
    const metric = [0.1, 0.2, 0.3, 0.4, null, 0.6, NaN];
    const out = rankCorrelations(metric, [
      { column: 'weak', values: [1, 3, 2, 1, 5, 2, 1] },
      { column: 'down', values: [9, 8, 7, 6, 5, 4, 3] },
      { column: 'up', values: [1, 2, 3, 4, 5, null, 7] },
      { column: 'flat', values: [1, 1, 1, 1, 1, 1, 1] },
    ]);
    assert.deepEqual(
      out.map((e) => e.column),
      ['down', 'up', 'weak', 'flat'],
    );
    assert.equal(out[0].rho, -1);
    assert.equal(out[0].n, 5);
    assert.equal(out[1].rho, 1);
    assert.equal(out[1].n, 4, 'the row without the param and the NaN metric are left out');
    assert.equal(out[3].rho, null);
  });
});
