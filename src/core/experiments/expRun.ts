// `exp run`: the pipeline reproduced with changed params and recorded as a DVC experiment, the
// way `dvc exp run` records it (dvc/repo/experiments/queue/base.py _stash_exp,
// executor/base.py reproduce/_repro_commit/commit, executor/local.py):
// - the name is checked (or generated) before anything changes; the overrides are applied to
//   the params files; outs are checked out from the cache where the lock says they differ;
//   the stages run (`lineage repro`'s runner);
// - the commit's parent is the baseline (HEAD) and its tree is the workspace's tracked files,
//   plus the params files named by -S, the stage files of every planned stage and the
//   top-level metrics/params/plots files; its message is `dvc: commit experiment <hash>`;
// - it goes under refs/exps/<baseline[:2]>/<baseline[2:]>/<name>.
// By default the run happens in the workspace, which keeps the results (DVC: "Experiment
// results have been applied to your workspace"); HEAD, the branch and the index are never
// touched (DVC detaches HEAD while it runs and resets the index after). With `temp` the run
// happens in a folder under .dvc/tmp/exps with its own Git directory borrowing the
// repository's objects, and the workspace is left as it was.
// A stage that fails leaves no experiment: the run is kept in runLog.ts with its output.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store';
import { runGit } from '../git/exec';
import { buildDag, planStages, resolveTargets } from '../repro/dag';
import { cacheDirOf } from '../repro/dvcObjectCache';
import { pipelineProblems } from '../repro/ownership';
import { createReproIO } from '../repro/reproIO';
import { ReproBusyError } from '../repro/reproMutex';
import { ReproError, reproduce } from '../repro/runner';
import { formatProblem, type ReproEvent, type ReproResult } from '../repro/types';
import { loadWorkspacePipelines } from '../repro/workspacePipelines';
import { writeFileAtomic } from '../util/atomicWrite';
import { processAlive } from '../util/processAlive';
import { resolveInRepo } from '../util/paths';
import { checkoutOuts } from './checkoutOuts';
import { acquireExpLock, ExpUsageError, recordExperiment, requireDvcRepo, stageFiles, topLevelPaths } from './expCommon';
import { gitDirOf, headCommit, listExpRefs, TempIndex } from './expGit';
import { expCommitMessage, expHashOf, lockEntryOf } from './expHash';
import { freshExpName } from './expNames';
import { experimentExistsMessage, expNameProblem } from './expRefs';
import { applyParamOverrides, editableParamsFile } from './paramsEdit';
import { startRunLog, type RunLog } from './runLog';
import { parseSetParams, SetParamError } from './setParams';
import type { PyValue } from '../python/pyFloat';

export interface ExpRunOptions {
  /** Stage addresses or names; empty = every stage. */
  targets: string[];
  /** `-S [file:]key=value`, as given. */
  setParams: string[];
  name?: string;
  /** Reproduce every stage, and replace an experiment of the same name. */
  force?: boolean;
  /** Run in a temporary folder; the workspace is not changed. */
  temp?: boolean;
  queue?: boolean;
  /** The commit message (default DVC's). */
  message?: string;
  signal?: AbortSignal;
}

export type ExpEvent =
  | ReproEvent
  | { type: 'exp-start'; name: string; baseline: string; temp: boolean }
  | { type: 'exp-params'; file: string }
  | { type: 'exp-checkout'; paths: string[] };

export interface ExpRunResult {
  ok: boolean;
  name: string;
  baseline: string;
  temp: boolean;
  ran: string[];
  skipped: string[];
  /** Set when the experiment was recorded. */
  ref?: string;
  commit?: string;
  hash?: string;
  failed?: ReproResult['failed'];
  cancelled?: boolean;
  /** A failed or cancelled run: where its record and output log are kept. */
  logFile?: string;
}

interface ParamEdit {
  file: string;
  rel: string;
  before: string | undefined;
  after: string;
}

