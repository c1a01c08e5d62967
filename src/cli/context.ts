import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { openWorkspace, type RefreshReport, type Workspace } from '../core/workspace/workspace';
import { commitRevision, isRevisionError, type Revision } from '../core/workspace/revision';

/** Bad usage or bad input: exit code 2, one line naming what and where. */
export class UsageError extends Error {}

/** What every command gets: the opened workspace (repository and index). */
export interface Context {
  ws: Workspace;
  storeFile: string;
}

export async function openContext(options: { repo?: string; store?: string; rebuild?: boolean }): Promise<Context> {
  const folder = resolve(options.repo ?? process.cwd());
  if (!existsSync(folder)) throw new UsageError(`--repo ${folder}: no such folder`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`--repo ${folder}: not a folder`);
  const storeFile = options.store ? resolve(options.store) : undefined;
  if (storeFile && existsSync(storeFile) && statSync(storeFile).isDirectory())
    throw new UsageError(`--store ${storeFile}: is a folder, not an index file`);
  // --rebuild is the only path that replaces an index; local-only records are kept.
  const ws = await openWorkspace(folder, {
    storeFile,
    rebuild: options.rebuild,
    onWarning: (m) => process.stderr.write(`lineage: warning: ${m}\n`),
  });
  return { ws, storeFile: ws.storeFile };
}

export function refresh(ctx: Context, extraTips: string[] = [], log?: (message: string) => void): Promise<RefreshReport> {
  return ctx.ws.refresh(refreshOptions(extraTips, log));
}

function refreshOptions(extraTips: string[] = [], log?: (message: string) => void) {
  // LINEAGE_INDEX_BATCH: commits per transaction; small values let tests kill a run mid-way.
  const batch = Number(process.env.LINEAGE_INDEX_BATCH);
  return {
    extraTips,
    log,
    batchSize: Number.isInteger(batch) && batch > 0 ? batch : undefined,
    onWaitForIndexer: (pid: number) => process.stderr.write(`lineage: waiting for another indexer (pid ${pid})\n`),
    runsFailure: 'throw' as const,
  };
}

/** Indexes the commits among `revisions` that the index does not hold yet. */
export function ensureIndexed(ctx: Context, revisions: Revision[]): Promise<void> {
  return ctx.ws.ensureIndexed(revisions, refreshOptions());
}

/** Resolves revision names (indexing a commit no ref reaches on demand); a bad name is a UsageError. */
export async function resolveIndexed(ctx: Context, texts: string[]): Promise<Revision[]> {
  try {
    // HEAD was read from Git's files when the command opened the workspace a moment ago:
    // naming it again starts no git process (the editor, long-lived, asks git each time).
    const head = ctx.ws.repo.head;
    const revisions = await Promise.all(texts.map((t) => (t === 'HEAD' && head ? commitRevision(head, t) : ctx.ws.resolve(t))));
    await ctx.ws.ensureIndexed(revisions, refreshOptions());
    return revisions;
  } catch (error) {
    if (isRevisionError(error)) throw new UsageError(error.message);
    throw error;
  }
}
