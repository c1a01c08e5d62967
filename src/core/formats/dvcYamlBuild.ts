// Building typed stages, plots and artifacts from a rendered dvc.yaml mapping, with DVC's
// schema checks; split from dvcYaml.ts, which parses and locates.
import type { OutSpec, ParamsSpec, StageDef, TopPlot, ArtifactDef, PlotFlags, OutKind, PathPart } from './dvcYaml';
import { STAGE_KEYS, projectPathOf } from './dvcYaml';
import { isPlainObject, pyTypeName } from '../python/pyStr';

const OUT_FLAGS = ['cache', 'persist', 'remote', 'push', 'desc', 'type', 'labels', 'meta', 'checkpoint'];
const PLOT_FLAGS = ['template', 'x', 'y', 'x_label', 'y_label', 'title', 'header'];

/** A schema problem at `path` (relative to the stage body); the renderer adds the position. */
export class StageSchemaError extends Error {
  /** atKey: point at the mapping key (unknown keys, missing fields) rather than its value. */
  constructor(
    message: string,
    readonly path: PathPart[] = [],
    readonly atKey = false,
  ) {
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
    if (!isPlainObject(entry))
      throw new StageSchemaError(`'params' entries must be a key or a {file: [keys]} mapping, got ${pyTypeName(entry)}`, ['params', i]);
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
    if (!isPlainObject(entry))
      throw new StageSchemaError(`'${section}' entries must be a path or a {path: {flags}} mapping, got ${pyTypeName(entry)}`, [
        section,
        i,
      ]);
    for (const [path, flags] of Object.entries(entry)) {
      if (!isPlainObject(flags))
        throw new StageSchemaError(`expected a mapping of flags for '${path}' in '${section}', got ${pyTypeName(flags)}`, [
          section,
          i,
          path,
        ]);
      for (const flag of Object.keys(flags)) {
        if (!allowed.includes(flag))
          throw new StageSchemaError(`unknown flag '${flag}' for '${path}' in '${section}'`, [section, i, path, flag], true);
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
    if (!['path', 'type', 'desc', 'labels', 'meta'].includes(key))
      throw new StageSchemaError(`artifact '${name}': unknown key '${key}'`, [key], true);
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