function readIfExists(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Parses -S and computes every params file's new text; nothing is written yet. */
function planParamEdits(root: string, setParams: string[]): ParamEdit[] {
  const edits: ParamEdit[] = [];
  for (const [file, overrides] of parseSetParams(setParams)) {
    const r = resolveInRepo('', file);
    if (!r.ok) throw new SetParamError(`-S ${file}: ${r.reason}`);
    if (!editableParamsFile(r.path))
      throw new SetParamError(`${file}: only YAML (.yaml, .yml) and JSON params files can be changed with -S for now`);
    const before = readIfExists(join(root, ...r.path.split('/')));
    edits.push({ file, rel: r.path, before, after: applyParamOverrides(file, before, overrides) });
  }
  return edits;
}

/**
 * With `[hydra] enabled = true` DVC composes params.yaml from Hydra's config folder on every
 * run (run.py forces _update_params); that composition is not done here, so such a run is
 * refused rather than recorded differently.
 */
function refuseHydra(root: string): void {
  for (const name of ['config', 'config.local']) {
    let text: string;
    try {
      text = readFileSync(join(root, '.dvc', name), 'utf8');
    } catch {
      continue;
    }
    let section = '';
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      const header = /^\[\s*"?([^"\]]+)"?\s*\]$/.exec(line);
      if (header) {
        section = header[1].trim();
        continue;
      }
      if (section === 'hydra' && /^enabled\s*=\s*(true|1|yes)\s*$/i.test(line)) {
        throw new ExpUsageError(
          `.dvc/${name}: Hydra composition (hydra.enabled) is not supported by lineage exp run yet; run dvc exp run, or disable it`,
        );
      }
    }
  }
}

/** The pipeline must be runnable before anything changes (DVC builds its graph first too). */
function precheck(root: string, targets: string[]): void {
  const loaded = loadWorkspacePipelines(root);
  const dag = buildDag(loaded.projects, loaded.sources);
  const { problems } = pipelineProblems(root, loaded, dag);
  if (problems.length)
    throw new ReproError(`The pipeline cannot be run; nothing was changed:\n  ${problems.map(formatProblem).join('\n  ')}`, problems);
  const { unknown } = resolveTargets(dag, targets);
  if (unknown.length) throw new ReproError(`stage ${unknown.map((u) => `'${u}'`).join(', ')} not found in any dvc.yaml of the workspace.`);
}

