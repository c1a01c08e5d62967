import { parseArgs } from 'node:util';
import { diffValues, printedDiff, type DiffResult } from '../core/diff/diff';
import { diffToMarkdown } from '../core/diff/markdown';
import { verdictOf, type Direction } from '../core/diff/direction';
import { formatDiffValue } from '../core/diff/format';
import { pyStr } from '../core/formats/pyStr';
import { comparisonReader } from '../core/runs/runDiff';
import { stringifyJson } from '../core/util/values';
import { resolveIndexed, label } from './revisionArgs';
import { UsageError, type Context } from './context';
import { renderTable } from './table';

export const DIFF_USAGE = (kind: string) => `Usage: lineage ${kind} diff [A] [B] [--json | --md] [--all]${kind === 'metrics' ? ' [--fail-if-worse KEY]... [--lower-is-better KEY]...' : ''}

Compares ${kind} of revision A (default HEAD) with B (default the workspace), like
\`dvc ${kind} diff\`: same keys, same JSON shape {file: {key: {old, new, diff}}}.
A and B are branches, tags, experiment names, commits or "workspace", or MLflow/W&B runs:
mlflow:<run id>, wandb:<run id> or <source>:<experiment>/<run name> (see lineage runs).

  --json                  print DVC's JSON
  --md                    print a Markdown table for a pull-request comment
  --all                   include unchanged keys${kind === 'metrics' ? `
  --fail-if-worse KEY     exit 1 when KEY got worse (direction by name: loss/error/time... lower is better)
  --lower-is-better KEY   treat KEY as lower-is-better
  --higher-is-better KEY  treat KEY as higher-is-better` : ''}
`;

export async function diffCommand(ctx: Context, kind: 'metrics' | 'params', argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      json: { type: 'boolean' }, md: { type: 'boolean' }, all: { type: 'boolean' },
      'fail-if-worse': { type: 'string', multiple: true }, 'lower-is-better': { type: 'string', multiple: true }, 'higher-is-better': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 2) throw new UsageError(`${kind} diff takes at most two revisions, got ${positionals.length}`);
  if (opts.json && opts.md) throw new UsageError('--json and --md cannot be combined');
  const texts = [positionals[0] ?? 'HEAD', positionals[1] ?? 'workspace'];
  const [a, b] = await resolveIndexed(ctx, texts);
  // Either side may be an MLflow/W&B run (mlflow:<id>); its values line up with a commit's by key.
  // Exact values: an int past 2^53 compares, subtracts and prints with all its digits.
  const read = comparisonReader(ctx.store, a, b, { exact: true });
  const oldSide = read(a, kind);
  const newSide = read(b, kind);
  const result = diffValues(oldSide.values, newSide.values, { all: opts.all });
  const directions: Record<string, Direction> = {};
  for (const k of opts['lower-is-better'] ?? []) directions[k] = 'lower';
  for (const k of opts['higher-is-better'] ?? []) directions[k] = 'higher';
  const [la, lb] = [label(texts[0], a), label(texts[1], b)];
  for (const p of [...oldSide.problems.map((p) => ({ ...p, rev: la })), ...newSide.problems.map((p) => ({ ...p, rev: lb }))]) {
    process.stderr.write(`warning: ${p.path} at ${p.rev}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}\n`);
  }
  // DVC's format_dict prints list values as Python's str(): "['a', 'b']", not a JSON array.
  // Numbers as Python's json.dumps writes them (ui.write_json): big ints with all their
  // digits, floats as repr (1e-07, 1e+16). NaN and Infinity stay null (DVC writes them bare,
  // which is not JSON) so the output stays parseable.
  if (opts.json) process.stdout.write(stringifyJson(forJson(result), { nonFinite: 'null', numbers: 'python' }) + '\n');
  else if (opts.md) process.stdout.write(diffToMarkdown(result, la, lb, { kind, directions }));
  else {
    const show = (v: unknown) => formatDiffValue(v, kind);
    const rows = Object.entries(result).flatMap(([path, keys]) => Object.entries(keys).map(([key, d]) => [path, key, show(d.old), show(d.new), d.diff === undefined ? '—' : show(printedDiff(d))]));
    process.stdout.write(rows.length === 0 ? `No ${kind} changed between ${la} and ${lb}.\n` : renderTable(['Path', kind === 'metrics' ? 'Metric' : 'Param', la, lb, 'Change'], rows));
  }
  let failed = false;
  for (const key of opts['fail-if-worse'] ?? []) {
    const hit = Object.values(result).map((keys) => keys[key]).find(Boolean);
    if (hit && verdictOf(key, hit.diff, directions) === 'worse') {
      process.stderr.write(`lineage: ${key} got worse: ${formatDiffValue(hit.old, kind)} -> ${formatDiffValue(hit.new, kind)} (${la} -> ${lb})\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

/** Lists as Python's str(), and a float difference that came out integral as a float (0.0). */
function forJson(result: DiffResult): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, keys] of Object.entries(result)) {
    const file: Record<string, Record<string, unknown>> = {};
    for (const [key, d] of Object.entries(keys)) {
      const entry: Record<string, unknown> = { old: Array.isArray(d.old) ? pyStr(d.old) : d.old, new: Array.isArray(d.new) ? pyStr(d.new) : d.new };
      if (d.diff !== undefined) entry.diff = printedDiff(d);
      Object.defineProperty(file, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(out, path, { value: file, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
