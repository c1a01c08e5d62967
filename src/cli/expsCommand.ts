import { parseArgs } from 'node:util';
import { formatDiffValue } from '../core/diff/format';
import { expShow, revisionProblemOf, type ExpState, type FileResult } from '../core/workspace/experiments';
import type { Workspace } from '../core/workspace/workspace';
import { pyJsonDumps } from '../core/python/pyJson';
import { resolveIndexed, type Context } from './context';
import { renderTable } from './table';
import { terminalText, writeRaw } from './terminal';
import { UsageError } from './context';
import {
  DvcShowError,
  FilterTextError,
  openExperimentsTable,
  parseFilter,
  rowMarks,
  setRowMark,
  toCsv,
  toMarkdown,
  expShowRowsOf,
  expShowTable,
  type DvcShowSelection,
  type DvcTable,
  type Filter,
} from '../core/workspace/experimentsTable';

export const EXPS_USAGE = `Usage: lineage exps [--baseline REV] [--json]

DVC experiments (refs/exps) grouped by baseline commit: each baseline with its own metrics,
then its experiments, with their metrics and the params that differ between the rows.
Without --baseline, every baseline that has experiments is shown, newest first.
--json prints the rows of \`dvc exp show --json\`: the workspace, then each baseline as
{rev, name, data: {rev, timestamp, params, metrics}, error, experiments: [{revs, executor,
name}]}, params and metrics per file as {data: {...}} or {error: {type, msg}}. A revision DVC
cannot collect at all (a dvc.yaml, dvc.lock or params.yaml that does not parse, a stage that
does not validate) has data null and its error. DVC's deps, outs and meta are not included.

Usage: lineage exps show [-A | -a | -T | --rev REV... [-n NUM]] [--sort-by COL [--sort-order asc|desc]]
                         [--keep REGEX...] [--drop REGEX...] [--only-changed] [--precision N]
                         [--sha] [--hide-workspace] [--csv | --md | --json]
                         [--filter COND...] [--starred]

The table \`dvc exp show\` prints, from the index: the workspace, then each baseline (HEAD by
default; --rev and its -n first parents, -a every branch, -T every tag, -A every commit)
with its experiments, one column per metric and param (the key alone when no other file has
it, else file:key) and per stage dependency. --csv, --md and --json print what \`dvc exp show\`
prints with the same flags. --sort-by orders the experiments of each baseline by a metric or
param; --keep and --drop take regular expressions on column names; --only-changed drops the
columns that hold one value in every row. Rows you starred or annotated (in the editor's
Experiments table) get a ★ and a Note column in the text and --md tables.
Not in DVC: --filter COND keeps rows that meet a condition, such as
  --filter 'metrics:eval/metrics.json:accuracy >= 0.9'   --filter 'train.lr contains 0.0'
(ops: = != < <= > >= contains !contains; a column is named by id, file:key or key), and
--starred keeps starred rows; a baseline stays when one of its experiments does.

Usage: lineage exps mark ROW [--star | --unstar] [--note TEXT]

Stars a row of the Experiments table, or unstars it, and/or sets its note (--note '' clears
it). ROW is anything a revision can be named by: workspace, a branch, tag, experiment or
commit, or a run (mlflow:<id>, wandb:<id>). Kept in the index; a rebuild keeps them.
`;

export async function expsCommand(ctx: Context, argv: string[]): Promise<number> {
  if (argv[0] === 'show') return expsShowCommand(ctx, argv.slice(1));
  if (argv[0] === 'mark') return expsMarkCommand(ctx, argv.slice(1));
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
  const shown = baselines.flatMap((b) => [
    { row: b, label: b.name ?? b.rev.slice(0, 7), commit: `${b.rev.slice(0, 7)} (baseline)` },
    ...(b.experiments ?? []).map((e) => ({ row: e.revs[0], label: `  ${e.name}`, commit: e.revs[0].rev.slice(0, 7) })),
  ]);
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
    return [
      s.label,
      s.commit,
      ...metricKeys.map((k) => cell(metrics[i][k], 'metrics')),
      ...paramKeys.map((k) => cell(params[i][k], 'params')),
    ];
  });
  const table = renderTable(['Experiment', 'Commit', ...metricKeys, ...paramKeys], rows);
  return errors.length === 0 ? table : `${table}\nErrors:\n${errors.map((e) => `  ${e}`).join('\n')}\n`;
}

