// dvc.yaml: parse the document (keeping where every node sits, for error positions), list
// the files templating needs, and turn one already-rendered stage body into a StageDef with
// DVC 3.x schema checks (dvc/schema.py, dvc/stage/loader.py, dvc/output.py). Rendering of
// `${}`/foreach/matrix lives in dvcYamlRender.ts.

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { isPlainObject, pyTypeName } from '../python/pyStr';
import { failure, success } from '../data/types';
import type { ParseResult } from '../data/types';

export interface PlotFlags {
  template?: string;
  x?: string;
  y?: string | string[];
  x_label?: string;
  y_label?: string;
  title?: string;
  header?: boolean;
}
export type OutKind = 'out' | 'metric' | 'plot';
export interface OutSpec {
  kind: OutKind;
  /** As written, relative to the stage's wdir. */
  path: string;
  /** Posix-normalized, relative to the dvc.yaml folder with wdir applied; may start with '../'. URLs and absolute paths are kept as written. */
  projectPath: string;
  cache: boolean;
  persist: boolean;
  push: boolean;
  remote?: string;
  desc?: string;
  type?: string;
  labels?: string[];
  meta?: unknown;
  plot?: PlotFlags;
}
export interface DepSpec {
  path: string;
  projectPath: string;
}
export interface ParamsSpec {
  /** As written relative to wdir, default 'params.yaml'. */
  file: string;
  projectPath: string;
  /** null = whole file tracked. */
  keys: string[] | null;
}
export interface StageDef {
  /** Generated names like 'train@0', 'build@us', 'train@lr1-relu'. */
  name: string;
  cmd: string | string[];
  /** Project-relative, '.' default. */
  wdir: string;
  deps: DepSpec[];
  outs: OutSpec[];
  params: ParamsSpec[];
  frozen: boolean;
  alwaysChanged: boolean;
  desc?: string;
  meta?: unknown;
  /** 1-based line of the stage's key under `stages:` (the group's key for generated stages). */
  line?: number;
  /** The `stages:` key this stage came from; differs from name for foreach/matrix stages. */
  group?: string;
  /**
   * Keys its body read through `${}` from params.yaml and vars files (project-relative), in
   * the order first read; absent when none. DVC's stage.tracked_vars.
   */
  trackedVars?: { file: string; keys: string[] }[];
}
export interface TopPlot {
  /** Path or id. */
  id: string;
  /** Set when the id names the data file (y is not a {file: cols} mapping). */
  projectPath?: string;
  /** Project-relative data files named as keys of x/y mappings. */
  files?: string[];
  x?: unknown;
  y?: unknown;
  template?: string;
  title?: string;
  x_label?: string;
  y_label?: string;
}
export interface ArtifactDef {
  name: string;
  path: string;
  projectPath?: string;
  type?: string;
  desc?: string;
  labels?: string[];
  meta?: unknown;
}
export interface PipelineError {
  stage?: string;
  message: string;
  line?: number;
  column?: number;
}
export interface PipelineDef {
  stages: StageDef[];
  /** Top-level params files, project-relative. */
  params: string[];
  /** Top-level metrics, project-relative. */
  metrics: string[];
  plots: TopPlot[];
  artifacts: ArtifactDef[];
  errors: PipelineError[];
}

export type PathPart = string | number;
export interface SourcePos {
  line: number;
  column: number;
}
export interface RawDvcYaml {
  /** The document as plain JS (aliases and `<<` merges applied). */
  data: { [key: string]: unknown };
  /** 1-based positions of value nodes, by posKey(path). */
  valuePositions: Map<string, SourcePos>;
  /** 1-based positions of mapping keys, by posKey(path of the value). */
  keyPositions: Map<string, SourcePos>;
}

export const STAGE_KEYS = ['cmd', 'wdir', 'deps', 'params', 'outs', 'metrics', 'plots', 'frozen', 'always_changed', 'desc', 'meta', 'vars'];
export const TOP_KEYS = ['stages', 'vars', 'params', 'metrics', 'plots', 'artifacts', 'datasets'];

