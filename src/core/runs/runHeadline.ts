import type { ExternalRun } from './types';

// Metric names that usually say how good a model is, best first; counters never headline.
const QUALITY = [
  /(^|[._/])(val_?|eval_?|test_?)?(acc|accuracy)$/i,
  /(^|[._/])(f1|auc|roc_auc|map|r2|score)$/i,
  /(^|[._/])(val_?|eval_?)?(loss|rmse|mae|error)$/i,
];
const COUNTER = /(^|[._/])(_?step|_?steps|epoch|epochs|_?timestamp|_?runtime|time|n_samples|count)$/i;

/**
 * The metric keys a list of runs is best summarised by: quality-like names first, then the
 * keys most runs share; W&B's internal `_step`/`_runtime` and counters only as a last resort.
 */
export function headlineKeys(runs: Pick<ExternalRun, 'metrics'>[], limit: number, preferred?: string): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) for (const key of Object.keys(run.metrics)) counts.set(key, (counts.get(key) ?? 0) + 1);
  const rank = (key: string) => {
    const quality = QUALITY.findIndex((p) => p.test(key));
    return [
      key === preferred ? 0 : 1,
      quality >= 0 ? quality : QUALITY.length,
      COUNTER.test(key) || key.startsWith('_') ? 1 : 0,
      -(counts.get(key) ?? 0),
    ];
  };
  const keys = [...counts.keys()].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return a.localeCompare(b);
  });
  return keys.slice(0, limit);
}

/** One run's headline metric: the configured key when it has it, else its best-ranked key. */
export function headlineOf(run: Pick<ExternalRun, 'metrics'>, preferred?: string): { key: string; value: number } | undefined {
  const [key] = headlineKeys([run], 1, preferred);
  return key === undefined ? undefined : { key, value: run.metrics[key] };
}
