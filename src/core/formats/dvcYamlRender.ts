// dvc.yaml templating, after dvc/parsing/{__init__,context,interpolate}.py (DVC 3.x):
// a context from params.yaml + `vars`, `${}` interpolation, foreach/do and matrix expansion.
// DVC fails the whole file on the first problem; here a problem drops only the stage it is
// in, so one bad stage does not hide the rest of the pipeline from the index.

import { STAGE_KEYS, TOP_KEYS, normalizePath, positionOf, projectPathOf } from './dvcYaml';
import { StageSchemaError, buildArtifact, buildStage, buildTopPlot } from './dvcYamlBuild';
import type { PathPart, PipelineDef, PipelineError, RawDvcYaml, StageDef } from './dvcYaml';
import { dvcToStr, isPlainObject, pyTypeName } from '../python/pyStr';
import type { CmdFlagOptions } from '../python/pyStr';

import { Context, HAS_EXPR, KEYCRE, checkExpressions, eachString, interpolate, nodeOf, toTree } from './dvcYamlContext';
import type { Files, Origin, Tree, TreeNode, TrackedVars } from './dvcYamlContext';

export type RenderOptions = CmdFlagOptions;
type Obj = { [key: string]: unknown };

/** A problem while rendering; `path` points into the raw document for the position. */
class RenderError extends Error {
  /** atKey: point at the mapping key (unknown keys, missing fields) rather than its value. */
  constructor(
    message: string,
    readonly path: PathPart[],
    readonly atKey = false,
  ) {
    super(message);
  }
}

/** Walks stage bodies like DVC's `recurse`, turning context errors into positioned RenderErrors. */
class Renderer {
  constructor(readonly options: RenderOptions) {}

  /** Resolves every string; `where` names the section for messages ('stages.train.cmd'). */
  resolve(ctx: Context, v: unknown, key: string | undefined, path: PathPart[], where: string): unknown {
    const at = (fn: () => unknown, p: PathPart[]): unknown => {
      try {
        return fn();
      } catch (e) {
        if (e instanceof RenderError) throw e;
        throw new RenderError(`failed to parse '${where}': ${(e as Error).message}`, p);
      }
    };
    if (typeof v === 'string') return at(() => interpolate(ctx, v, key, this.options), path);
    if (Array.isArray(v)) return v.map((x, i) => this.resolve(ctx, x, key, [...path, i], where));
    if (isPlainObject(v)) {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        const rk = at(() => interpolate(ctx, k, key, this.options), [...path, k]);
        out[typeof rk === 'string' ? rk : dvcToStr(rk)] = this.resolve(ctx, x, key, [...path, k], where);
      }
      return out;
    }
    return v;
  }

  /** `EntryDefinition.resolve_stage`: stage vars, wdir, then every key of the body. */
  entry(ctx: Context, name: string, body: Obj, bodyPath: PathPart[], files: Files): StageDef {
    const where = (k: string): string => `stages.${name}.${k}`;
    let wdir = '.';
    if (body.wdir !== undefined && body.wdir !== null && body.wdir !== '') {
      const w = this.resolve(ctx, body.wdir, 'wdir', [...bodyPath, 'wdir'], where('wdir'));
      wdir = normalizePath(dvcToStr(w));
    }
    const vars = body.vars ?? [];
    if (!Array.isArray(vars) || vars.some((x) => typeof x !== 'string' && !isPlainObject(x))) {
      throw new RenderError(`'vars' must be a list of paths or mappings`, [...bodyPath, 'vars']);
    }
    eachString(vars, [...bodyPath, 'vars'], (s, p) => {
      if (HAS_EXPR.test(s)) throw new RenderError(`failed to parse '${where('vars')}': interpolating is not allowed`, p);
    });
    if (vars.length > 0) {
      ctx = ctx.clone();
      try {
        ctx.loadVars(vars, wdir, files, name);
      } catch (e) {
        throw new RenderError(`failed to parse stage '${name}': ${(e as Error).message}`, [...bodyPath, 'vars']);
      }
    }
    const resolved: Obj = {};
    // As DVC's resolve_stage: every key, wdir again included, resolves while tracking.
    const tracked: TrackedVars = new Map();
    ctx.tracked = tracked;
    try {
      for (const [k, v] of Object.entries(body)) {
        if (k === 'vars') continue;
        resolved[k] = this.resolve(ctx, v, k, [...bodyPath, k], where(k));
      }
    } finally {
      ctx.tracked = undefined;
    }
    delete resolved.wdir;
    try {
      const stage = buildStage(name, resolved, wdir);
      if (tracked.size > 0) stage.trackedVars = [...tracked].map(([file, keys]) => ({ file, keys: [...keys] }));
      return stage;
    } catch (e) {
      if (!(e instanceof StageSchemaError)) throw e;
      throw new RenderError(`stage '${name}': ${e.message}`, [...bodyPath, ...e.path], e.atKey);
    }
  }
}

