import type { PipelineDef } from '../formats/dvcYaml';
import { renderPipeline } from '../formats/dvcYamlRender';
import type { LockFile } from '../formats/dvcLock';
import type { DataMap, ParseFailure } from '../data/types';
import { dirOf, isUnder, resolveInRepo } from '../util/paths';
import { CACHE_OID_PREFIX } from './blobFetcher';
import { dataRole, plotRole, type BlobRole, type DvcYamlValue } from './blobParsers';
import type { BlobRegistry } from './blobRegistry';
import type { DvcCache } from './dvcCache';
import type { RevisionFiles } from './fileSources';
import { PipelineCache } from './pipelineCache';
import { DEFAULT_PARAMS_FILE } from './defaultParams';

/** 'vars': a params.yaml or vars file some stage reads through `${}` (selector: the keys read). */
export type FileRole = 'pipeline' | 'lock' | 'params' | 'vars' | 'metrics' | 'plots' | 'series';
export type FileStatus = 'ok' | 'missing' | 'refused' | 'symlink' | 'not-in-cache' | 'skipped';

export interface PlannedFile {
  path: string;
  role: FileRole;
  project: string;
  source: 'git' | 'workspace' | 'cache';
  status: FileStatus;
  oid?: string;
  blobRole?: BlobRole;
  detail?: string;
  /** Params only: the keys the pipeline tracks in this file; null means the whole file. */
  selector?: string[] | null;
}

export interface RevisionPlan {
  files: PlannedFile[];
  pipelines: { project: string; key: string }[];
}

export { DEFAULT_PARAMS_FILE };

interface Wanted {
  path: string;
  role: FileRole;
  project: string;
  selector?: string[] | null;
  refused?: string;
  rank: Rank;
}

/**
 * The order DVC collects files in (dvc/repo/params/show.py _collect_params, metrics/show.py
 * _collect_metrics): every stage's files in stage order across all dvc.yaml files, then each
 * dvc.yaml's top-level sections, then the root params.yaml, then files read only through
 * `${}` (_collect_vars). `dvc metrics show --json` keeps this order; the first entry wins.
 */
