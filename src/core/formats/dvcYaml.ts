// dvc.yaml: parse the document (keeping where every node sits, for error positions), list
// the files templating needs, and turn one already-rendered stage body into a StageDef with
// DVC 3.x schema checks (dvc/schema.py, dvc/stage/loader.py, dvc/output.py). Rendering of
// `${}`/foreach/matrix lives in dvcYamlRender.ts.

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { isPlainObject, pyTypeName } from './pyStr';
import { failure, success } from './types';
import type { ParseResult } from './types';

export interface PlotFlags { template?: string; x?: string; y?: string | string[]; x_label?: string; y_label?: string; title?: string; header?: boolean }
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
export interface DepSpec { path: string; projectPath: string }
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
export interface ArtifactDef { name: string; path: string; projectPath?: string; type?: string; desc?: string; labels?: string[]; meta?: unknown }
export interface PipelineError { stage?: string; message: string; line?: number; column?: number }
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
export interface SourcePos { line: number; column: number }
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
const OUT_FLAGS = ['cache', 'persist', 'remote', 'push', 'desc', 'type', 'labels', 'meta', 'checkpoint'];
const PLOT_FLAGS = ['template', 'x', 'y', 'x_label', 'y_label', 'title', 'header'];

export function posKey(path: readonly PathPart[]): string {
  return path.join('\u0000');
}

