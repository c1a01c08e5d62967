// Plots of one revision as DVC resolves them (dvc/repo/plots/__init__.py): top-level
// `plots:` definitions of every dvc.yaml first, then stage outs with plot flags; an id that
// names a directory becomes one plot per file below it; the same id twice merges its
// properties. Data comes from the index (tables parsed once per blob); image bytes are read
// on demand from the workspace, the Git object or the DVC cache.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Store } from '../store/store';
import type { PlotTable } from '../formats/plotData';
import type { StepPoint } from '../formats/stepSeries';
import type { RepoInfo } from '../git/repo';
import { runGit } from '../git/exec';
import { DvcCache } from '../indexer/dvcCache';
import { CACHE_OID_PREFIX } from '../indexer/blobFetcher';
import { baseOf, isUnder, resolveInRepo } from '../util/paths';
import { decodePayload } from '../util/values';
import { pipelinesAt } from './history';

export const IMAGE_FILE = /\.(png|jpe?g|svg|gif)$/i;

/** Plot properties as written in dvc.yaml; x/y mapping keys are turned into repository paths. */
export interface PlotProps {
  template?: string;
  x?: string | Record<string, string>;
  y?: string | string[] | Record<string, string | string[]>;
  x_label?: string;
  y_label?: string;
  title?: string;
}

export interface PlotDefinition {
  /** What DVC calls the plot: the data file's repository path, or the definition's name. */
  id: string;
  /** The dvc.yaml folder ('' for the root). */
  project: string;
  /** Repository paths of the data files (or the one image) the plot reads. */
  files: string[];
  props: PlotProps;
  image: boolean;
}

export interface PlotFile {
  path: string;
  role: 'plots' | 'series';
  /** revision_file status: ok, missing, refused, not-in-cache, ... */
  status: string;
  source: string;
  oid: string | null;
  image: boolean;
  table?: PlotTable;
  /** Why the file has no table (missing, parse error with position, not in cache). */
  problem?: string;
}

export interface RevisionPlots {
  sha: string;
  definitions: PlotDefinition[];
  files: Map<string, PlotFile>;
}

interface FileRow {
  path: string;
  role: 'plots' | 'series';
  status: string;
  source: string;
  detail: string | null;
  oid: string | null;
  brole: string | null;
  bstatus: string | null;
  message: string | null;
  line: number | null;
  col: number | null;
  payload: string | null;
}

/** Every plot file the index holds for a revision, with its table when it parsed. */
export function plotFilesAt(store: Store, sha: string): Map<string, PlotFile> {
  const rows = store
    .sql(
      `SELECT rf.path, rf.role, rf.status, rf.source, rf.detail, b.oid, b.role AS brole, b.status AS bstatus, b.message, b.line, b.col, b.payload
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role IN ('plots', 'series') ORDER BY rf.path`,
    )
    .all(sha) as FileRow[];
  const files = new Map<string, PlotFile>();
  for (const r of rows) {
    const image = r.brole === 'image' || IMAGE_FILE.test(r.path);
    const file: PlotFile = { path: r.path, role: r.role, status: r.status, source: r.source, oid: r.oid, image };
    if (r.status !== 'ok') file.problem = r.detail ?? `${r.path} is ${r.status}`;
    else if (r.bstatus !== 'ok')
      file.problem = `${r.path}${r.line ? `, line ${r.line}${r.col ? `, column ${r.col}` : ''}` : ''}: ${r.message ?? r.bstatus ?? 'unreadable'}`;
    else if (!image && r.payload)
      file.table = r.role === 'series' ? seriesTable(r.path, decodePayload<StepPoint[]>(r.payload)) : decodePayload<PlotTable>(r.payload);
    files.set(r.path, file);
  }
  return files;
}

/** A DVCLive series as the table DVC reads from the TSV: [timestamp,] step, <basename>. */
export function seriesTable(path: string, points: StepPoint[]): PlotTable {
  const name = baseOf(path).replace(/\.tsv$/i, '');
  const timed = points.some((p) => p.timestamp !== undefined);
  const columns = timed ? ['timestamp', 'step', name] : ['step', name];
  return {
    columns,
    rows: points.map((p) =>
      timed ? { timestamp: p.timestamp ?? null, step: p.step, [name]: p.value } : { step: p.step, [name]: p.value },
    ),
  };
}