/** `-n -1`: a negative count is a value, not an option (parseArgs would refuse it). */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '-n' || argv[i] === '--num' || argv[i] === '--precision') && /^-\d+$/.test(argv[i + 1] ?? ''))
      out.push(`${argv[i] === '-n' ? '--num' : argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${name} takes a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** `lineage exps show`: dvc exp show's table from the index (see EXPS_USAGE). */
async function expsShowCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: joinNegativeValues(argv),
    strict: true,
    allowPositionals: true,
    options: {
      'all-commits': { type: 'boolean', short: 'A' },
      'all-branches': { type: 'boolean', short: 'a' },
      'all-tags': { type: 'boolean', short: 'T' },
      rev: { type: 'string', multiple: true },
      num: { type: 'string', short: 'n' },
      'sort-by': { type: 'string' },
      'sort-order': { type: 'string' },
      keep: { type: 'string', multiple: true },
      drop: { type: 'string', multiple: true },
      'only-changed': { type: 'boolean' },
      precision: { type: 'string' },
      sha: { type: 'boolean' },
      'hide-workspace': { type: 'boolean' },
      csv: { type: 'boolean' },
      md: { type: 'boolean' },
      json: { type: 'boolean' },
      // Accepted as DVC accepts them: there is no pager, and no queue of experiments to hide.
      'no-pager': { type: 'boolean' },
      'hide-queued': { type: 'boolean' },
      'hide-failed': { type: 'boolean' },
      force: { type: 'boolean', short: 'f' },
      filter: { type: 'string', multiple: true },
      starred: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`exps show takes no revisions as arguments (use --rev ${positionals[0]})`);
  const order = opts['sort-order'] ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new UsageError(`--sort-order is asc or desc, not ${JSON.stringify(order)}`);
  if ([opts.csv, opts.md, opts.json].filter(Boolean).length > 1)
    throw new UsageError('--csv, --md and --json are one output each: pick one');
  const revs = opts.rev
    ? (await resolveIndexed(ctx, opts.rev)).map((r) => {
        if (!('sha' in r)) throw new UsageError(`--rev ${r.text}: a baseline is a commit (not the workspace or a run)`);
        return r.sha;
      })
    : undefined;
  const selection: DvcShowSelection = {
    revs,
    num: integer('-n', opts.num),
    allBranches: opts['all-branches'],
    allTags: opts['all-tags'],
    allCommits: opts['all-commits'],
    hideWorkspace: opts['hide-workspace'],
    sha: opts.sha,
  };
  const keepRow = rowFilter(ctx, opts.filter ?? [], Boolean(opts.starred));
  if (opts.json) {
    let rows = await expShowRowsOf(ctx.ws, selection);
    if (keepRow) {
      // A baseline stays when it or one of its experiments is kept; experiments stay when kept themselves.
      const tipKept = (e: { revs: { rev: string }[] }) => keepRow(e.revs[0]?.rev ?? '');
      rows = rows
        .filter((r) => keepRow(r.rev) || r.experiments?.some(tipKept))
        .map((r) => {
          const kept = r.experiments?.filter(tipKept) ?? [];
          return { ...r, experiments: kept.length > 0 ? kept : null };
        });
    }
    process.stdout.write(pyJsonDumps(rows) + '\n');
    return 0;
  }
  let table: DvcTable;
  try {
    table = await expShowTable(ctx.ws, selection, {
      csv: opts.csv,
      precision: integer('--precision', opts.precision),
      sortBy: opts['sort-by'],
      sortOrder: order,
      keep: opts.keep,
      drop: opts.drop,
      onlyChanged: opts['only-changed'],
    });
  } catch (error) {
    if (error instanceof DvcShowError) throw new UsageError(error.message);
    throw error;
  }
  if (keepRow) {
    // A baseline stays when it or one of its experiments (the rows after it) is kept.
    const { revs: all, typ } = table;
    const shown = all.map((rev) => keepRow(rev));
    for (let i = all.length - 1, kept = false; i >= 0; i--) {
      if (typ[i] !== 'baseline') kept ||= shown[i];
      else {
        shown[i] ||= kept;
        kept = false;
      }
    }
    table = {
      ...table,
      rows: table.rows.filter((_, i) => shown[i]),
      revs: all.filter((_, i) => shown[i]),
      typ: typ.filter((_, i) => shown[i]),
    };
    closeTrees(table);
  }
  if (opts.csv) {
    // Python's csv ends lines with \r\n, which the terminal guard would show as \x0d: the
    // cells are escaped here instead and the file is written as it is.
    writeRaw(process.stdout, toCsv({ headers: table.headers.map(terminalText), rows: table.rows.map((r) => r.map(terminalText)) }));
    return 0;
  }
  // Stars and notes are this tool's own: shown only when a row has one, so the table is DVC's otherwise.
  const marks = rowMarks(ctx.ws);
  const marked = table.revs.some((rev) => marks.has(rev));
  const headers = marked ? ['★', ...table.headers, 'Note'] : table.headers;
  const rows = marked
    ? table.rows.map((r, i) => {
        const m = marks.get(table.revs[i]);
        return [m?.starred ? '★' : '', ...r, m?.note ?? ''];
      })
    : table.rows;
  if (opts.md) {
    process.stdout.write(toMarkdown({ headers, rows }));
    return 0;
  }
  if (rows.length > 0) process.stdout.write(renderTable(headers, rows));
  return 0;
}

/** After rows were left out: the last experiment shown under a baseline is its branch_base (└──), as DVC marks the last one. */
function closeTrees(table: DvcTable): void {
  const typCol = table.headers.indexOf('typ');
  const expCol = table.headers.indexOf('Experiment');
  table.typ.forEach((t, i) => {
    const last = i === table.typ.length - 1 || table.typ[i + 1] === 'baseline';
    if (t === 'baseline') return;
    const want = last ? 'branch_base' : 'branch_commit';
    table.typ[i] = want;
    if (typCol >= 0) table.rows[i][typCol] = want;
    if (expCol >= 0 && typCol < 0) table.rows[i][expCol] = table.rows[i][expCol].replace(/^(├──|└──) /, `${last ? '└──' : '├──'} `);
  });
}

/**
 * --filter and --starred as the Experiments table reads them (the same conditions, over the
 * index), as a test on a revision; undefined when neither is given.
 */
function rowFilter(ctx: Context, texts: string[], starred: boolean): ((rev: string) => boolean) | undefined {
  if (texts.length === 0 && !starred) return undefined;
  const columns = openExperimentsTable(ctx.ws, { allCommits: true, runs: false }).columns;
  let filters: Filter[];
  try {
    filters = texts.map((t) => parseFilter(t, columns));
  } catch (error) {
    if (error instanceof FilterTextError) throw new UsageError(`--filter: ${error.message}`);
    throw error;
  }
  const model = openExperimentsTable(ctx.ws, { allCommits: true, runs: false, filters, starredOnly: starred });
  const ids = new Set(
    model
      .outline(0, model.rowCount)
      .filter((r) => !r.context)
      .map((r) => r.id),
  );
  return (rev) => ids.has(rev);
}

/** `lineage exps mark`: a row's star and note (see EXPS_USAGE). */
async function expsMarkCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { star: { type: 'boolean' }, unstar: { type: 'boolean' }, note: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('exps mark takes one row (a revision or a run)');
  if (opts.star && opts.unstar) throw new UsageError('--star and --unstar: pick one');
  if (!opts.star && !opts.unstar && opts.note === undefined) throw new UsageError('exps mark needs --star, --unstar or --note TEXT');
  const [row] = await resolveIndexed(ctx, positionals);
  let mark;
  try {
    mark = setRowMark(ctx.ws, row.id, { starred: opts.star ? true : opts.unstar ? false : undefined, note: opts.note });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  process.stdout.write(`${row.id}: ${mark.starred ? '★ starred' : 'not starred'}${mark.note ? `, note: ${mark.note}` : ''}\n`);
  return 0;
}
