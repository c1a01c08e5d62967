import { parseArgs } from 'node:util';
import { formatDiffValue } from '../core/diff/format';
import { expShow, revisionProblemOf, type ExpState, type FileResult } from '../core/workspace/experiments';
import type { Workspace } from '../core/workspace/workspace';
import { pyJsonDumps } from '../core/python/pyJson';
import { resolveIndexed, type Context } from './context';
import { renderTable } from './table';

export const EXPS_USAGE = `Usage: lineage exps [--baseline REV] [--json]

DVC experiments (refs/exps) grouped by baseline commit: each baseline with its own metrics,
then its experiments, with their metrics and the params that differ between the rows.
Without --baseline, every baseline that has experiments is shown, newest first.
--json prints the rows of \`dvc exp show --json\`: the workspace, then each baseline as
{rev, name, data: {rev, timestamp, params, metrics}, error, experiments: [{revs, executor,
name}]}, params and metrics per file as {data: {...}} or {error: {type, msg}}. A revision DVC
cannot collect at all (a dvc.yaml, dvc.lock or params.yaml that does not parse, a stage that
does not validate) has data null and its error. DVC's deps, outs and meta are not included.
`;

export async function expsCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({ args: argv, strict: true, options: { baseline: { type: 'string' }, json: { type: 'boolean' } } });
  const baseline = opts.baseline ? (await resolveIndexed(ctx, [opts.baseline]))[0] : undefined;
  const rows = await expShow(ctx.ws, baseline ? [baseline.id] : undefined);
  if (opts.json) {
    // Printed as DVC prints it when not on a terminal: Python's json.dumps.
    process.stdout.write(pyJsonDumps(rows) + '\n');
    return 0;
  }
  const baselines = rows.slice(1).filter((r) => r.experiments);
  if (baselines.length === 0) {
    process.stdout.write(baseline ? `No experiments on ${opts.baseline}.\n` : 'No DVC experiments (refs/exps) in this repository.\n');
    return 0;
  }
  process.stdout.write(expsTable(ctx.ws, baselines));
  return 0;
}

type Flat = Record<string, unknown>;

/** Dotted keys, as DVC's tables name nested values; mappings are Maps (Python's dicts). */
function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (value instanceof Map) for (const [k, v] of value) flatten(v, prefix ? `${prefix}.${String(k)}` : String(k), out);
  else if (prefix) out[prefix] = value;
  return out;
}

const merged = (files: Map<string, FileResult> | undefined): Flat =>
  [...(files?.values() ?? [])].reduce<Flat>((out, f) => ('data' in f ? flatten(f.data, '', out) : out), {});

/** Baselines and experiment tips; metric columns first, then params that differ between rows. */
function expsTable(ws: Workspace, baselines: ExpState[]): string {
  const shown = baselines.flatMap((b) => [{ row: b, label: b.name ?? b.rev.slice(0, 7), commit: `${b.rev.slice(0, 7)} (baseline)` },
    ...(b.experiments ?? []).map((e) => ({ row: e.revs[0], label: `  ${e.name}`, commit: e.revs[0].rev.slice(0, 7) }))]);
  const metrics = shown.map((s) => merged(s.row.data?.metrics));
  const params = shown.map((s) => merged(s.row.data?.params));
  const metricKeys = [...new Set(metrics.flatMap((m) => Object.keys(m)))].slice(0, 4);
  // Rows DVC cannot collect have no params: they do not make a column differ.
  const collected = params.filter((_, i) => shown[i].row.data);
  const varies = (k: string) => new Set(collected.map((p) => pyJsonDumps(p[k]))).size > 1;
  const paramKeys = [...new Set(params.flatMap((p) => Object.keys(p)))].filter(varies).slice(0, 4);
  const errors: string[] = [];
  const rows = shown.map((s, i) => {
    const name = s.label.trim();
    if (s.row.error) errors.push(`${name}: ${s.row.error.type}: ${revisionProblemOf(ws, s.row.rev)?.detail ?? s.row.error.msg}`);
    for (const [file, f] of [...(s.row.data?.metrics ?? []), ...(s.row.data?.params ?? [])]) {
      if ('error' in f) errors.push(`${name}: ${file}: ${f.error.type}: ${f.error.msg}`);
    }
    const cell = (v: unknown, kind: 'metrics' | 'params') => (s.row.error ? '!' : formatDiffValue(v, kind));
    return [s.label, s.commit, ...metricKeys.map((k) => cell(metrics[i][k], 'metrics')), ...paramKeys.map((k) => cell(params[i][k], 'params'))];
  });
  const table = renderTable(['Experiment', 'Commit', ...metricKeys, ...paramKeys], rows);
  return errors.length === 0 ? table : `${table}\nErrors:\n${errors.map((e) => `  ${e}`).join('\n')}\n`;
}
