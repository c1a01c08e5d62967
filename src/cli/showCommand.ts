import { parseArgs } from 'node:util';
import { formatDiffValue } from '../core/diff/format';
import { stringifyJson } from '../core/util/values';
import { metricsDocumentsAt, valuesAt } from '../core/query/values';
import { resolveIndexed, label } from './revisionArgs';
import type { Context } from './context';
import { WORKSPACE } from '../core/indexer/writeRevision';
import { renderTable } from './table';

export const SHOW_USAGE = `Usage: lineage show [REV...] [--params] [--json]

Metrics (or with --params, params) at each revision (default: the workspace).
--json prints the shape of \`dvc metrics show --json\`: {rev: {data: {file: {data: {...}}}}}.
`;

export async function showCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, params: { type: 'boolean' } } });
  const texts = positionals.length > 0 ? positionals : ['workspace'];
  const shas = await resolveIndexed(ctx, texts);
  const kind = opts.params ? 'params' : 'metrics';
  if (opts.json) {
    const out: Record<string, unknown> = {};
    shas.forEach((sha, i) => {
      // DVC names the workspace "" in `metrics show --json`.
      const name = sha === WORKSPACE ? '' : texts[i];
      if (kind === 'metrics') out[name] = { data: metricsDocumentsAt(ctx.store, sha, { exact: true }) };
      else out[name] = { data: Object.fromEntries(Object.entries(valuesAt(ctx.store, sha, 'params', { exact: true }).values).map(([p, data]) => [p, { data }])) };
    });
    // As DVC's --json (Python's json.dumps): big ints with all their digits, floats as repr;
    // NaN and Infinity stay null, as JSON has no such numbers.
    process.stdout.write(stringifyJson(out, { nonFinite: 'null', numbers: 'python', indent: 2 }) + '\n');
    return 0;
  }
  const rows: string[][] = [];
  shas.forEach((sha, i) => {
    const { values, problems } = valuesAt(ctx.store, sha, kind, { exact: true });
    const rev = label(texts[i], sha);
    for (const [path, keys] of Object.entries(values)) for (const [key, v] of Object.entries(keys)) rows.push([rev, path, key, formatDiffValue(v, kind)]);
    for (const p of problems) rows.push([rev, p.path, '!', `${p.message}${p.line ? ` (line ${p.line})` : ''}`]);
  });
  process.stdout.write(rows.length === 0 ? `No ${kind} found at ${texts.join(', ')}.\n` : renderTable(['Revision', 'Path', kind === 'metrics' ? 'Metric' : 'Param', 'Value'], rows));
  return 0;
}