/** Plot definitions of a revision, directories expanded against the files the index has. */
export function plotDefinitionsAt(store: Store, sha: string, files: Map<string, PlotFile> = plotFilesAt(store, sha)): PlotDefinition[] {
  const out = new Map<string, PlotDefinition>();
  const paths = [...files.keys()];
  const add = (project: string, id: string, props: PlotProps, dataFiles: string[]) => {
    const key = `${project}\0${id}`;
    const prev = out.get(key);
    if (prev) {
      prev.props = { ...prev.props, ...props };
      prev.files = [...new Set([...prev.files, ...dataFiles])];
      return;
    }
    out.set(key, { id, project, files: dataFiles, props, image: dataFiles.length === 1 && IMAGE_FILE.test(dataFiles[0]) });
  };
  /** An id naming a path: the file itself, else one plot per file below it. */
  const addPath = (project: string, written: string, props: PlotProps) => {
    const resolved = resolveInRepo(project, written);
    if (!resolved.ok) return;
    const path = resolved.path;
    const below = files.has(path) ? [path] : paths.filter((p) => p !== path && isUnder(p, path));
    const extra = axisFiles(props);
    if (below.length === 0) add(project, path, props, [...new Set([path, ...extra])]);
    for (const file of below) add(project, file, props, [...new Set([file, ...extra])]);
  };
  for (const { project, def } of pipelinesAt(store, sha)) {
    for (const plot of def.plots) {
      const props = cleanProps(project, plot);
      if (plot.projectPath !== undefined) addPath(project, plot.projectPath, props);
      else add(project, plot.id, props, axisFiles(props));
    }
    for (const stage of def.stages) {
      for (const o of stage.outs) {
        if (o.kind === 'plot') addPath(project, o.projectPath, cleanProps(project, { ...o.plot }));
      }
    }
  }
  return [...out.values()];
}

export function plotsAt(store: Store, sha: string): RevisionPlots {
  const files = plotFilesAt(store, sha);
  return { sha, files, definitions: plotDefinitionsAt(store, sha, files) };
}

function cleanProps(
  project: string,
  raw: { template?: string; x?: unknown; y?: unknown; x_label?: string; y_label?: string; title?: string },
): PlotProps {
  const props: PlotProps = {};
  for (const key of ['template', 'x_label', 'y_label', 'title'] as const) if (typeof raw[key] === 'string') props[key] = raw[key];
  if (typeof raw.x === 'string') props.x = raw.x;
  else if (isMap(raw.x)) props.x = remap(project, raw.x as Record<string, string>);
  if (typeof raw.y === 'string' || Array.isArray(raw.y)) props.y = raw.y as string | string[];
  else if (isMap(raw.y)) props.y = remap(project, raw.y as Record<string, string | string[]>);
  return props;
}

function remap<T>(project: string, map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [file, cols] of Object.entries(map)) {
    const resolved = resolveInRepo(project, file);
    if (resolved.ok) out[resolved.path] = cols;
  }
  return out;
}

function axisFiles(props: PlotProps): string[] {
  const files = new Set<string>();
  for (const axis of [props.x, props.y]) if (isMap(axis)) for (const f of Object.keys(axis as object)) files.add(f);
  return [...files];
}

function isMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ImageRead = { ok: true; bytes: Buffer; mime: string } | { ok: false; reason: string };

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

export function imageMime(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'svg' ? 'image/svg+xml' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'gif' ? 'image/gif' : 'image/png';
}

/**
 * The bytes of a plot image at its revision: the workspace file (a regular file inside the
 * repository, symlinks not followed), the Git blob, or the DVC cache object.
 */
export async function readPlotImage(repo: RepoInfo, file: PlotFile, maxBytes = MAX_IMAGE_BYTES): Promise<ImageRead> {
  if (file.status !== 'ok' || !file.oid) return { ok: false, reason: file.problem ?? `${file.path} is ${file.status}` };
  const mime = imageMime(file.path);
  const tooBig = (size: number): ImageRead => ({
    ok: false,
    reason: `${file.path} is ${(size / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB shown in the Plots view`,
  });
  try {
    if (file.oid.startsWith(CACHE_OID_PREFIX)) {
      const read = new DvcCache(repo.root).read(file.oid.slice(CACHE_OID_PREFIX.length), maxBytes);
      return read.ok ? { ok: true, bytes: read.bytes, mime } : { ok: false, reason: `${file.path}: ${read.reason}` };
    }
    if (file.source === 'workspace') {
      const full = join(repo.root, ...file.path.split('/'));
      const stat = lstatSync(full);
      if (!stat.isFile()) return { ok: false, reason: `${file.path} is not a regular file; not read` };
      const root = realpathSync(repo.root);
      if (!realpathSync(full).startsWith(root + sep)) return { ok: false, reason: `${file.path} leads outside the workspace; not read` };
      if (stat.size > maxBytes) return tooBig(stat.size);
      return { ok: true, bytes: readFileSync(full), mime };
    }
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(file.oid)) return { ok: false, reason: `${file.path}: unexpected object id` };
    const size = Number((await runGit(repo.root, ['cat-file', '-s', file.oid])).toString('utf8').trim());
    if (!Number.isFinite(size)) return { ok: false, reason: `${file.path}: Git object ${file.oid} is not readable` };
    if (size > maxBytes) return tooBig(size);
    return { ok: true, bytes: await runGit(repo.root, ['cat-file', 'blob', file.oid]), mime };
  } catch (error) {
    return { ok: false, reason: `${file.path}: ${(error as Error).message.split('\n')[0]}` };
  }
}