/** A folder this module made for a --temp run whose process is gone (a kill left it). */
function sweepTempRuns(root: string): void {
  const dir = join(root, '.dvc', 'tmp', 'exps');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^lineage-(\d+)-/.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function describe(e: ExpEvent): string | undefined {
  switch (e.type) {
    case 'stage':
      return `Running stage '${e.stage}':\n`;
    case 'start':
      return `> ${e.cmd}\n`;
    case 'output':
      return e.text;
    case 'failed':
      return `ERROR: stage '${e.stage}': ${e.message}\n`;
    case 'cancelled':
      return `stage '${e.stage}' cancelled\n`;
    case 'skip':
      return `Stage '${e.stage}' didn't change, skipping\n`;
    default:
      return undefined;
  }
}

/**
 * Reproduces in `workTree` and, when every stage succeeded, records the experiment. The params
 * edits have been applied there already.
 */
async function reproduceAndRecord(
  workTree: string,
  repoRoot: string,
  store: Store | undefined,
  options: ExpRunOptions,
  ctx: {
    name: string;
    baseline: string;
    edits: ParamEdit[];
    index: () => Promise<TempIndex>;
    log: RunLog;
    onEvent: (e: ExpEvent) => void;
  },
): Promise<ExpRunResult> {
  const base: ExpRunResult = { ok: false, name: ctx.name, baseline: ctx.baseline, temp: Boolean(options.temp), ran: [], skipped: [] };
  const io = createReproIO(workTree, options.temp ? undefined : store);
  const emit = (e: ExpEvent) => {
    const text = describe(e);
    if (text) ctx.log.append(text);
    ctx.onEvent(e);
  };
  // The executor checks out what dvc.lock records before reproducing (missing objects allowed).
  const checkout = await checkoutOuts(workTree, io, { targets: options.targets });
  if (checkout.restored.length) emit({ type: 'exp-checkout', paths: checkout.restored });
  let plan: string[] = [];
  const result = await reproduce(
    workTree,
    io,
    { targets: options.targets, force: options.force, signal: options.signal },
    (e) => {
      if (e.type === 'plan') plan = e.stages;
      emit(e);
    },
    { store },
  );
  Object.assign(base, { ran: result.ran, skipped: result.skipped });
  if (!result.ok) {
    ctx.log.finish(result.cancelled ? 'cancelled' : 'failed', {
      stage: result.failed?.stage,
      exitCode: result.failed?.exitCode,
      message: result.failed?.message,
    });
    return { ...base, failed: result.failed, cancelled: result.cancelled, logFile: ctx.log.record.log };
  }
  const loaded = loadWorkspacePipelines(workTree);
  const dag = buildDag(loaded.projects, loaded.sources);
  // hash_exp: the lock entries of the stages that were reproduced, by stage name.
  const entries: [string, PyValue][] = [];
  for (const address of result.ran) {
    const stage = dag.byAddress.get(address);
    const project = stage && !stage.source ? loaded.projects.find((p) => p.project === stage.project) : undefined;
    if (!stage || !project) continue;
    const text = readIfExists(join(workTree, ...project.lockPath.split('/')));
    const entry = text === undefined ? undefined : lockEntryOf(text, stage.def.name);
    if (entry !== undefined) entries.push([stage.def.name, entry]);
  }
  const hash = expHashOf(entries);
  const index = await ctx.index();
  try {
    // Staged before the commit: -S files (scm.add after _update_params), each planned stage's
    // files (_repro_and_track), the top-level files (_get_top_level_paths); then `add -u`.
    const planned = planStages(
      dag,
      plan.filter((a) => dag.byAddress.has(a)),
      { singleItem: true },
    );
    await index.addPaths([
      ...ctx.edits.map((e) => e.rel),
      ...planned.flatMap((s) => stageFiles(s, loaded.projects)),
      ...topLevelPaths(loaded.projects),
    ]);
    await index.addTracked();
    const recorded = await recordExperiment(
      repoRoot,
      index,
      ctx.baseline,
      ctx.name,
      options.message ?? expCommitMessage(hash),
      Boolean(options.force),
    );
    ctx.log.discard();
    return { ...base, ok: true, ref: recorded.ref, commit: recorded.commit, hash };
  } finally {
    index.dispose();
  }
}

/** Puts back a params file we rewrote, if it still holds exactly what we wrote. */
function undoParamEdits(root: string, edits: ParamEdit[]): void {
  for (const e of edits) {
    const abs = join(root, ...e.rel.split('/'));
    if (readIfExists(abs) !== e.after) continue;
    if (e.before === undefined) rmSync(abs, { force: true });
    else writeFileAtomic(abs, e.before);
  }
}

export async function runExperiment(
  root: string,
  store: Store | undefined,
  options: ExpRunOptions,
  onEvent: (e: ExpEvent) => void,
): Promise<ExpRunResult> {
  if (options.queue)
    throw new ExpUsageError('queued runs (--queue) are not supported yet; run the experiment now (without --queue) or with --temp');
  requireDvcRepo(root);
  const gitDir = await gitDirOf(root);
  const baseline = await headCommit(root);
  if (!baseline) throw new ExpUsageError('Empty Git repo. Add a commit to use experiments.');
  const lock = acquireExpLock(root);
  if (lock.warning) onEvent({ type: 'warning', message: lock.warning });
  try {
    sweepTempRuns(root);
    const taken = new Set((await listExpRefs(root)).filter((r) => r.baseline === baseline).map((r) => r.name));
    let name = options.name;
    if (name !== undefined) {
      const problem = expNameProblem(baseline, name);
      if (problem) throw new ExpUsageError(problem);
      if (taken.has(name) && !options.force) throw new ExpUsageError(experimentExistsMessage(name));
    } else {
      name = freshExpName((n) => taken.has(n));
    }
    refuseHydra(root);
    const edits = planParamEdits(root, options.setParams);
    precheck(root, options.targets);
    const log = startRunLog(gitDir, {
      name,
      baseline,
      setParams: options.setParams,
      targets: options.targets,
      temp: Boolean(options.temp),
    });
    onEvent({ type: 'exp-start', name, baseline, temp: Boolean(options.temp) });
    try {
      if (options.temp) return await runInTemp(root, gitDir, store, options, { name, baseline, edits, log, onEvent });
      for (const e of edits) {
        writeFileAtomic(join(root, ...e.rel.split('/')), e.after);
        onEvent({ type: 'exp-params', file: e.rel });
      }
      try {
        return await reproduceAndRecord(root, root, store, options, {
          name,
          baseline,
          edits,
          log,
          onEvent,
          index: () => TempIndex.fromUserIndex({ root, gitDir }),
        });
      } catch (e) {
        // Refused before any stage ran (the params made the pipeline unreadable, a repro
        // running): the params files go back to what they were.
        if (e instanceof ReproError || e instanceof ReproBusyError) undoParamEdits(root, edits);
        throw e;
      }
    } catch (e) {
      if (e instanceof ReproError || e instanceof ReproBusyError || e instanceof ExpUsageError) log.discard();
      else log.finish('failed', { message: (e as Error).message });
      throw e;
    }
  } finally {
    lock.release();
  }
}

/**
 * TempDirExecutor: the workspace's tracked state (with the -S edits) checked out in a folder
 * of its own under .dvc/tmp/exps, a Git directory there whose HEAD is the baseline and whose
 * objects are the repository's (alternates), the repository's DVC cache as its cache.
 */
async function runInTemp(
  root: string,
  gitDir: string,
  store: Store | undefined,
  options: ExpRunOptions,
  ctx: { name: string; baseline: string; edits: ParamEdit[]; log: RunLog; onEvent: (e: ExpEvent) => void },
): Promise<ExpRunResult> {
  const parent = join(root, '.dvc', 'tmp', 'exps');
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, `lineage-${process.pid}-`));
  try {
    // The state DVC stashes: tracked files as they are in the workspace, plus untracked
    // params files the overrides name (run.py adds them to Git for --temp).
    const snap = await TempIndex.fromUserIndex({ root, gitDir });
    let tree: string;
    try {
      await snap.addTracked();
      await snap.addPaths(ctx.edits.map((e) => e.rel));
      tree = await snap.writeTree();
    } finally {
      snap.dispose();
    }
    await runGit(work, ['init', '-q']);
    writeFileSync(join(work, '.git', 'objects', 'info', 'alternates'), `${join(gitDir, 'objects')}\n`);
    await runGit(work, ['update-ref', '--no-deref', 'HEAD', ctx.baseline]);
    await runGit(work, ['read-tree', tree]);
    await runGit(work, ['checkout-index', '-a', '-f']);
    // The run's outs go to the repository's cache, as DVC's init_cache points the temp repo there.
    mkdirSync(join(work, '.dvc'), { recursive: true });
    writeFileSync(join(work, '.dvc', 'config.local'), `[cache]\n    dir = ${cacheDirOf(root)}\n`);
    for (const e of ctx.edits) {
      mkdirSync(join(work, ...e.rel.split('/').slice(0, -1)), { recursive: true });
      writeFileAtomic(join(work, ...e.rel.split('/')), e.after);
      ctx.onEvent({ type: 'exp-params', file: e.rel });
    }
    return await reproduceAndRecord(work, root, store, options, {
      ...ctx,
      index: () => TempIndex.fromTree({ root: work, gitDir }, tree),
    });
  } finally {
    if (work.startsWith(parent) && existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

export { ExpUsageError };
