import { parseArgs } from 'node:util';
import { ReproBusyError, ReproError, reproduceStages } from '../core/workspace/repro';
import { formatProblem, type ReproEvent } from '../core/repro/types';
import { refresh, UsageError, type Context } from './context';
import { writeRaw } from './terminal';

export const REPRO_USAGE = `Usage: lineage repro [STAGE...] [--force] [--downstream] [-s|--single-item] [--dry]

Reproduces pipeline stages like \`dvc repro\`, without DVC installed: the targets (default:
every stage of every dvc.yaml) and what they depend on, in order, skipping stages that are
up to date. After each stage its outs are hashed and cached (.dvc/cache) and its dvc.lock
entry is written. The environment of every run (commit, Python packages, OS, GPU, selected
variables) is recorded in the index: \`lineage env\` shows it.
  --force         run even if up to date
  --downstream    the targets and the stages that depend on them
  -s, --single-item  only the targets
  --dry           print what would run
Before anything runs or is removed, the whole pipeline is checked: a file that cannot be
evaluated, a cycle, two stages writing one path, or an out that is not the stage's to delete
(the repository, .git, .dvc, a DVC or params file, a folder holding a pipeline, the stage's
own dep) stops the run with every problem listed by file and line.
Exit codes: 0 done, 1 a stage failed or was cancelled, 2 bad input (unknown stage, a
pipeline that cannot be evaluated or is refused, another repro running).
`;

/** Prints reproduction events as `dvc repro` does. */
export function reproEventPrinter(): (e: ReproEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'skip':
        process.stdout.write(`Stage '${e.stage}' didn't change, skipping${e.reason === 'frozen' ? ' (frozen)' : ''}\n`);
        break;
      case 'stage':
        process.stdout.write(`Running stage '${e.stage}'${e.reasons.length ? ` (${e.reasons.join(', ')})` : ''}:\n`);
        break;
      case 'start':
        process.stdout.write(`> ${e.cmd}\n`);
        break;
      // The stage's own output is its author's: progress bars and colours pass through raw.
      case 'output':
        writeRaw(e.stream === 'stderr' ? process.stderr : process.stdout, e.text);
        break;
      case 'locked':
        process.stdout.write(`Updating lock file '${e.lockFile}'\n\n`);
        break;
      case 'failed':
        process.stderr.write(`lineage: stage '${e.stage}': ${e.message}\n`);
        break;
      case 'cancelled':
        process.stderr.write(`lineage: stage '${e.stage}' cancelled; its dvc.lock entry was not changed.\n`);
        break;
      case 'warning':
        process.stderr.write(`lineage: warning: ${e.message}\n`);
        break;
      default:
        break;
    }
  };
}

export async function reproCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      force: { type: 'boolean', short: 'f' },
      downstream: { type: 'boolean' },
      'single-item': { type: 'boolean', short: 's' },
      dry: { type: 'boolean' },
    },
  });
  if (opts.downstream && opts['single-item']) throw new UsageError('--downstream and --single-item cannot be used together');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await reproduceStages(
      ctx.ws,
      {
        targets: positionals,
        force: opts.force,
        downstream: opts.downstream,
        singleItem: opts['single-item'],
        dry: opts.dry,
        signal: controller.signal,
      },
      reproEventPrinter(),
    );
    if (!opts.dry && result.ran.length === 0 && result.ok) process.stdout.write('Data and pipelines are up to date.\n');
    if (result.ran.length && !opts.dry) await refresh(ctx);
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ReproError && e.problems.length) {
      for (const p of e.problems) process.stderr.write(`lineage: ERROR: ${formatProblem(p)}\n`);
      process.stderr.write(`lineage: nothing was run or removed.\n`);
      return 2;
    }
    if (e instanceof ReproError || e instanceof ReproBusyError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
