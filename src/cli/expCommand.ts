import { parseArgs } from 'node:util';
import {
  applyExperiment,
  branchExperiment,
  humanJoin,
  isExpInputError,
  isExpStoppedError,
  keptExperimentRuns,
  pipelineProblemsOf,
  pullExperiments,
  pushExperiments,
  removeExperiments,
  renameExperiment,
  runExperiment,
  saveExperiment,
  type ExpEvent,
  type SyncResult,
} from '../core/workspace/expRun';
import { formatProblem } from '../core/repro/types';
import { redactText } from '../core/util/redact';
import { UsageError, type Context } from './context';
import { reproEventPrinter } from './reproCommand';

export const EXP_USAGE = `Usage: lineage exp <command> [options]

DVC experiments, recorded the way \`dvc exp\` records them (commits under refs/exps that
\`dvc exp show\` lists and \`dvc exp apply\` restores), without DVC installed.

  run [STAGE...] [-S|--set-param [FILE:]KEY=VALUE]... [-n NAME] [-f] [--temp] [-m MSG]
        reproduce the pipeline with changed params (Hydra's override syntax: KEY=VALUE,
        +KEY=VALUE adds, ++KEY=VALUE sets, ~KEY deletes; FILE defaults to params.yaml) and
        record the result as an experiment on top of HEAD. The run happens in the workspace,
        which keeps the results as \`dvc exp run\` leaves them; --temp runs in a temporary
        folder and leaves the workspace alone. -f reproduces every stage and replaces an
        experiment of the same name. A failed stage records no experiment: the run is kept
        with its output (see \`exp runs\`). --queue is not supported yet.
  save [-n NAME] [-f] [-I PATH]... [-m MSG] [--json]
        record the workspace as an experiment without running anything (stages committed
        as \`dvc commit\` does); -I adds an untracked path.
  apply NAME [--force]
        the workspace takes the experiment's files, and its outs come back from the DVC
        cache. Refuses when that would overwrite changes Git has not recorded; --force keeps
        them in refs/exps/apply/stash first (git stash apply refs/exps/apply/stash).
  branch NAME [BRANCH]    make a Git branch (default NAME-branch) at the experiment
  remove NAME... | --all  delete experiments (alias: rm); --queue is not supported yet
  rename NAME NEW [-f]    rename an experiment
  push REMOTE [NAME...] [-A|--all-commits] [-f]
  pull REMOTE [NAME...] [-A|--all-commits] [-f]
        send or fetch experiment refs (default: the experiments of HEAD). Only the Git refs
        travel: DVC data remotes are not pushed or pulled yet (use dvc push / dvc pull).
  runs [--json]           runs that did not become experiments (failed, cancelled, killed)

Exit codes: 0 done, 1 a stage failed or a remote refused, 2 bad usage or input (a -S that
does not parse or names no key, a bad or taken name, an unknown experiment, a pipeline that
cannot run, uncommitted changes in the way).
`;

/** Prints a run's events as `dvc exp run` does; `last` is the type of the last event printed. */
function printer(state: { last?: string }): (e: ExpEvent) => void {
  const repro = reproEventPrinter();
  return (e) => {
    state.last = e.type;
    switch (e.type) {
      case 'exp-start':
        process.stdout.write(`Reproducing experiment '${e.name}'\n`);
        return;
      case 'exp-checkout':
        process.stdout.write(`Checked out from the DVC cache: ${e.paths.join(', ')}\n`);
        return;
      case 'exp-params':
        return;
      // Unlike `lineage repro`'s: an experiment's stage line gives no reasons (as `dvc exp run`),
      // and its cancel line says nothing of dvc.lock.
      case 'stage':
        process.stdout.write(`Running stage '${e.stage}':\n`);
        return;
      case 'cancelled':
        process.stderr.write(`lineage: stage '${e.stage}' cancelled.\n`);
        return;
      default:
        repro(e);
    }
  };
}