const Rank = { Pipeline: 0, Stage: 1, Top: 2, DefaultParams: 3, Vars: 4 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

/**
 * Decides which files of one revision matter and where their bytes are: every dvc.yaml is
 * rendered (with its params.yaml and vars), then its params, metrics, plots and lock are
 * looked up in the revision, or, for cached outs, in the DVC cache through the lock's md5.
 */
export class RevisionPlanner {
  constructor(
    private readonly blobs: BlobRegistry,
    private readonly cache: DvcCache,
    private readonly pipelines: PipelineCache,
  ) {}

  async plan(files: RevisionFiles): Promise<RevisionPlan> {
    const planned: (PlannedFile & { rank: Rank })[] = [];
    const pipelines: RevisionPlan['pipelines'] = [];
    const wanted: Wanted[] = [];
    const dvcYamls = walkOrder(files.pipelinePaths())
      .filter((path) => !inSubrepo(files, path))
      .map((path) => ({ path, project: dirOf(path), lookup: files.lookup(path) }));
    await this.blobs.ensure(
      dvcYamls.flatMap((d) => (d.lookup.kind === 'file' ? [{ oid: d.lookup.oid, role: 'dvcyaml' as const }] : [])),
      true,
    );

    for (const d of dvcYamls) {
      const file = this.fileEntry(files, d.path, 'pipeline', d.project, 'dvcyaml');
      planned.push({ ...file, rank: Rank.Pipeline });
      if (file.status !== 'ok') continue;
      const parsed = this.blobs.get(file.oid!, 'dvcyaml');
      const lockPath = d.project ? `${d.project}/dvc.lock` : 'dvc.lock';
      const lockFile = this.fileEntry(files, lockPath, 'lock', d.project, 'lock');
      if (parsed.status !== 'ok') {
        // Nothing renders from a broken dvc.yaml; its error is on its blob.
        if (lockFile.status === 'ok') planned.push({ ...lockFile, rank: Rank.Pipeline });
        continue;
      }
      const yamlValue = parsed.value as DvcYamlValue;
      const context = yamlValue.context.map((rel) => ({ rel, resolved: resolveInRepo(d.project, rel) }));
      const contextEntries = context.map((c) =>
        c.resolved.ok ? { ...c, lookup: files.lookup(c.resolved.path) } : { ...c, lookup: { kind: 'absent' as const } },
      );
      const contextRefs = contextEntries.flatMap((c) =>
        c.lookup.kind === 'file' && c.resolved.ok ? [{ oid: c.lookup.oid, role: dataRole(c.resolved.path) }] : [],
      );
      if (lockFile.status === 'ok') await this.blobs.ensure([{ oid: lockFile.oid!, role: 'lock' }], true);
      const keyParts = [file.oid!, ...contextEntries.map((c) => `${c.rel}=${c.lookup.kind === 'file' ? c.lookup.oid : '-'}`)];
      const key = PipelineCache.keyOf(keyParts);
      let def = this.pipelines.get(key);
      // Without a rendered pipeline for these inputs, the templating files are needed parsed.
      await this.blobs.ensure(contextRefs, !def);
      if (!def) {
        const inputs = new Map<string, DataMap | ParseFailure | undefined>();
        for (const c of contextEntries) {
          if (c.lookup.kind !== 'file' || !c.resolved.ok) {
            inputs.set(c.rel, undefined);
            continue;
          }
          const blob = this.blobs.get(c.lookup.oid, dataRole(c.resolved.path));
          inputs.set(
            c.rel,
            blob.status === 'ok'
              ? (blob.value as DataMap)
              : { ok: false, kind: 'error', message: blob.message ?? 'unreadable', line: blob.line, column: blob.col },
          );
        }
        const raw = yamlValue.raw ?? ((await this.blobs.reparse(file.oid!, 'dvcyaml')).value as DvcYamlValue).raw!;
        def = renderPipeline(raw, inputs);
        this.pipelines.put(key, def);
      }
      pipelines.push({ project: d.project, key });
      if (lockFile.status === 'ok') planned.push({ ...lockFile, rank: Rank.Pipeline });
      const lock = lockFile.status === 'ok' ? this.blobs.get(lockFile.oid!, 'lock') : undefined;
      const lockOuts = lock?.status === 'ok' ? lockOutsByPath(def, lock.value as LockFile, d.project) : new Map();
      for (const w of wantedFiles(def, d.project)) wanted.push(w);
      for (const w of this.expand(files, wanted.splice(0), lockOuts))
        planned.push({ ...this.resolveWanted(files, w, lockOuts), rank: w.rank });
    }
    // DVC's params show/diff and exp show read the root params.yaml whole whenever it exists,
    // with or without a dvc.yaml and whatever keys stages pick (a sub-project's only through its stages).
    if (files.lookup(DEFAULT_PARAMS_FILE).kind !== 'absent') {
      const w: Wanted = { path: DEFAULT_PARAMS_FILE, role: 'params', project: '', selector: null, rank: Rank.DefaultParams };
      planned.push({ ...this.resolveWanted(files, w, new Map()), rank: w.rank });
    }
    // A stable sort: DVC's collection order, which dedupe keeps (first entry wins).
    const dedup = dedupe(planned.sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...f }) => f));
    await this.blobs.ensure(
      dedup.filter((f) => f.status === 'ok' && f.role !== 'pipeline' && f.role !== 'lock').map((f) => ({ oid: f.oid!, role: f.blobRole! })),
      false,
    );
    return { files: dedup, pipelines };
  }

  private fileEntry(files: RevisionFiles, path: string, role: FileRole, project: string, blobRole: BlobRole): PlannedFile {
    const lookup = files.lookup(path);
    if (lookup.kind === 'file') return { path, role, project, source: files.source, status: 'ok', oid: lookup.oid, blobRole };
    if (lookup.kind === 'absent') return { path, role, project, source: files.source, status: 'missing' };
    return { path, role, project, source: files.source, status: lookup.kind, detail: lookup.detail };
  }

  /** Directories named as metrics or plots become their files (from the tree or the cached .dir). */
  private expand(files: RevisionFiles, wanted: Wanted[], lockOuts: Map<string, LockOut>): Wanted[] {
    const out: Wanted[] = [];
    for (const w of wanted) {
      if (w.refused || w.role === 'params' || w.role === 'vars' || files.lookup(w.path).kind !== 'absent') {
        out.push(w);
        continue;
      }
      let children = files.under(w.path);
      const dirOut = lockOuts.get(w.path);
      if (children.length === 0 && files.source === 'git' && dirOut?.md5?.endsWith('.dir')) {
        children = this.cachedDirListing(dirOut.md5).map((rel) => `${w.path}/${rel}`);
      }
      if (children.length === 0) {
        out.push(w);
        continue;
      }
      for (const child of children) {
        const role: FileRole = w.role === 'plots' && /\/plots\/metrics\/.+\.tsv$/i.test(child) ? 'series' : w.role;
        if (role === 'metrics' && /\.(tsv|csv)$/i.test(child)) continue;
        out.push({ ...w, path: child, role });
      }
    }
    return out;
  }

  private cachedDirListing(md5: string): string[] {
    const listing = this.cache.read(md5, 64 * 1024 * 1024);
    if (!listing.ok) return [];
    try {
      return (JSON.parse(listing.bytes.toString('utf8')) as { relpath: string }[]).map((e) => e.relpath);
    } catch {
      return [];
    }
  }

  private resolveWanted(files: RevisionFiles, w: Wanted, lockOuts: Map<string, LockOut>): PlannedFile {
    const blobRole =
      w.role === 'params' || w.role === 'vars' || w.role === 'metrics'
        ? dataRole(w.path)
        : w.role === 'series'
          ? 'series'
          : plotRole(w.path);
    const base = { path: w.path, role: w.role, project: w.project, selector: w.selector, blobRole };
    if (w.refused) return { ...base, source: files.source, status: 'refused', detail: w.refused };
    const entry = this.fileEntry(files, w.path, w.role, w.project, blobRole);
    if (entry.status !== 'missing' || files.source === 'workspace') return { ...entry, selector: w.selector };
    // Not in Git: a cached out is found through the lock's md5 in the local DVC cache.
    const md5 = this.cachedMd5(w.path, lockOuts);
    if (!md5) return { ...entry, selector: w.selector };
    if (!md5.ok) return { ...base, source: 'cache', status: 'not-in-cache', detail: md5.reason };
    if (!this.cache.objectPath(md5.md5))
      return {
        ...base,
        source: 'cache',
        status: 'not-in-cache',
        detail: `${w.path} is a DVC-cached out (md5 ${md5.md5}) that is not in the local cache; run \`dvc pull\` to fetch it`,
      };
    return { ...base, source: 'cache', status: 'ok', oid: CACHE_OID_PREFIX + md5.md5 };
  }

  private cachedMd5(path: string, lockOuts: Map<string, LockOut>): { ok: true; md5: string } | { ok: false; reason: string } | undefined {
    const exact = lockOuts.get(path);
    if (exact?.md5 && !exact.md5.endsWith('.dir')) return { ok: true, md5: exact.md5 };
    for (const [outPath, out] of lockOuts) {
      if (out.md5?.endsWith('.dir') && path !== outPath && isUnder(path, outPath)) {
        const found = this.cache.fileInDirectory(out.md5, path.slice(outPath.length + 1));
        return found.ok ? found : { ok: false, reason: `${path} is inside the cached directory ${outPath}, but ${found.reason}` };
      }
    }
    return undefined;
  }
}

