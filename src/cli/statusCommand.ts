import { parseArgs } from 'node:util';
import { dvcStatusLines, stageStatuses, toDvcStatusJson } from '../core/repro/status';
import { createReproIO } from '../core/repro/reproIO';
import type { StageStatus } from '../core/repro/types';
import { UsageError, type Context } from './context';

export const STATUS_USAGE = `Usage: lineage status [STAGE...] [--json] [-q]

Which pipeline stages are out of date, decided as \`dvc status\` decides it: changed deps,
params, outs (including "not in cache") and commands. Works without DVC installed.
--json prints the shape of \`dvc status --json\`. -q prints nothing and exits 1 when a
stage is out of date.
`;

function statusText(stages: StageStatus[]): string {
  const lines: string[] = [];
  for (const s of stages) if (!s.upToDate) lines.push(`${s.address}:`, ...dvcStatusLines(s.changes));
  return lines.length ? lines.join('\n') + '\n' : 'Data and pipelines are up to date.\n';
}

export async function statusCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } } });
  const io = createReproIO(ctx.repo.root, ctx.store);
  const report = await stageStatuses(ctx.repo.root, io, { targets: positionals });
  const unknown = report.problems.find((p) => p.message.includes('not found in any dvc.yaml'));
  if (unknown) throw new UsageError(unknown.message);
  for (const p of report.problems) process.stderr.write(`lineage: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.stage ? `stage '${p.stage}': ` : ''}${p.message}\n`);
  const changed = report.stages.some((s) => !s.upToDate);
  if (opts.quiet) return changed ? 1 : 0;
  process.stdout.write(opts.json ? JSON.stringify(toDvcStatusJson(report.stages)) + '\n' : statusText(report.stages));
  return 0;
}
