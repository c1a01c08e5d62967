import { parseArgs } from 'node:util';
import type { IndexReport } from '../core/workspace/workspace';
import { indexProblems } from '../core/workspace/values';
import { refresh, type Context } from './context';

export const INDEX_USAGE = `Usage: lineage index [--rebuild] [--json] [--quiet] [--verbose]

Brings the index up to date: new commits, moved or deleted branches, tags and DVC
experiment refs, and the workspace. Only what changed since the last run is read.

  --rebuild   delete the index file first and index everything again
  --json      print the report as JSON
  --quiet     print nothing but errors
  --verbose   print progress to stderr
`;

export async function indexCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({
    args: argv,
    strict: true,
    options: { rebuild: { type: 'boolean' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, verbose: { type: 'boolean' } },
  });
  // The Git index's report; runs read alongside are summarised under --verbose.
  const {
    runs: _runs,
    runsError: _runsError,
    ...report
  } = await refresh(ctx, [], opts.verbose ? (m) => process.stderr.write(`${m}\n`) : undefined);
  const problems = indexProblems(ctx.ws);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ ...report, store: ctx.storeFile, driver: ctx.ws.driver, problems }, null, 2) + '\n');
  } else if (!opts.quiet) {
    process.stdout.write(summary(report, ctx, problems.length));
    for (const p of problems.slice(0, 20)) {
      process.stdout.write(
        `  ${p.path}${p.line ? `:${p.line}:${p.column ?? 1}` : ''} at ${p.firstSeen.slice(0, 7)}${p.revisions > 1 ? ` (+${p.revisions - 1} more revisions)` : ''}: ${p.message}\n`,
      );
    }
    if (problems.length > 20) process.stdout.write(`  ... and ${problems.length - 20} more (lineage index --json lists all)\n`);
  }
  return 0;
}

function summary(report: IndexReport, ctx: Context, problemCount: number): string {
  const lines = [
    `Indexed ${report.commitsIndexed} new commit${report.commitsIndexed === 1 ? '' : 's'} (${report.commitsWalked} walked), ${report.blobsParsed} files parsed, in ${(report.timings.totalMs / 1000).toFixed(2)} s.`,
    `Refs: +${report.refs.added} added, ${report.refs.moved} moved, ${report.refs.removed} removed. Workspace: ${report.workspaceFiles} files.`,
    `Index: ${ctx.storeFile} (${ctx.ws.driver}).`,
  ];
  for (const l of report.limitations) lines.push(`Note: ${l}`);
  if (problemCount > 0) lines.push(`${problemCount} file problem${problemCount === 1 ? '' : 's'} (the rest is indexed):`);
  return lines.join('\n') + '\n';
}
