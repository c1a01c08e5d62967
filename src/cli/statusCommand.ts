import { parseArgs } from 'node:util';
import { dvcStatusLines, pipelineStatus, toDvcStatusJson } from '../core/workspace/repro';
import { formatProblem, type ReproProblem, type StageStatus } from '../core/repro/types';
import { UsageError, type Context } from './context';

export const STATUS_USAGE = `Usage: lineage status [STAGE...] [--json] [-q]

Which pipeline stages are out of date, decided as \`dvc status\` decides it: changed deps,
params, outs (including "not in cache") and commands. Works without DVC installed.
--json prints the shape of \`dvc status --json\`. -q prints nothing and exits 1 when a
stage is out of date.
A pipeline that cannot be evaluated (a dvc.yaml, dvc.lock or params file that does not
parse, an unknown key, an undefined \`\${var}\`, an out the ownership rule refuses) is an
error: each problem is printed to stderr with file, line and column, --json prints
{"error": {...}} instead of the statuses, and the exit code is 2 (also with -q).
`;

function statusText(stages: StageStatus[]): string {
  const lines: string[] = [];
  for (const s of stages) if (!s.upToDate) lines.push(`${s.address}:`, ...dvcStatusLines(s.changes));
  return lines.length ? lines.join('\n') + '\n' : 'Data and pipelines are up to date.\n';
}

export async function statusCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
  });
  const report = await pipelineStatus(ctx.ws, { targets: positionals });
  const unknown = report.problems.find((p) => p.kind === 'unknown-target');
  if (unknown) throw new UsageError(unknown.message);
  if (report.problems.length) {
    // Never a reassuring answer over a failure: the statuses of the other stages are not shown.
    for (const p of report.problems) process.stderr.write(`lineage: ERROR: ${formatProblem(p)}\n`);
    if (opts.json && !opts.quiet) process.stdout.write(JSON.stringify(problemsJson(report.problems)) + '\n');
    return 2;
  }
  const changed = report.stages.some((s) => !s.upToDate);
  if (!opts.quiet) for (const n of report.notes) process.stderr.write(`lineage: note: ${n}\n`);
  if (opts.quiet) return changed ? 1 : 0;
  process.stdout.write(opts.json ? JSON.stringify(toDvcStatusJson(report.stages)) + '\n' : statusText(report.stages));
  return 0;
}

/** The --json form of a failure: one error object, each problem with where it is. */
export function problemsJson(problems: ReproProblem[]): { error: { type: string; msg: string; problems: ReproProblem[] } } {
  const refused = problems.every((p) => p.kind === 'refused');
  return {
    error: {
      type: refused ? 'PipelineRefused' : 'PipelineInvalid',
      msg: formatProblem(problems[0]) + (problems.length > 1 ? ` (+${problems.length - 1} more)` : ''),
      problems,
    },
  };
}
