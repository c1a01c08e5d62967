import { parseArgs } from 'node:util';
import { formatValue } from '../core/diff/format';
import { listExperiments, getRevision } from '../core/query/revisions';
import { valuesAt } from '../core/query/values';
import { resolveIndexed } from './revisionArgs';
import type { Context } from './context';
import { renderTable } from './table';

export const EXPS_USAGE = `Usage: lineage exps [--baseline REV] [--json]

DVC experiments (refs/exps) grouped by baseline commit, with their metrics.
`;

export async function expsCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({ args: argv, strict: true, options: { baseline: { type: 'string' }, json: { type: 'boolean' } } });
  const baseline = opts.baseline ? (await resolveIndexed(ctx, [opts.baseline]))[0] : undefined;
  const exps = listExperiments(ctx.store, baseline);
  const withMetrics = exps.map((e) => ({ ...e, metrics: valuesAt(ctx.store, e.sha, 'metrics').values }));
  if (opts.json) {
    process.stdout.write(JSON.stringify(withMetrics, null, 2) + '\n');
    return 0;
  }
  if (exps.length === 0) {
    process.stdout.write(baseline ? `No experiments on ${opts.baseline}.\n` : 'No DVC experiments (refs/exps) in this repository.\n');
    return 0;
  }
  const keys = [...new Set(withMetrics.flatMap((e) => Object.values(e.metrics).flatMap((m) => Object.keys(m))))].slice(0, 4);
  const rows: string[][] = [];
  let current = '';
  for (const e of withMetrics) {
    if (e.baseline !== current) {
      current = e.baseline;
      const base = getRevision(ctx.store, e.baseline);
      rows.push([`${e.baseline.slice(0, 7)}`, base ? `(baseline) ${base.subject}` : '(baseline)', ...keys.map(() => '')]);
    }
    const flat = Object.assign({}, ...Object.values(e.metrics)) as Record<string, unknown>;
    rows.push([`  ${e.name}`, e.sha.slice(0, 7), ...keys.map((k) => formatValue(flat[k]))]);
  }
  process.stdout.write(renderTable(['Experiment', 'Commit', ...keys], rows));
  return 0;
}
