import { parseArgs } from 'node:util';
import { printedDiff } from '../core/diff/diff';
import { dvcComparison } from '../core/workspace/compare';
import { revisionLabel, WORKSPACE } from '../core/workspace/revision';
import { diffToMarkdown } from '../core/diff/markdown';
import { verdictOf, type Direction } from '../core/diff/direction';
import { formatDiffValue } from '../core/diff/format';
import { resolveIndexed, UsageError, type Context } from './context';
import { renderTable } from './table';

export const DIFF_USAGE = (
  kind: string,
) => `Usage: lineage ${kind} diff [A] [B] [--json | --md] [--all]${kind === 'metrics' ? ' [--fail-if-worse KEY]... [--lower-is-better KEY]...' : ''}

Compares ${kind} of revision A (default HEAD) with B (default the workspace), like
\`dvc ${kind} diff\`: same keys, same JSON shape {file: {key: {old, new, diff}}}.
A and B are branches, tags, experiment names, commits or "workspace", or MLflow/W&B runs:
mlflow:<run id>, wandb:<run id> or <source>:<experiment>/<run name> (see lineage runs).

  --json                  print DVC's JSON
  --md                    print a Markdown table for a pull-request comment
  --all                   include unchanged keys${
    kind === 'metrics'
      ? `
  --fail-if-worse KEY     exit 1 when KEY got worse (direction by name: loss/error/time... lower is better)
  --lower-is-better KEY   treat KEY as lower-is-better
  --higher-is-better KEY  treat KEY as higher-is-better`
      : ''
  }
`;

export async function diffCommand(ctx: Context, kind: 'metrics' | 'params', argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      md: { type: 'boolean' },
      all: { type: 'boolean' },
      'fail-if-worse': { type: 'string', multiple: true },
      'lower-is-better': { type: 'string', multiple: true },
      'higher-is-better': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 2) throw new UsageError(`${kind} diff takes at most two revisions, got ${positionals.length}`);
  if (opts.json && opts.md) throw new UsageError('--json and --md cannot be combined');
  const texts = [positionals[0] ?? 'HEAD', positionals[1] ?? WORKSPACE];
  const [a, b] = await resolveIndexed(ctx, texts);
  const { result, json, problems } = await dvcComparison(ctx.ws, a, b, kind, Boolean(opts.all));
  const directions: Record<string, Direction> = {};
  for (const k of opts['lower-is-better'] ?? []) directions[k] = 'lower';
  for (const k of opts['higher-is-better'] ?? []) directions[k] = 'higher';
  const [la, lb] = [revisionLabel(a), revisionLabel(b)];
  for (const p of [...problems[0].map((p) => ({ ...p, rev: la })), ...problems[1].map((p) => ({ ...p, rev: lb }))]) {
    process.stderr.write(`warning: ${p.path} at ${p.rev}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}\n`);
  }
  // Python's json.dumps as DVC's ui.write_json prints it, NaN and Infinity bare as DVC writes them.
  if (opts.json) process.stdout.write(json + '\n');
  else if (opts.md) process.stdout.write(diffToMarkdown(result, la, lb, { kind, directions }));
  else {
    const show = (v: unknown) => formatDiffValue(v, kind);
    const rows = Object.entries(result).flatMap(([path, keys]) =>
      Object.entries(keys).map(([key, d]) => [path, key, show(d.old), show(d.new), d.diff === undefined ? '—' : show(printedDiff(d))]),
    );
    process.stdout.write(
      rows.length === 0
        ? `No ${kind} changed between ${la} and ${lb}.\n`
        : renderTable(['Path', kind === 'metrics' ? 'Metric' : 'Param', la, lb, 'Change'], rows),
    );
  }
  let failed = false;
  for (const key of opts['fail-if-worse'] ?? []) {
    const hit = Object.values(result)
      .map((keys) => keys[key])
      .find(Boolean);
    if (hit && verdictOf(key, hit.diff, directions) === 'worse') {
      process.stderr.write(
        `lineage: ${key} got worse: ${formatDiffValue(hit.old, kind)} -> ${formatDiffValue(hit.new, kind)} (${la} -> ${lb})\n`,
      );
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