export function posKey(path: readonly PathPart[]): string {
  return path.join('\u0000');
}

/** Nearest known position for a path: the node itself, else its closest ancestor. */
export function positionOf(raw: RawDvcYaml, path: readonly PathPart[], preferKey = false): SourcePos | undefined {
  for (let n = path.length; n >= 0; n--) {
    const k = posKey(path.slice(0, n));
    const pos = preferKey ? (raw.keyPositions.get(k) ?? raw.valuePositions.get(k)) : (raw.valuePositions.get(k) ?? raw.keyPositions.get(k));
    if (pos) return pos;
  }
  return undefined;
}

export function parseDvcYaml(text: string): ParseResult<RawDvcYaml> {
  const lineCounter = new LineCounter();
  // merge: DVC loads with ruamel, which applies `<<` merge keys; uniqueKeys matches its
  // DuplicateKeyError.
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number): SourcePos => {
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, column: lp.col };
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const p = pos(err.pos[0]);
    return failure(err.message.split('\n')[0], p.line, p.column);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    return failure(`cannot load dvc.yaml: ${(e as Error).message}`);
  }
  // An empty dvc.yaml is an empty pipeline for DVC (`data or {}`).
  if (data === null || data === undefined) data = {};
  if (!isPlainObject(data)) {
    const p = doc.contents?.range ? pos(doc.contents.range[0]) : undefined;
    return failure(`dvc.yaml must be a mapping at the top level, got ${pyTypeName(data)}`, p?.line, p?.column);
  }
  const valuePositions = new Map<string, SourcePos>();
  const keyPositions = new Map<string, SourcePos>();
  const walk = (node: unknown, path: PathPart[]): void => {
    if (!node || isAlias(node)) return;
    const n = node as YamlNode;
    if (n.range) valuePositions.set(posKey(path), pos(n.range[0]));
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const childPath = [...path, key];
        if (keyNode?.range) keyPositions.set(posKey(childPath), pos(keyNode.range[0]));
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return success({ data, valuePositions, keyPositions });
}

/** Posix normalization: drops '.' and empty segments, folds 'a/..'; keeps leading '../'. */
export function normalizePath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && absolute) continue;
    else out.push(seg);
  }
  const joined = out.join('/');
  if (absolute) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Joins a path onto a project-relative folder; URLs and absolute paths stay as written. */
export function projectPathOf(wdir: string, p: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(p) || p.startsWith('/')) return p;
  return normalizePath(wdir === '.' || wdir === '' ? p : `${wdir}/${p}`);
}

/**
 * Project-relative files whose parsed contents renderPipeline needs: 'params.yaml' always
 * first (it may not exist), then every `vars` file (top-level and stage-level), deduplicated,
 * without ':keys' suffix. Stage-level vars files are relative to the stage's wdir; a wdir
 * that is itself templated cannot be known here, so such files are listed as if wdir were '.'.
 */
export function contextFilesOf(raw: RawDvcYaml): string[] {
  const files = new Set<string>(['params.yaml']);
  const addVars = (vars: unknown, wdir: unknown): void => {
    if (!Array.isArray(vars)) return;
    const base = typeof wdir === 'string' && !wdir.includes('${') ? normalizePath(wdir) : '.';
    for (const item of vars) {
      if (typeof item !== 'string' || item.includes('${')) continue;
      files.add(projectPathOf(base, item.split(':')[0]));
    }
  };
  addVars(raw.data.vars, '.');
  const stages = raw.data.stages;
  if (isPlainObject(stages)) {
    for (const def of Object.values(stages)) {
      if (!isPlainObject(def)) continue;
      const body = 'foreach' in def && isPlainObject(def.do) ? def.do : def;
      addVars(body.vars, body.wdir);
    }
  }
  return [...files];
}
