import { resolve } from 'node:path';
import { GitError, StoreError, storeFault } from '../core/workspace/errors';
import { openContext, refresh, UsageError, type Context } from './context';
import { parseCommandLine, REGISTRY_COMMANDS } from './commandLine';

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
  exp run|save|apply|…  DVC experiments: run with -S params, save, apply, branch, remove, push/pull
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

/**
 * Each command's module, loaded when that command runs or its --help is asked. esbuild.mjs
 * builds this file once per bundle of commandLine.ts's COMMAND_BUNDLES, with
 * process.env.LINEAGE_CLI_BUNDLE replaced by the bundle's name: the conditions below then
 * leave every other command's code out of it, so a command starts with its own code only.
 */
interface CommandModule {
  usage: string;
  run: (ctx: Context, rest: string[]) => Promise<number>;
}
const COMMANDS: Record<string, () => Promise<CommandModule>> = {};
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'index')
  COMMANDS.index = () => import('./indexCommand').then((m) => ({ usage: m.INDEX_USAGE, run: m.indexCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'show')
  COMMANDS.show = () => import('./showCommand').then((m) => ({ usage: m.SHOW_USAGE, run: m.showCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'diff') {
  COMMANDS['metrics diff'] = () =>
    import('./diffCommand').then((m) => ({ usage: m.DIFF_USAGE('metrics'), run: (ctx, rest) => m.diffCommand(ctx, 'metrics', rest) }));
  COMMANDS['params diff'] = () =>
    import('./diffCommand').then((m) => ({ usage: m.DIFF_USAGE('params'), run: (ctx, rest) => m.diffCommand(ctx, 'params', rest) }));
}
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'log')
  COMMANDS.log = () => import('./logCommand').then((m) => ({ usage: m.LOG_USAGE, run: m.logCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'exps')
  COMMANDS.exps = () => import('./expsCommand').then((m) => ({ usage: m.EXPS_USAGE, run: m.expsCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'status')
  COMMANDS.status = () => import('./statusCommand').then((m) => ({ usage: m.STATUS_USAGE, run: m.statusCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'repro')
  COMMANDS.repro = () => import('./reproCommand').then((m) => ({ usage: m.REPRO_USAGE, run: m.reproCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'env')
  COMMANDS.env = () => import('./envCommand').then((m) => ({ usage: m.ENV_USAGE, run: m.envCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'runs')
  COMMANDS.runs = () => import('./runsCommand').then((m) => ({ usage: m.RUNS_USAGE, run: m.runsCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'lineage')
  COMMANDS.lineage = () => import('./lineageCommand').then((m) => ({ usage: m.LINEAGE_USAGE, run: m.lineageCommand }));
if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'exp')
  COMMANDS.exp = () => import('./expCommand').then((m) => ({ usage: m.EXP_USAGE, run: m.expCommand }));

/** The registry's commands share one module (they open the repository themselves). */
function registryModule() {
  if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'registry') return import('./registryCommand');
  throw new Error('the registry commands are not in this bundle');
}

/** The demo generators, for demo-repo only. */
function demoModule() {
  if (process.env.LINEAGE_CLI_BUNDLE === undefined || process.env.LINEAGE_CLI_BUNDLE === 'demo') return import('../demo/demoRepo');
  throw new Error('demo-repo is not in this bundle');
}

function loaderOf(command: string): () => Promise<CommandModule> {
  const loader = COMMANDS[command];
  if (!loader) throw new Error(`the ${command} command is not in this bundle`);
  return loader;
}

const DEMO_USAGE =
  'Usage: lineage demo-repo DIR\n\nWrites the demo ML project (a Git repository with a DVC pipeline, experiments and tags) to DIR.\n';

/** Every command a user can name (whichever bundle holds it). */
const COMMAND_NAMES: readonly string[] = [
  'index',
  'show',
  'metrics diff',
  'params diff',
  'log',
  'exps',
  'status',
  'repro',
  'env',
  'runs',
  'lineage',
  'exp',
  ...REGISTRY_COMMANDS,
  'demo-repo',
];

function isCommand(command: string): boolean {
  return COMMAND_NAMES.includes(command);
}

async function usageOf(command: string): Promise<string> {
  if (command === 'demo-repo') return DEMO_USAGE;
  if (REGISTRY_COMMANDS.includes(command)) return (await registryModule()).REGISTRY_HELP[command];
  return (await loaderOf(command)()).usage;
}

export async function main(argv: string[]): Promise<number> {
  const global = parseCommandLine(argv);
  if (global.debug) debug = true;
  if (global.missingValue) throw new UsageError(`${global.missingValue} needs a value`);
  let command = global.command;
  let rest = global.rest;
  if (command === 'metrics' || command === 'params') {
    if (rest[0] === '--help' || rest[0] === '-h') {
      process.stdout.write(await usageOf(`${command} diff`));
      return 0;
    }
    if (rest[0] !== 'diff')
      throw new UsageError(`unknown command "${[command, ...rest.slice(0, 1)].join(' ')}" (did you mean "${command} diff"?)`);
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
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}" (lineage --help lists them)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(await usageOf(command));
    return 0;
  }
  if (command === 'demo-repo') {
    if (rest.length !== 1) throw new UsageError('demo-repo takes one folder');
    const { generateDemoRepo } = await demoModule();
    const info = await generateDemoRepo(resolve(rest[0]));
    process.stdout.write(
      `Demo repository written to ${info.dir}: ${info.commitCount} commits, ${info.branches.length} branches, ${info.tags.length} tags, ${info.expRefs.length} experiments.\n`,
    );
    return 0;
  }
  if (REGISTRY_COMMANDS.includes(command)) return await (await registryModule()).registryCommand(command, rest, global.repo);
  const load = loaderOf(command);
  const ctx = await openContext({ repo: global.repo, store: global.store, rebuild: command === 'index' && rest.includes('--rebuild') });
  try {
    const { run } = await load();
    if (command === 'index') return await run(ctx, rest);
    // status and repro read the workspace files themselves; the index is not needed first.
    if (global.index && command !== 'status' && command !== 'repro' && command !== 'exp') await refresh(ctx);
    return await run(ctx, rest);
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
 * A failed git call. The CLI's full index run is a bundle of its own (esbuild.mjs, cli/lazy/)
 * with its own copy of the GitError class, so the class is also recognised by name.
 */
function isGitError(error: unknown): error is Error {
  return error instanceof GitError || (error instanceof Error && error.name === 'GitError' && 'stderr' in error);
}

/**
 * Errors a user can act on become one line on stderr and exit 2. Anything else is a bug: also
 * one line and exit 2 (the documented codes stay 0/1/2), with the stack under --debug.
 */
export function reportError(error: unknown): number {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UsageError || error instanceof StoreError || isGitError(error)) {
    process.stderr.write(`lineage: ${oneLine(error.message)}\n`);
    return 2;
  }
  if (error instanceof Error && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lineage: ${oneLine(error.message)} (see --help)\n`);
    return 2;
  }
  if (debug) process.stderr.write(`lineage: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  else
    process.stderr.write(
      `lineage: internal error: ${oneLine(error instanceof Error ? error.message : String(error))} (rerun with --debug for the stack)\n`,
    );
  return 2;
}
