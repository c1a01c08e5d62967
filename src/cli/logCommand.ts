import { parseArgs } from 'node:util';
import { formatValue } from '../core/diff/format';
import { metricHistoryOf } from '../core/workspace/values';
import { resolveIndexed, UsageError, type Context } from './context';
import { renderTable } from './table';

export const LOG_USAGE = `Usage: lineage log --metric KEY [--branch REV] [--file PATH] [-n N] [--json]

The history of one metric along the first-parent chain of a branch (default HEAD),
newest first, with the commit that produced each value.
`;

export async function logCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      metric: { type: 'string' },
      branch: { type: 'string' },
      file: { type: 'string' },
      n: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
    },
  });
  if (!opts.metric) throw new UsageError('log needs --metric KEY (a dotted key such as train.loss)');
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (use --branch REV)`);
  const limit = opts.n === undefined ? 100000 : Number(opts.n);
  if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`-n ${opts.n}: expected a positive whole number`);
  const [tip] = await resolveIndexed(ctx, [opts.branch ?? 'HEAD']);
  const points = metricHistoryOf(ctx.ws, tip, opts.metric, { path: opts.file, limit });
  if (opts.json) {
    process.stdout.write(JSON.stringify(points, null, 2) + '\n');
    return 0;
  }
  const rows = points
    .filter((p) => p.values.length > 0)
    .map((p) => [
      p.sha.slice(0, 7),
      new Date(p.commitTime * 1000).toISOString().slice(0, 10),
      p.values.map((v) => formatValue(v.value)).join(', '),
      p.subject,
    ]);
  if (rows.length === 0) {
    process.stdout.write(`No values of ${opts.metric} along ${opts.branch ?? 'HEAD'} (${points.length} commits searched).\n`);
    return 0;
  }
  process.stdout.write(renderTable(['Commit', 'Date', opts.metric, 'Message'], rows));
  return 0;
}