// --- stages ----------------------------------------------------------------------------

function checkKeys(def: Obj, allowed: string[], path: PathPart[], name: string): void {
  for (const key of Object.keys(def)) {
    if (!allowed.includes(key)) throw new RenderError(`stage '${name}': unknown key '${key}'`, [...path, key], true);
  }
  if (def.cmd === undefined) throw new RenderError(`stage '${name}': 'cmd' is required`, path, true);
}

function syntaxCheck(body: Obj, path: PathPart[], name: string): void {
  for (const [k, v] of Object.entries(body)) {
    eachString(v, [...path, k], (s, p) => {
      try {
        checkExpressions(s);
      } catch (e) {
        throw new RenderError(`failed to parse 'stages.${name}.${k}': ${(e as Error).message}`, p);
      }
    });
  }
}

const isMapOrSeq = (v: unknown): boolean => Array.isArray(v) || isPlainObject(v);

const LOCAL = (path: string): Origin => ({ source: '<local>', path });

/**
 * Where `${expr}`, written alone, takes its value from: DVC resolves foreach/matrix data without
 * unwrapping (unwrap=False), so an item taken from a params file is still that file's node.
 */
function originOf(ctx: Context, written: unknown): Origin | undefined {
  if (typeof written !== 'string') return undefined;
  const matches = [...written.matchAll(KEYCRE)];
  if (matches.length !== 1 || matches[0][0] !== written) return undefined;
  const origin = ctx.lookup(matches[0][1]).origin;
  return origin && ctx.imports.has(origin.source) ? origin : undefined;
}

const under = (origin: Origin | undefined, key: string): Origin =>
  origin ? { source: origin.source, path: `${origin.path}.${key}` } : LOCAL(key);

/** Generated members of a foreach/matrix group: name suffix -> nodes put in the context. */
function members(r: Renderer, ctx: Context, name: string, def: Obj, options: RenderOptions): Map<string, Tree> {
  const out = new Map<string, Tree>();
  const local = (entries: [string, TreeNode][]): Tree => new Map(entries);
  if ('foreach' in def) {
    const data = r.resolve(ctx, def.foreach, undefined, ['stages', name, 'foreach'], `stages.${name}.foreach`);
    const from = originOf(ctx, def.foreach);
    if (isPlainObject(data)) {
      for (const [k, v] of Object.entries(data))
        out.set(
          k,
          local([
            ['item', nodeOf(v, under(from, k))],
            ['key', nodeOf(k, LOCAL('key'))],
          ]),
        );
    } else if (Array.isArray(data)) {
      const composite = data.some(isMapOrSeq);
      data.forEach((v, i) => out.set(composite ? String(i) : dvcToStr(v, options), local([['item', nodeOf(v, under(from, String(i)))]])));
    } else {
      throw new RenderError(`failed to resolve 'stages.${name}.foreach': expected list/dictionary, got ${pyTypeName(data)}`, [
        'stages',
        name,
        'foreach',
      ]);
    }
    return out;
  }
  const path: PathPart[] = ['stages', name, 'matrix'];
  if (!isPlainObject(def.matrix))
    throw new RenderError(`stage '${name}': 'matrix' must be a mapping of lists, got ${pyTypeName(def.matrix)}`, path);
  const matrix = r.resolve(ctx, def.matrix, undefined, path, `stages.${name}.matrix`) as Obj;
  const axes = Object.entries(matrix);
  for (const [axis, values] of axes) {
    if (!Array.isArray(values))
      throw new RenderError(`stage '${name}': matrix axis '${axis}' must be a list, got ${pyTypeName(values)}`, [...path, axis]);
  }
  // itertools.product order: the last axis varies fastest.
  let combos: { frags: string[]; item: [string, TreeNode][] }[] = [{ frags: [], item: [] }];
  for (const [axis, values] of axes as [string, unknown[]][]) {
    const from = originOf(ctx, (def.matrix as Obj)[axis]);
    combos = combos.flatMap((c) =>
      values.map((v, i) => ({
        frags: [...c.frags, isMapOrSeq(v) ? `${axis}${i}` : dvcToStr(v, options)],
        item: [...c.item, [axis, nodeOf(v, from ? under(from, String(i)) : LOCAL(`item.${axis}`))] as [string, TreeNode]],
      })),
    );
  }
  for (const c of combos) {
    const key = c.frags.join('-');
    const item = new Map(c.item);
    const value = Object.fromEntries(c.item.map(([axis, node]) => [axis, node.value]));
    out.set(
      key,
      local([
        ['item', { value, origin: LOCAL('item'), children: item }],
        ['key', nodeOf(key, LOCAL('key'))],
      ]),
    );
  }
  return out;
}

