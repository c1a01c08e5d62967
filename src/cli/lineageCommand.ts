import { parseArgs } from 'node:util';
import { buildLineageCard } from '../core/lineage/card';
import { lineageCardMarkdown } from '../core/lineage/markdown';
import { lineageCardText } from '../core/lineage/text';
import { readGitRegistry } from '../core/registry/gitRegistry';
import { ModelRefError, resolveModelRef } from '../core/registry/resolve';
import { runsForCommit } from '../core/runs/runQueries';
import type { ExternalRun } from '../core/runs/types';
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
  const { values: opts, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, md: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('lineage takes one model reference: MODEL, MODEL@VERSION or MODEL#STAGE');
  if (opts.json && opts.md) throw new UsageError('--json and --md exclude each other');
  if (!ctx.repo.gitDir) throw new UsageError(`${ctx.repo.root} is not a Git repository: the model registry lives in Git tags`);
  const state = await readGitRegistry(ctx.repo.root);
  let ref;
  try {
    ref = resolveModelRef(state, positionals[0]);
  } catch (error) {
    if (error instanceof ModelRefError) throw new UsageError(error.message);
    throw error;
  }
  const card = await buildLineageCard(ref, { store: ctx.store, root: ctx.repo.root, runs: linkedRuns(ctx, ref.commit), head: ctx.repo.head });
  process.stdout.write(opts.json ? JSON.stringify(card, null, 2) + '\n' : opts.md ? lineageCardMarkdown(card) : lineageCardText(card));
  return 0;
}

function linkedRuns(ctx: Context, sha: string): ExternalRun[] {
  try {
    return runsForCommit(ctx.store, sha);
  } catch {
    // An index written before external runs were indexed has no run tables yet.
    return [];
  }
}