interface LockOut {
  md5?: string;
  cache: boolean;
}

/** Lock outs by repository path; lock paths are relative to each stage's wdir. */
function lockOutsByPath(def: PipelineDef, lock: LockFile, project: string): Map<string, LockOut> {
  const map = new Map<string, LockOut>();
  for (const stage of def.stages) {
    const entry = lock.stages[stage.name];
    if (!entry) continue;
    for (const out of entry.outs) {
      const resolved = resolveInRepo(project, stage.wdir === '.' ? out.path : `${stage.wdir}/${out.path}`);
      if (resolved.ok) map.set(resolved.path, { md5: out.md5, cache: true });
    }
  }
  return map;
}

/** Params (with selectors), metrics and plots a rendered pipeline names, as repository paths. */
function wantedFiles(def: PipelineDef, project: string): Wanted[] {
  const out: Wanted[] = [];
  let rank: Rank = Rank.Stage;
  const add = (written: string, role: FileRole, selector?: string[] | null) => {
    const resolved = resolveInRepo(project, written);
    if (resolved.ok) out.push({ path: resolved.path, role, project, selector, rank });
    else out.push({ path: written, role, project, refused: resolved.reason, rank });
  };
  for (const stage of def.stages) {
    for (const p of stage.params) add(p.projectPath, 'params', p.keys);
    for (const o of stage.outs) {
      if (o.kind === 'metric') add(o.projectPath, 'metrics');
      else if (o.kind === 'plot') add(o.projectPath, 'plots');
    }
  }
  rank = Rank.Top;
  for (const p of def.params) add(p, 'params', null);
  for (const m of def.metrics) add(m, 'metrics');
  for (const plot of def.plots) {
    if (plot.projectPath) add(plot.projectPath, 'plots');
    for (const f of plot.files ?? []) add(f, 'plots');
  }
  rank = Rank.Vars;
  for (const stage of def.stages) {
    for (const t of stage.trackedVars ?? []) {
      // Rendering read the file, so it is inside the repository.
      const resolved = resolveInRepo(project, t.file);
      if (resolved.ok) out.push({ path: resolved.path, role: 'vars', project, selector: t.keys, rank });
    }
  }
  return out;
}

