import { parseArgs } from 'node:util';
import { formatValue } from '../core/diff/format';
import { headlineKeys } from '../core/runs/runHeadline';
import { run, runs as listRuns, runsAtCommit, runSourceProblems, syncWorkspaceRuns } from '../core/workspace/runs';
import { isServerUri, normalizeServerUrl } from '../core/runs/serverUrl';
import type { ExternalRun, RunSourceKind } from '../core/runs/types';
import { resolveIndexed, UsageError, type Context } from './context';
import { MLFLOW_LIMIT_OPTIONS, MLFLOW_LIMITS_HELP, mlflowLimitsFromFlags } from './mlflowLimitFlags';
import { renderTable } from './table';

export const RUNS_USAGE = `Usage: lineage runs [--source mlflow|wandb] [--experiment NAME] [--commit REV] [--json] [--mlflow-uri URL]

MLflow and Weights & Biases runs found in the workspace (mlruns/, mlflow.db, wandb/ and
.wandb/ folders, sub-projects too), newest first, with the commit each was run from.
Compare runs with \`lineage metrics diff mlflow:<run id> wandb:<run id>\` (or a commit).

  --source S         only mlflow or wandb runs
  --experiment NAME  only runs of this MLflow experiment (name or id) or W&B project
  --commit REV       only runs made from this commit (branch, tag, sha...)
  --json             print the runs in full (params, metrics, series, tags, environment);
                     NaN and infinite values are written as the strings "NaN", "Infinity", "-Infinity"
  --mlflow-uri URL   also read an MLflow tracking server (default: MLFLOW_TRACKING_URI when it
                     is http(s)); its token is taken from MLFLOW_TRACKING_TOKEN
${MLFLOW_LIMITS_HELP}`;

export async function runsCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({
    args: argv,
    strict: true,
    options: {
      source: { type: 'string' },
      experiment: { type: 'string' },
      commit: { type: 'string' },
      json: { type: 'boolean' },
      'mlflow-uri': { type: 'string' },
      ...MLFLOW_LIMIT_OPTIONS,
    },
  });
  if (opts.source !== undefined && opts.source !== 'mlflow' && opts.source !== 'wandb')
    throw new UsageError(`--source ${opts.source}: expected mlflow or wandb`);
  const source = opts.source as RunSourceKind | undefined;
  const limits = mlflowLimitsFromFlags(opts);
  const uri = opts['mlflow-uri'] ?? (isServerUri(process.env.MLFLOW_TRACKING_URI) ? process.env.MLFLOW_TRACKING_URI : undefined);
  if (uri !== undefined) {
    let url: string;
    try {
      url = normalizeServerUrl(uri);
    } catch (error) {
      throw new UsageError(`--mlflow-uri: ${(error as Error).message}`);
    }
    const report = await syncWorkspaceRuns(ctx.ws, { servers: [{ url, token: process.env.MLFLOW_TRACKING_TOKEN || undefined, limits }] });
    if (report.failed > 0)
      process.stderr.write(`warning: the tracking server ${url} could not be read; its runs are shown as last indexed (if ever)\n`);
  }
  let runs: ExternalRun[];
  if (opts.commit !== undefined) {
    const [revision] = await resolveIndexed(ctx, [opts.commit]);
    runs = runsAtCommit(ctx.ws, revision.id).filter(
      (r) =>
        (!source || r.source === source) && (!opts.experiment || r.experiment === opts.experiment || r.experimentId === opts.experiment),
    );
  } else {
    runs = listRuns(ctx.ws, { source, experiment: opts.experiment });
  }
  for (const p of runSourceProblems(ctx.ws).filter((x) => !source || x.kind === source)) {
    process.stderr.write(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  }
  if (opts.json) {
    const full = runs.map((r) => run(ctx.ws, r.source, r.id) ?? r);
    process.stdout.write(JSON.stringify(full, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(
      opts.commit !== undefined
        ? `No runs were made from ${opts.commit}.\n`
        : `No ${source === 'mlflow' ? 'MLflow ' : source === 'wandb' ? 'W&B ' : 'MLflow or W&B '}runs found (looked for mlruns/, mlflow.db, wandb/ and .wandb/).\n`,
    );
    return 0;
  }
  const keys = headlineKeys(runs, 3);
  const rows = runs.map((r) => [
    r.source,
    r.experiment ?? r.experimentId ?? '—',
    r.name ? `${r.name} (${r.id.slice(0, 8)})` : r.id,
    r.status,
    r.git.commit ? r.git.commit.slice(0, 7) : 'unlinked',
    r.startTime !== null ? isoMinute(r.startTime) : '—',
    ...keys.map((k) => (k in r.metrics ? formatValue(r.metrics[k]) : '—')),
  ]);
  process.stdout.write(renderTable(['Source', 'Experiment', 'Run', 'Status', 'Commit', 'Started (UTC)', ...keys], rows));
  return 0;
}

function isoMinute(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 16).replace('T', ' ');
}
