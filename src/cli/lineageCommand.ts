import { parseArgs } from 'node:util';
import { lineageCardMarkdown } from '../core/lineage/markdown';
import { lineageCardText } from '../core/lineage/text';
import { lineageCardOf } from '../core/workspace/lineage';
import { registryState } from '../core/workspace/registry';
import { ModelRefError, resolveModelRef } from '../core/registry/resolve';
import { UsageError, type Context } from './context';

export const LINEAGE_USAGE = `Usage: lineage lineage MODEL[@VERSION|#STAGE] [--json | --md]

The lineage card of a model version from the Git-tag registry (GTO): which code (commit,
branches, author, uncommitted changes), which data (each data dependency's DVC version, size
and whether it is in the local DVC cache), which hyperparameters, which metrics (with the
change since the previous version) and which environment (recorded by \`lineage repro\`, or
logged by a linked MLflow / W&B run), plus the MLflow model signature when there is an MLmodel.

MODEL alone is its latest active version; MODEL@v1.2.0 one version; MODEL#prod the version
in stage prod. --md prints Markdown for a model card or pull request; --json the card as data.
`;

export async function lineageCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, md: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('lineage takes one model reference: MODEL, MODEL@VERSION or MODEL#STAGE');
  if (opts.json && opts.md) throw new UsageError('--json and --md exclude each other');
  if (!ctx.ws.repo.gitDir) throw new UsageError(`${ctx.ws.root} is not a Git repository: the model registry lives in Git tags`);
  const state = await registryState(ctx.ws.root);
  let ref;
  try {
    ref = resolveModelRef(state, positionals[0]);
  } catch (error) {
    if (error instanceof ModelRefError) throw new UsageError(error.message);
    throw error;
  }
  const card = await lineageCardOf(ctx.ws, ref);
  process.stdout.write(opts.json ? JSON.stringify(card, null, 2) + '\n' : opts.md ? lineageCardMarkdown(card) : lineageCardText(card));
  return 0;
}