function renderGroup(
  r: Renderer,
  ctx: Context,
  name: string,
  def: unknown,
  files: Files,
  report: (e: RenderError, stage: string) => void,
): StageDef[] {
  const path: PathPart[] = ['stages', name];
  if (!isPlainObject(def)) throw new RenderError(`stage '${name}': expected a mapping, got ${pyTypeName(def)}`, path);
  if (!('foreach' in def) && !('do' in def) && !('matrix' in def)) {
    checkKeys(def, STAGE_KEYS, path, name);
    syntaxCheck(def, path, name);
    return [r.entry(ctx, name, def, path, files)];
  }
  let body: Obj;
  let bodyPath: PathPart[];
  if ('foreach' in def || 'do' in def) {
    for (const key of Object.keys(def)) {
      if (key !== 'foreach' && key !== 'do')
        throw new RenderError(`stage '${name}': unknown key '${key}' beside 'foreach'/'do'`, [...path, key], true);
    }
    if (!('foreach' in def)) throw new RenderError(`stage '${name}': 'do' needs 'foreach'`, path, true);
    if (!isPlainObject(def.do))
      throw new RenderError(`stage '${name}': 'do' must be a stage mapping, got ${pyTypeName(def.do)}`, [...path, 'do']);
    body = def.do;
    bodyPath = [...path, 'do'];
    checkKeys(body, STAGE_KEYS, bodyPath, name);
  } else {
    checkKeys(def, [...STAGE_KEYS, 'matrix'], path, name);
    body = Object.fromEntries(Object.entries(def).filter(([k]) => k !== 'matrix'));
    bodyPath = path;
  }
  syntaxCheck(body, bodyPath, name);
  const stages: StageDef[] = [];
  for (const [suffix, temp] of members(r, ctx, name, def, r.options)) {
    const generated = `${name}@${suffix}`;
    // `set_temporarily(..., reserve=True)`: item/key shadow globals but vars may not redefine them.
    const iterCtx = ctx.clone();
    for (const [k, node] of temp) {
      iterCtx.tree.set(k, node);
      iterCtx.reserved.add(k);
    }
    try {
      stages.push(r.entry(iterCtx, generated, body, bodyPath, files));
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      report(e, generated);
    }
  }
  return stages;
}

// --- the pipeline ----------------------------------------------------------------------

/**
 * Renders every stage and top-level section. `files`: project-relative path -> parsed
 * mapping, undefined when the file does not exist at that revision, or a ParseFailure
 * (see contextFilesOf). Problems go to `errors`; each drops only the stage or entry it is in.
 */