/**
 * Whether a path lies in a nested DVC repository (a sub-folder with its own `.dvc`): DVC's
 * index leaves those out (dvc/ignore.py _update_sub_repo), so its stages and params do not count.
 */
function inSubrepo(files: RevisionFiles, path: string): boolean {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (files.lookup(`${dir}/.dvc/config`).kind !== 'absent' || files.lookup(`${dir}/.dvc/.gitignore`).kind !== 'absent') return true;
  }
  return false;
}

/**
 * dvc.yaml files in the order DVC's index walks a commit's tree (top-down, each folder's own
 * file before its sub-folders', sub-folders in Git's tree order, where a folder name sorts as
 * if followed by '/'), which orders stages and so the files they name.
 */
export function walkOrder(paths: readonly string[]): string[] {
  const parts = (p: string): string[] =>
    p
      .split('/')
      .slice(0, -1)
      .map((d) => `${d}/`);
  return [...paths].sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** One row per (path, role); params selectors merge, and a whole-file selector wins. */
function dedupe(files: PlannedFile[]): PlannedFile[] {
  const byKey = new Map<string, PlannedFile>();
  for (const f of files) {
    const key = `${f.role}\0${f.path}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...f });
      continue;
    }
    if (f.role === 'params' || f.role === 'vars') {
      prev.selector =
        prev.selector === null || f.selector === null || prev.selector === undefined || f.selector === undefined
          ? null
          : [...new Set([...prev.selector, ...f.selector])];
    }
  }
  return [...byKey.values()];
}
