import { keyGlobToRegExp } from '../util/glob';

/** Whether a bigger value of a metric is good news. */
export type Direction = 'higher' | 'lower';

const LOWER_IS_BETTER = /(loss|error|err\b|latency|time|rmse|mae|mse|perplexity|duration)/i;

/** Default direction by name; an explicit map (settings, CLI flags) wins by exact key. */
export function directionOf(key: string, overrides: Record<string, Direction> = {}): Direction {
  if (overrides[key]) return overrides[key];
  const leaf = key.slice(key.lastIndexOf('.') + 1);
  return LOWER_IS_BETTER.test(leaf) || LOWER_IS_BETTER.test(key) ? 'lower' : 'higher';
}

export type Verdict = 'better' | 'worse' | 'same' | 'n/a';

export function verdictOf(key: string, change: number | bigint | undefined, overrides: Record<string, Direction> = {}): Verdict {
  const diff = change === undefined ? undefined : Number(change);
  if (diff === undefined || Number.isNaN(diff)) return 'n/a';
  if (diff === 0) return 'same';
  const up = diff > 0;
  return (directionOf(key, overrides) === 'higher') === up ? 'better' : 'worse';
}

/**
 * Settings hold globs (`**.loss`), the diff takes exact keys: expands the globs against the
 * keys of one comparison; the first matching glob wins, in settings order.
 */
export function directionsFor(keys: Iterable<string>, globs: Record<string, Direction>): Record<string, Direction> {
  const compiled = Object.entries(globs).map(([g, d]) => [keyGlobToRegExp(g), d] as const);
  const out: Record<string, Direction> = {};
  if (compiled.length === 0) return out;
  for (const key of keys) {
    const hit = compiled.find(([re]) => re.test(key));
    if (hit) out[key] = hit[1];
  }
  return out;
}
