import { parseArgs } from 'node:util';
import { recordedRuns, type RunRecord } from '../core/workspace/repro';
import { resolveIndexed, type Context } from './context';

export const ENV_USAGE = `Usage: lineage env [REV] [--json] [--packages]

The environment each pipeline stage ran in, for the stages whose outputs REV (default HEAD)
records in dvc.lock: commit and dirty state, command, Python and its packages (pip freeze),
Node, OS, CPU, GPUs, selected environment variables, start and end time and exit code.
Secrets are never recorded nor shown: variables named like KEY, TOKEN, SECRET, PASS, PAT,
AUTH…, credentials in URLs (https://***@host) and known token formats (ghp_…, hf_…) are
masked (README: "What is recorded, and what is redacted"). Recorded by \`lineage repro\`
and the editor's Reproduce tasks. REV "workspace" lists the most recent runs.
--packages lists every Python package instead of a count.
`;

function describe(run: RunRecord, packages: boolean): string[] {
  const e = run.env;
  const lines = [
    `  command:   ${run.cmd.replace(/\n/g, ' && ')}`,
    `  status:    ${run.status}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`,
    `  started:   ${new Date(run.startedAt).toISOString()}${run.endedAt ? `, took ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s` : ''}`,
    `  git:       ${e.git.head ? e.git.head.slice(0, 12) : 'no commit'}${e.git.branch ? ` on ${e.git.branch}` : ''}${e.git.dirty ? `, dirty (${(e.git.changed ?? []).slice(0, 5).join(', ')}${(e.git.changed?.length ?? 0) > 5 ? ', …' : ''})` : e.git.dirty === false ? ', clean' : ''}`,
  ];
  if (e.python) lines.push(`  python:    ${e.python.version} (${e.python.executable}), ${e.python.packages.length} packages`);
  if (e.python && packages) for (const p of e.python.packages) lines.push(`               ${p}`);
  lines.push(
    `  node:      ${e.node}`,
    `  os:        ${e.os.platform} ${e.os.release} ${e.os.arch} on ${e.os.hostname}`,
    `  cpu:       ${e.cpu.count} × ${e.cpu.model}, ${(e.cpu.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
  );
  lines.push(
    `  gpu:       ${e.gpus.length ? e.gpus.map((g) => `${g.name} (driver ${g.driver}, ${g.memory})`).join('; ') : 'none found (nvidia-smi absent or no GPU)'}`,
  );
  const vars = Object.entries(e.vars);
  if (vars.length)
    lines.push(`  variables: ${vars.map(([k, v]) => `${k}=${v.length > 60 ? v.slice(0, 57) + '…' : v}`).join('\n             ')}`);
  if (e.redacted.length) lines.push(`  redacted:  ${e.redacted.join(', ')}`);
  return lines;
}

export async function envCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, packages: { type: 'boolean' } },
  });
  const [revision] = await resolveIndexed(ctx, [positionals[0] ?? 'HEAD']);
  // The workspace has no recorded outputs of its own: the most recent runs stand for it.
  const found = recordedRuns(ctx.ws, revision.kind === 'workspace' ? 'recent' : revision.id);
  if (opts.json) {
    process.stdout.write(JSON.stringify(found, null, 2) + '\n');
    return 0;
  }
  if (found.length === 0) {
    process.stdout.write(
      `No recorded environment for ${positionals[0] ?? 'HEAD'}: no stage whose outputs it records was run by ML Lineage (run \`lineage repro\`).\n`,
    );
    return 0;
  }
  const out: string[] = [];
  for (const f of found) {
    out.push(
      `${f.project ? `${f.project}/dvc.yaml:` : ''}${f.stage}${f.match === 'head' ? ' (run at this commit; its outputs are not the ones recorded here)' : ''}`,
    );
    out.push(...describe(f.run, !!opts.packages), '');
  }
  process.stdout.write(out.join('\n'));
  return 0;
}