/** Nearest known position for a path: the node itself, else its closest ancestor. */
export function positionOf(raw: RawDvcYaml, path: readonly PathPart[], preferKey = false): SourcePos | undefined {
  for (let n = path.length; n >= 0; n--) {
    const k = posKey(path.slice(0, n));
    const pos = preferKey ? raw.keyPositions.get(k) ?? raw.valuePositions.get(k) : raw.valuePositions.get(k) ?? raw.keyPositions.get(k);
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

/** A schema problem at `path` (relative to the stage body); the renderer adds the position. */
export class StageSchemaError extends Error {
  /** atKey: point at the mapping key (unknown keys, missing fields) rather than its value. */
  constructor(message: string, readonly path: PathPart[] = [], readonly atKey = false) {
    super(message);
  }
}

function expectType<T>(ok: (v: unknown) => v is T, v: unknown, what: string, path: PathPart[]): T {
  if (!ok(v)) throw new StageSchemaError(`'${what}' must be ${describe(ok)}, got ${pyTypeName(v)}`, path);
  return v;
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
function describe(fn: unknown): string {
  return fn === isStr ? 'a string' : fn === isBool ? 'a boolean' : 'a list of strings';
}

/** `_merge_params` from dvc/dependency/__init__.py: whole-file entries win over key lists. */
function buildParams(list: unknown[], wdir: string): ParamsSpec[] {
  const whole = new Set<string>();
  list.forEach((entry, i) => {
    if (typeof entry === 'string') return;
    if (!isPlainObject(entry)) throw new StageSchemaError(`'params' entries must be a key or a {file: [keys]} mapping, got ${pyTypeName(entry)}`, ['params', i]);
    for (const [file, keys] of Object.entries(entry)) {
      if (keys === null || (Array.isArray(keys) && keys.length === 0)) whole.add(file);
    }
  });
  const byFile = new Map<string, string[] | null>();
  const add = (file: string, keys: string[] | null): void => {
    const prev = byFile.get(file);
    if (whole.has(file) || keys === null) byFile.set(file, null);
    else if (prev === null) return;
    else byFile.set(file, [...new Set([...(prev ?? []), ...keys])]);
  };
  list.forEach((entry, i) => {
    if (typeof entry === 'string') return add('params.yaml', [entry]);
    for (const [file, keys] of Object.entries(entry as object)) {
      if (whole.has(file)) add(file, null);
      else add(file, expectType(isStrList, keys, `params.${file}`, ['params', i, file]));
    }
  });
  return [...byFile].map(([file, keys]) => ({ file, projectPath: projectPathOf(wdir, file), keys }));
}

/** `_merge_data` + `load_from_pipeline` from dvc/output.py: entries for one path merge. */
function buildOuts(list: unknown[], section: 'outs' | 'metrics' | 'plots', wdir: string): OutSpec[] {
  const kind: OutKind = section === 'outs' ? 'out' : section === 'metrics' ? 'metric' : 'plot';
  const allowed = section === 'plots' ? [...OUT_FLAGS, ...PLOT_FLAGS] : OUT_FLAGS;
  const merged = new Map<string, { [k: string]: unknown }>();
  const where = new Map<string, PathPart[]>(); // raw path of the last entry for a path, for positions
  list.forEach((entry, i) => {
    if (typeof entry === 'string') {
      if (!merged.has(entry)) merged.set(entry, {});
      if (!where.has(entry)) where.set(entry, [section, i]);
      return;
    }
    if (!isPlainObject(entry)) throw new StageSchemaError(`'${section}' entries must be a path or a {path: {flags}} mapping, got ${pyTypeName(entry)}`, [section, i]);
    for (const [path, flags] of Object.entries(entry)) {
      if (!isPlainObject(flags)) throw new StageSchemaError(`expected a mapping of flags for '${path}' in '${section}', got ${pyTypeName(flags)}`, [section, i, path]);
      for (const flag of Object.keys(flags)) {
        if (!allowed.includes(flag)) throw new StageSchemaError(`unknown flag '${flag}' for '${path}' in '${section}'`, [section, i, path, flag], true);
      }
      merged.set(path, { ...(merged.get(path) ?? {}), ...flags });
      where.set(path, [section, i, path]);
    }
  });
  return [...merged].map(([path, f]) => {
    const at = (flag: string): PathPart[] => [...(where.get(path) ?? [section]), flag];
    const out: OutSpec = {
      kind,
      path,
      projectPath: projectPathOf(wdir, path),
      cache: f.cache === undefined ? true : expectType(isBool, f.cache, 'cache', at('cache')),
      persist: f.persist === undefined ? false : expectType(isBool, f.persist, 'persist', at('persist')),
      push: f.push === undefined ? true : expectType(isBool, f.push, 'push', at('push')),
    };
    for (const key of ['remote', 'desc', 'type'] as const) {
      if (f[key] !== undefined) out[key] = expectType(isStr, f[key], key, at(key));
    }
    if (f.labels !== undefined) out.labels = expectType(isStrList, f.labels, 'labels', at('labels'));
    if (f.meta !== undefined) out.meta = f.meta;
    if (kind === 'plot') {
      const plot: PlotFlags = {};
      for (const key of ['template', 'x', 'x_label', 'y_label', 'title'] as const) {
        if (f[key] !== undefined) plot[key] = expectType(isStr, f[key], key, at(key));
      }
      if (f.y !== undefined) {
        plot.y = typeof f.y === 'string' ? f.y : expectType(isStrList, f.y, 'y', at('y'));
      }
      if (f.header !== undefined) plot.header = expectType(isBool, f.header, 'header', at('header'));
      out.plot = plot;
    }
    return out;
  });
}

/** A list-valued section; DVC's schema wants a list, an empty `key:` (null) is read as none. */
function listOf(def: { [k: string]: unknown }, key: string): unknown[] {
  const v = def[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new StageSchemaError(`'${key}' must be a list, got ${pyTypeName(v)}`, [key]);
  return v;
}

/**
 * A StageDef from a stage body whose `${}` are already rendered (and `vars`, `matrix`
 * removed). `wdir` is the project-relative wdir the renderer computed.
 */
export function buildStage(name: string, def: { [k: string]: unknown }, wdir: string): StageDef {
  for (const key of Object.keys(def)) {
    if (!STAGE_KEYS.includes(key)) throw new StageSchemaError(`unknown key '${key}'`, [key], true);
  }
  const cmd = def.cmd;
  if (cmd === undefined) throw new StageSchemaError(`'cmd' is required`, [], true);
  if (!(typeof cmd === 'string' || isStrList(cmd))) {
    throw new StageSchemaError(`'cmd' must be a string or a list of strings, got ${pyTypeName(cmd)}`, ['cmd']);
  }
  const deps = listOf(def, 'deps').map((d, i) => {
    const path = expectType(isStr, d, `deps[${i}]`, ['deps', i]);
    return { path, projectPath: projectPathOf(wdir, path) };
  });
  const stage: StageDef = {
    name,
    cmd,
    wdir,
    deps,
    outs: [
      ...buildOuts(listOf(def, 'outs'), 'outs', wdir),
      ...buildOuts(listOf(def, 'metrics'), 'metrics', wdir),
      ...buildOuts(listOf(def, 'plots'), 'plots', wdir),
    ],
    params: buildParams(listOf(def, 'params'), wdir),
    frozen: def.frozen === undefined ? false : expectType(isBool, def.frozen, 'frozen', ['frozen']),
    alwaysChanged: def.always_changed === undefined ? false : expectType(isBool, def.always_changed, 'always_changed', ['always_changed']),
  };
  if (def.desc !== undefined) stage.desc = expectType(isStr, def.desc, 'desc', ['desc']);
  if (def.meta !== undefined) stage.meta = def.meta;
  return stage;
}

const TOP_PLOT_KEYS = ['x', 'y', 'x_label', 'y_label', 'title', 'template'];

/** A top-level `plots:` entry (PLOT_DEFINITION in dvc/schema.py), already rendered. */
export function buildTopPlot(entry: unknown): TopPlot {
  if (typeof entry === 'string') return { id: entry, projectPath: projectPathOf('.', entry) };
  if (!isPlainObject(entry) || Object.keys(entry).length !== 1) {
    throw new StageSchemaError(`a plot must be a path or a single {id: definition} mapping`);
  }
  const [id, def] = Object.entries(entry)[0];
  if (def === null || def === undefined) return { id, projectPath: projectPathOf('.', id) };
  if (!isPlainObject(def)) throw new StageSchemaError(`plot '${id}' must be a mapping, got ${pyTypeName(def)}`, [id]);
  const plot: TopPlot = { id };
  for (const key of Object.keys(def)) {
    if (!TOP_PLOT_KEYS.includes(key)) throw new StageSchemaError(`plot '${id}': unknown key '${key}'`, [id, key], true);
  }
  for (const key of ['template', 'title', 'x_label', 'y_label'] as const) {
    if (def[key] !== undefined) plot[key] = expectType(isStr, def[key], key, [id, key]);
  }
  const files: string[] = [];
  for (const axis of ['x', 'y'] as const) {
    const v = def[axis];
    if (v === undefined) continue;
    // x: col | {file: col}; y: col | [cols] | {file: col | [cols]}
    const okCols = (c: unknown): boolean => typeof c === 'string' || (axis === 'y' && isStrList(c));
    if (isPlainObject(v)) {
      for (const [file, cols] of Object.entries(v)) {
        if (!okCols(cols)) throw new StageSchemaError(`plot '${id}': bad columns for '${file}' in '${axis}'`, [id, axis, file]);
        files.push(projectPathOf('.', file));
      }
    } else if (!okCols(v)) {
      throw new StageSchemaError(`plot '${id}': bad '${axis}', got ${pyTypeName(v)}`, [id, axis]);
    }
    plot[axis] = v;
  }
  // With {file: cols} the id is a free name; otherwise it names the data file.
  if (files.length > 0) plot.files = [...new Set(files)];
  if (!isPlainObject(def.y)) plot.projectPath = projectPathOf('.', id);
  return plot;
}

/** One `artifacts:` entry (ARTIFACT_SCHEMA in dvc/annotations.py), already rendered. */
export function buildArtifact(name: string, def: unknown): ArtifactDef {
  if (!isPlainObject(def)) throw new StageSchemaError(`artifact '${name}' must be a mapping, got ${pyTypeName(def)}`);
  for (const key of Object.keys(def)) {
    if (!['path', 'type', 'desc', 'labels', 'meta'].includes(key)) throw new StageSchemaError(`artifact '${name}': unknown key '${key}'`, [key], true);
  }
  if (def.path === undefined) throw new StageSchemaError(`artifact '${name}': 'path' is required`, [], true);
  const path = expectType(isStr, def.path, 'path', ['path']);
  const art: ArtifactDef = { name, path, projectPath: projectPathOf('.', path) };
  if (def.type !== undefined) art.type = expectType(isStr, def.type, 'type', ['type']);
  if (def.desc !== undefined) art.desc = expectType(isStr, def.desc, 'desc', ['desc']);
  if (def.labels !== undefined) art.labels = expectType(isStrList, def.labels, 'labels', ['labels']);
  if (def.meta !== undefined) art.meta = def.meta;
  return art;
}
