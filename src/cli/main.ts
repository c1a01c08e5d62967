import { resolve } from 'node:path';
import { GitError, StoreError, storeFault } from '../core/workspace/errors';
import { openContext, UsageError } from './context';
import { indexCommand, INDEX_USAGE } from './indexCommand';
import { showCommand, SHOW_USAGE } from './showCommand';
import { diffCommand, DIFF_USAGE } from './diffCommand';
import { logCommand, LOG_USAGE } from './logCommand';
import { expsCommand, EXPS_USAGE } from './expsCommand';
import { statusCommand, STATUS_USAGE } from './statusCommand';
import { reproCommand, REPRO_USAGE } from './reproCommand';
import { envCommand, ENV_USAGE } from './envCommand';
import { runsCommand, RUNS_USAGE } from './runsCommand';
import { lineageCommand, LINEAGE_USAGE } from './lineageCommand';
import { registryCommand, REGISTRY_HELP } from './registryCommand';
import { guardTerminalOutput } from './terminal';

const USAGE = `Usage: lineage [--repo DIR] [--store FILE] [--no-index] <command> [options]

Experiments, metrics and params from DVC pipelines, DVCLive and Git history, from one
local index (<git dir>/lineage/index.sqlite, shared with the ML Lineage editor extension).

Commands:
  index                 bring the index up to date (incremental)
  show [REV...]         metrics (or --params) at revisions; -a/-T/-A: all branches, tags, commits
  metrics diff [A] [B]  metric changes between two revisions (default HEAD vs workspace)
  params diff [A] [B]   param changes between two revisions
  log --metric KEY      one metric along a branch's history
  exps                  DVC experiments by baseline, with params and metrics (--json as dvc exp show)
  status [STAGE...]     which pipeline stages are out of date (like dvc status)
  repro [STAGE...]      reproduce pipeline stages and write dvc.lock (like dvc repro)
  env [REV]             the environment recorded for the stages of a revision
  runs                  MLflow and W&B runs in the workspace, with their commits
  lineage MODEL[@V|#S]  the lineage card of a model version: code, data, params, metrics, environment
  registry [MODEL]      models, versions and stages from Git tags (GTO's format; --json as gto show)
  register ART [REV]    register a model version (next semver, or --version)
  assign ART[@V] STAGE  promote a version to a stage or alias (unassigns the previous holder)
  unassign ART@V STAGE  remove a stage from a version
  rollback ART STAGE    give a stage back to the version that held it before
  deprecate ART         deprecate a model
  demo-repo DIR         write the demo ML repository to DIR

Every command accepts --help. Exit codes: 0 success, 1 a failed check (--fail-if-worse,
a failed stage, status -q with changes), 2 bad usage or input.
`;

const HELP: Record<string, string> = { index: INDEX_USAGE, show: SHOW_USAGE, 'metrics diff': DIFF_USAGE('metrics'), 'params diff': DIFF_USAGE('params'), log: LOG_USAGE, exps: EXPS_USAGE, status: STATUS_USAGE, repro: REPRO_USAGE, env: ENV_USAGE, runs: RUNS_USAGE, lineage: LINEAGE_USAGE, ...REGISTRY_HELP, 'demo-repo': 'Usage: lineage demo-repo DIR\n\nWrites the demo ML project (a Git repository with a DVC pipeline, experiments and tags) to DIR.\n' };

export async function main(argv: string[]): Promise<number> {
  const global: { repo?: string; store?: string; index: boolean } = { index: true };
  if (argv.includes('--debug')) { debug = true; argv = argv.filter((a) => a !== '--debug'); }
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repo' || a === '--store') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--repo') global.repo = v; else global.store = v;
    } else if (a.startsWith('--repo=')) global.repo = a.slice(7);
    else if (a.startsWith('--store=')) global.store = a.slice(8);
    else if (a === '--no-index') global.index = false;
    else break;
  }
  let command = argv[i];
  let rest = argv.slice(i + 1);
  if (command === 'metrics' || command === 'params') {
    if (rest[0] === '--help' || rest[0] === '-h') {
      process.stdout.write(HELP[`${command} diff`]);
      return 0;
    }
    if (rest[0] !== 'diff') throw new UsageError(`unknown command "${[command, ...rest.slice(0, 1)].join(' ')}" (did you mean "${command} diff"?)`);
    command = `${command} diff`;
    rest = rest.slice(1);
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    process.stdout.write('0.1.0\n');
    return 0;
  }
  if (!(command in HELP)) throw new UsageError(`unknown command "${command}" (lineage --help lists them)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP[command]);
    return 0;
  }
  if (command === 'demo-repo') {
    if (rest.length !== 1) throw new UsageError('demo-repo takes one folder');
    const { generateDemoRepo } = await import('../demo/demoRepo');
    const info = await generateDemoRepo(resolve(rest[0]));
    process.stdout.write(`Demo repository written to ${info.dir}: ${info.commitCount} commits, ${info.branches.length} branches, ${info.tags.length} tags, ${info.expRefs.length} experiments.\n`);
    return 0;
  }
  if (command in REGISTRY_HELP) return await registryCommand(command, rest, global.repo);
  const ctx = await openContext({ repo: global.repo, store: global.store, rebuild: command === 'index' && rest.includes('--rebuild') });
  try {
    if (command === 'index') return await indexCommand(ctx, rest);
    // status and repro read the workspace files themselves; the index is not needed first.
    if (global.index && command !== 'status' && command !== 'repro') await import('./context').then((m) => m.refresh(ctx));
    switch (command) {
      case 'show': return await showCommand(ctx, rest);
      case 'metrics diff': return await diffCommand(ctx, 'metrics', rest);
      case 'params diff': return await diffCommand(ctx, 'params', rest);
      case 'log': return await logCommand(ctx, rest);
      case 'exps': return await expsCommand(ctx, rest);
      case 'status': return await statusCommand(ctx, rest);
      case 'repro': return await reproCommand(ctx, rest);
      case 'env': return await envCommand(ctx, rest);
      case 'runs': return await runsCommand(ctx, rest);
      case 'lineage': return await lineageCommand(ctx, rest);
    }
    return 2;
  } catch (error) {
    // A full disk, an I/O error or a damaged page: said as such, naming the index file.
    throw storeFault(error, ctx.storeFile);
  } finally {
    ctx.ws.close();
  }
}

/** `--debug` (anywhere on the line) or LINEAGE_DEBUG=1: internal errors print their stack. */
let debug = process.env.LINEAGE_DEBUG === '1';

/**
 * Errors a user can act on become one line on stderr and exit 2. Anything else is a bug: also
 * one line and exit 2 (the documented codes stay 0/1/2), with the stack under --debug.
 */
export function reportError(error: unknown): number {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UsageError || error instanceof StoreError || error instanceof GitError) {
    process.stderr.write(`lineage: ${oneLine(error.message)}\n`);
    return 2;
  }
  if (error instanceof Error && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lineage: ${oneLine(error.message)} (see --help)\n`);
    return 2;
  }
  if (debug) process.stderr.write(`lineage: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  else process.stderr.write(`lineage: internal error: ${oneLine(error instanceof Error ? error.message : String(error))} (rerun with --debug for the stack)\n`);
  return 2;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  // Every command's --json is its whole stdout; anything else written is for a person.
  guardTerminalOutput({ json: argv.includes('--json') });
  main(argv).then((code) => { process.exitCode = code; }, (error) => { process.exitCode = reportError(error); });
}
