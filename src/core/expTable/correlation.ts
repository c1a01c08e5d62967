// How strongly each param moves with a metric over the rows of the Experiments table: Spearman's
// rank correlation, so a param that helps monotonically but not linearly (a learning rate on a
// log scale) still scores high, and one outlier row cannot dominate. Pure.

/** 1-based ranks; tied values share the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's correlation; null when either side is constant (or fewer than two points). */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can push a perfect correlation a hair past 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's rho: Pearson's correlation of the ranks (ties averaged). */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  return pearson(averageRanks(xs), averageRanks(ys));
}

export interface RankCorrelation {
  column: string;
  rho: number | null;
  /** Rows where both values are finite numbers. */
  n: number;
}

/** Fewer pairs than this say nothing worth sorting by. */
export const MIN_PAIRS = 3;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The rank correlation of each column with the metric, over the rows where both are finite
 * numbers, strongest first (by |rho|); columns without a defined correlation come last, by name.
 */
export function rankCorrelations(
  metric: readonly (number | null)[],
  columns: readonly { column: string; values: readonly (number | null)[] }[],
): RankCorrelation[] {
  const out = columns.map(({ column, values }): RankCorrelation => {
    const xs: number[] = [];
    const ys: number[] = [];
    const n = Math.min(values.length, metric.length);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      const y = metric[i];
      if (finite(x) && finite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
    return { column, rho: xs.length >= MIN_PAIRS ? spearman(xs, ys) : null, n: xs.length };
  });
  return out.sort((a, b) => {
    if (a.rho === null || b.rho === null)
      return a.rho === null && b.rho === null ? a.column.localeCompare(b.column) : a.rho === null ? 1 : -1;
    return Math.abs(b.rho) - Math.abs(a.rho) || a.column.localeCompare(b.column);
  });
}