export function renderPipeline(raw: RawDvcYaml, files: Files, options: RenderOptions = {}): PipelineDef {
  const result: PipelineDef = { stages: [], params: [], metrics: [], plots: [], artifacts: [], errors: [] };
  const addError = (message: string, path: PathPart[], stage?: string, preferKey = false): void => {
    const pos = positionOf(raw, path, preferKey);
    const err: PipelineError = { message };
    if (stage !== undefined) err.stage = stage;
    if (pos) Object.assign(err, { line: pos.line, column: pos.column });
    result.errors.push(err);
  };
  const data = raw.data;
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) addError(`unknown top-level key '${key}'`, [key], undefined, true);
  }

  // The context: params.yaml beside dvc.yaml when present, then top-level vars in order.
  // A broken source is reported and skipped; stages that need it then fail on their own.
  const renderer = new Renderer(options);
  const ctx = new Context();
  if (files.get('params.yaml') !== undefined) {
    try {
      ctx.mergeFrom('params.yaml', '.', files);
    } catch (e) {
      addError(`failed to parse 'vars' in dvc.yaml: ${(e as Error).message}`, []);
    }
  }
  const vars = data.vars ?? [];
  if (!Array.isArray(vars)) addError(`'vars' must be a list, got ${pyTypeName(vars)}`, ['vars']);
  else {
    vars.forEach((item, i) => {
      const path: PathPart[] = ['vars', i];
      let interpolated = false;
      eachString(item, path, (s) => (interpolated ||= HAS_EXPR.test(s)));
      try {
        if (interpolated) throw new Error(`interpolating is not allowed`);
        if (typeof item === 'string') ctx.mergeFrom(item, '.', files);
        else if (isPlainObject(item)) ctx.merge(toTree(item, `vars[${i}]`, ''));
        else throw new Error(`expected a path or a mapping, got ${pyTypeName(item)}`);
      } catch (e) {
        addError(`failed to parse 'vars' in dvc.yaml: ${(e as Error).message}`, path);
      }
    });
  }

  const stages = data.stages ?? {};
  if (!isPlainObject(stages)) addError(`'stages' must be a mapping, got ${pyTypeName(stages)}`, ['stages']);
  else {
    for (const [name, def] of Object.entries(stages)) {
      const line = positionOf(raw, ['stages', name], true)?.line;
      const report = (e: RenderError, stage: string): void => addError(e.message, e.path, stage, e.atKey);
      try {
        for (const stage of renderGroup(renderer, ctx, name, def, files, report)) {
          if (line !== undefined) stage.line = line;
          stage.group = name;
          result.stages.push(stage);
        }
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        report(e, name);
      }
    }
  }

  // Top-level sections: rendered like DVC's TopDefinition (no type restriction on values).
  const top = (key: string, each: (entry: unknown, i: number) => void): void => {
    const list = data[key];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) return addError(`'${key}' must be a list, got ${pyTypeName(list)}`, [key]);
    list.forEach((entry, i) => {
      try {
        each(renderer.resolve(ctx, entry, undefined, [key, i], `${key}.${i}`), i);
      } catch (e) {
        if (e instanceof RenderError) addError(e.message, e.path, undefined, e.atKey);
        else if (e instanceof StageSchemaError) addError(`'${key}': ${e.message}`, [key, i, ...e.path], undefined, e.atKey);
        else throw e;
      }
    });
  };
  const pathEntry =
    (key: 'params' | 'metrics') =>
    (v: unknown): void => {
      if (typeof v !== 'string') throw new StageSchemaError(`expected a path, got ${pyTypeName(v)}`);
      result[key].push(projectPathOf('.', v));
    };
  top('params', pathEntry('params'));
  top('metrics', pathEntry('metrics'));
  top('plots', (v) => result.plots.push(buildTopPlot(v)));
  top('datasets', () => undefined);

  const artifacts = data.artifacts;
  if (artifacts !== undefined && artifacts !== null && !isPlainObject(artifacts)) {
    addError(`'artifacts' must be a mapping, got ${pyTypeName(artifacts)}`, ['artifacts']);
  } else if (artifacts) {
    for (const [name, def] of Object.entries(artifacts)) {
      const path: PathPart[] = ['artifacts', name];
      try {
        // `ArtifactDefinition`: the name may be templated but must render to a string.
        const rendered = renderer.resolve(ctx, name, undefined, path, `artifacts.${name}`);
        if (typeof rendered !== 'string')
          throw new RenderError(`failed to resolve 'artifacts.${name}': expected str, got ${pyTypeName(rendered)}`, path);
        result.artifacts.push(buildArtifact(rendered, renderer.resolve(ctx, def, undefined, path, `artifacts.${name}`)));
      } catch (e) {
        if (e instanceof RenderError) addError(e.message, e.path, undefined, e.atKey);
        else if (e instanceof StageSchemaError) addError(`'artifacts': ${e.message}`, [...path, ...e.path], undefined, e.atKey);
        else throw e;
      }
    }
  }
  return result;
}