async function runCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'set-param': { type: 'string', short: 'S', multiple: true },
      name: { type: 'string', short: 'n' },
      force: { type: 'boolean', short: 'f' },
      temp: { type: 'boolean' },
      queue: { type: 'boolean' },
      message: { type: 'string', short: 'm' },
    },
  });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  const state: { last?: string } = {};
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await runExperiment(
      ctx.ws,
      {
        targets: positionals,
        setParams: o['set-param'] ?? [],
        name: o.name,
        force: o.force,
        temp: o.temp,
        queue: o.queue,
        message: o.message,
        signal: controller.signal,
      },
      printer(state),
    );
    if (!result.ok) {
      const why = result.cancelled ? 'was cancelled' : `failed${result.failed ? ` at stage '${result.failed.stage}'` : ''}`;
      process.stderr.write(
        `lineage: experiment '${result.name}' ${why}; no experiment was recorded. Its params and output are kept: ${result.logFile} (lineage exp runs lists them).\n`,
      );
      return 1;
    }
    // One blank line before the summary, as DVC prints it ("Updating lock file" ends with one).
    process.stdout.write(`${state.last === 'locked' ? '' : '\n'}Ran experiment(s): ${result.name}\n`);
    if (result.temp) process.stdout.write('To apply the results of an experiment to your workspace run:\n\n\tlineage exp apply <exp>\n');
    else process.stdout.write('Experiment results have been applied to your workspace.\n');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function saveCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string', short: 'n' },
      force: { type: 'boolean', short: 'f' },
      'include-untracked': { type: 'string', short: 'I', multiple: true },
      message: { type: 'string', short: 'm' },
      json: { type: 'boolean' },
    },
  });
  const r = await saveExperiment(ctx.ws, {
    name: o.name,
    force: o.force,
    includeUntracked: o['include-untracked'],
    targets: positionals,
    message: o.message,
  });
  if (r.untracked.length)
    process.stderr.write(
      `lineage: warning: The following untracked files were present in the workspace before saving but will not be included in the experiment commit: ${r.untracked.join(', ')}\n`,
    );
  if (o.json) process.stdout.write(JSON.stringify({ ref: r.commit, name: r.name }) + '\n');
  else process.stdout.write(`Experiment has been saved as: ${r.name}\n`);
  return 0;
}

async function applyCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { force: { type: 'boolean', short: 'f' } },
  });
  if (positionals.length !== 1) throw new UsageError('exp apply takes one experiment');
  const r = await applyExperiment(ctx.ws, positionals[0], { force: o.force });
  if (r.backup)
    process.stdout.write(
      `Your uncommitted changes were kept in refs/exps/apply/stash (${r.backup.slice(0, 7)}): git stash apply refs/exps/apply/stash brings them back.\n`,
    );
  process.stdout.write(`Changes for experiment '${r.name}' have been applied to your current workspace.\n`);
  if (r.outs.problems.length) for (const p of r.outs.problems) process.stderr.write(`lineage: warning: outs not checked out: ${p}\n`);
  if (r.outs.missing.length) {
    process.stderr.write(
      `lineage: the DVC cache lacks these outs of the experiment, so they were not checked out: ${r.outs.missing.join(', ')} (fetch them with dvc pull).\n`,
    );
    return 1;
  }
  return 0;
}

async function branchCommand(ctx: Context, argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError('exp branch takes an experiment and, optionally, a branch name');
  const r = await branchExperiment(ctx.ws, positionals[0], positionals[1]);
  process.stdout.write(
    `Git branch '${r.branch}' has been created from experiment '${r.experiment}'.\nTo switch to the new branch run:\n\n\tgit checkout ${r.branch}\n`,
  );
  return 0;
}

async function removeCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { all: { type: 'boolean' }, 'all-commits': { type: 'boolean', short: 'A' }, queue: { type: 'boolean' } },
  });
  const r = await removeExperiments(ctx.ws, positionals, { all: o.all || o['all-commits'], queue: o.queue });
  process.stdout.write(r.removed.length ? `Removed experiments: ${humanJoin(r.removed)}\n` : 'No experiments to remove.\n');
  return 0;
}

async function renameCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { force: { type: 'boolean', short: 'f' } },
  });
  if (positionals.length !== 2) throw new UsageError('An experiment to rename and a new experiment name are required.');
  const r = await renameExperiment(ctx.ws, positionals[0], positionals[1], { force: o.force });
  process.stdout.write(r.renamed.length ? `Renamed experiments: ${humanJoin(r.renamed)}\n` : 'No experiments to rename.\n');
  return 0;
}

const DATA_NOTE =
  'Only the Git refs were {verb}: DVC data remotes are not {verb} by lineage yet; run `dvc {cmd}` for the outs these experiments record.\n';

function reportSync(r: SyncResult, given: string, pushing: boolean): number {
  // A remote given as a URL may carry a token: it is never printed.
  const remote = redactText(given);
  const verb = pushing ? 'pushed' : 'pulled';
  if (r.upToDate.length)
    process.stdout.write(
      `Experiment ${humanJoin(r.upToDate)} ${r.upToDate.length > 1 ? 'are' : 'is'} up to date on Git remote '${remote}'.\n`,
    );
  if (r.success.length)
    process.stdout.write(
      `${pushing ? 'Pushed' : 'Pulled'} experiment ${humanJoin(r.success)} ${pushing ? 'to' : 'from'} Git remote '${remote}'.\n`,
    );
  if (!r.success.length && !r.upToDate.length && !r.diverged.length && !r.refused.length)
    process.stdout.write(`No experiments to ${pushing ? 'push' : 'pull'}.\n`);
  if (r.diverged.length) {
    process.stderr.write(
      `lineage: ${pushing ? 'Local' : 'Local'} experiment ${humanJoin(r.diverged)} has diverged from ${pushing ? 'remote' : 'remote'} experiment with the same name. To override the ${pushing ? 'remote' : 'local'} experiment re-run with '--force'.\n`,
    );
  }
  for (const x of r.refused) process.stderr.write(`lineage: Git remote '${remote}' refused experiment '${x.name}': ${x.reason}\n`);
  if (r.success.length || r.upToDate.length)
    process.stdout.write(DATA_NOTE.replace(/\{verb\}/g, verb).replace('{cmd}', pushing ? 'push' : 'pull'));
  return r.diverged.length || r.refused.length ? 1 : 0;
}

async function syncCommand(ctx: Context, argv: string[], pushing: boolean): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { 'all-commits': { type: 'boolean', short: 'A' }, force: { type: 'boolean', short: 'f' } },
  });
  if (positionals.length < 1) throw new UsageError(`exp ${pushing ? 'push' : 'pull'} needs a Git remote (a name or a URL)`);
  const [remote, ...names] = positionals;
  const options = { all: o['all-commits'], force: o.force };
  const r = pushing ? await pushExperiments(ctx.ws, remote, names, options) : await pullExperiments(ctx.ws, remote, names, options);
  return reportSync(r, remote, pushing);
}

async function runsCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: o } = parseArgs({ args: argv, allowPositionals: false, strict: true, options: { json: { type: 'boolean' } } });
  const runs = keptExperimentRuns(ctx.ws);
  if (o.json) {
    process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write('No kept experiment runs.\n');
    return 0;
  }
  for (const r of runs) {
    const where = r.stage ? ` at stage '${r.stage}'${r.exitCode !== undefined ? ` (exit ${r.exitCode ?? 'signal'})` : ''}` : '';
    process.stdout.write(
      `${r.startedAt}  ${r.name}  ${r.status}${where}  baseline ${r.baseline.slice(0, 7)}${r.setParams.length ? `  -S ${r.setParams.join(' -S ')}` : ''}\n    log: ${r.log}\n`,
    );
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (ctx: Context, argv: string[]) => Promise<number>> = {
  run: runCommand,
  save: saveCommand,
  apply: applyCommand,
  branch: branchCommand,
  remove: removeCommand,
  rm: removeCommand,
  rename: renameCommand,
  push: (c, a) => syncCommand(c, a, true),
  pull: (c, a) => syncCommand(c, a, false),
  runs: runsCommand,
};

export async function expCommand(ctx: Context, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub) throw new UsageError('exp needs a command: run, save, apply, branch, remove, rename, push, pull or runs (lineage exp --help)');
  const handler = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (!handler) throw new UsageError(`unknown exp command "${sub}" (lineage exp --help lists them)`);
  try {
    return await handler(ctx, rest);
  } catch (e) {
    const problems = pipelineProblemsOf(e);
    if (problems.length) {
      for (const p of problems) process.stderr.write(`lineage: ERROR: ${formatProblem(p)}\n`);
      process.stderr.write('lineage: nothing was run or changed.\n');
      return 2;
    }
    if (isExpInputError(e)) throw new UsageError(e.message);
    if (isExpStoppedError(e)) {
      process.stderr.write(`lineage: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    throw e;
  }
}
