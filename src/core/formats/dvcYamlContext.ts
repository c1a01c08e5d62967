// The templating context and `${}` interpolation of dvc.yaml, after DVC 3.x's
// dvc/parsing/context.py and dvc/parsing/interpolate.py. Errors are plain Errors carrying
// DVC's wording; dvcYamlRender.ts adds the stage and the position.

import { dvcToStr, isPlainObject, pyTypeName } from '../python/pyStr';
import { PyTimestamp } from '../python/pyFloat';
import type { CmdFlagOptions } from '../python/pyStr';
import type { PathPart } from './dvcYaml';
import { projectPathOf } from './dvcYaml';
import type { DataMap, ParseFailure } from '../data/types';

/**
 * Parsed templating files by project-relative path. Values may carry Python types
 * (PyFloat, bigint, PyTimestamp from src/core/repro/paramValues.ts templateData) so that
 * `${lr}` with `lr: 1.0` renders `1.0` as DVC does; plain DataMaps render integral floats as ints.
 */
export type ContextMap = DataMap | { [key: string]: unknown };
export type Files = Map<string, ContextMap | ParseFailure | undefined>;
type Obj = { [key: string]: unknown };

// --- context ---------------------------------------------------------------------------

/** Where a context value came from: DVC's "cannot redefine" message, and tracked_vars. */
export interface Origin {
  source: string;
  path: string;
}
export interface TreeNode {
  value: unknown;
  origin: Origin;
  children?: Tree;
}
export type Tree = Map<string, TreeNode>;

/**
 * Keys read through `${}` by one stage, by the project-relative file they came from, in the
 * order first read: DVC's `tracked_vars` (Context._track_data, dvc/parsing/context.py), which
 * `dvc params diff` shows for files no stage tracks as params (dvc/repo/params/show.py _collect_vars).
 */
export type TrackedVars = Map<string, Set<string>>;

/** DVC's context holds only None, int, float, str, bool, lists and dicts (Container._convert). */
function checkSupported(v: unknown, where: string): void {
  if (v instanceof PyTimestamp) throw new Error(`Unsupported value of type '${v.kind}' in '${where}'`);
  if (Array.isArray(v)) v.forEach((x, i) => checkSupported(x, `${where}.${i}`));
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) checkSupported(x, `${where}.${k}`);
}

export function toTree(obj: Obj, source: string, prefix: string): Tree {
  if (!prefix) for (const [k, v] of Object.entries(obj)) checkSupported(v, `${source}:${k}`);
  const tree: Tree = new Map();
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    tree.set(k, { value: v, origin: { source, path }, children: isPlainObject(v) ? toTree(v, source, path) : undefined });
  }
  return tree;
}

/**
 * A value put in the context under `origin` (foreach/matrix items): a mapping gets children so
 * that `${item.lr}` keeps naming the file and key the value came from, as DVC's nodes do.
 */
export function nodeOf(value: unknown, origin: Origin): TreeNode {
  return { value, origin, children: isPlainObject(value) ? toTree(value, origin.source, origin.path) : undefined };
}

function treeValue(tree: Tree): Obj {
  const out: Obj = {};
  for (const [k, node] of tree) out[k] = node.children ? treeValue(node.children) : node.value;
  return out;
}

function cloneTree(tree: Tree): Tree {
  const out: Tree = new Map();
  for (const [k, node] of tree) out.set(k, { ...node, children: node.children && cloneTree(node.children) });
  return out;
}

/** DVC's Context: nested mappings merge; any other redefinition is an error. */
export class Context {
  tree: Tree = new Map();
  /** path -> selected keys, or null when the whole file is loaded (DVC's `imports`). */
  imports = new Map<string, string[] | null>();
  reserved = new Set<string>();
  /** Set while a stage body resolves: what `${}` reads from files goes here. */
  tracked?: TrackedVars;

  clone(): Context {
    const c = new Context();
    c.tree = cloneTree(this.tree);
    c.imports = new Map([...this.imports].map(([k, v]) => [k, v && [...v]]));
    c.reserved = new Set(this.reserved);
    return c;
  }

  merge(update: Tree, item?: string): void {
    const clash = [...update.keys()].filter((k) => this.reserved.has(k));
    if (clash.length > 0) {
      const keys = clash.map((k) => `'${k}'`).join(', ');
      throw new Error(`attempted to modify reserved key${clash.length > 1 ? 's' : ''} ${keys}${item ? ` in '${item}'` : ''}`);
    }
    const mergeInto = (into: Tree, from: Tree): void => {
      for (const [k, node] of from) {
        const existing = into.get(k);
        if (existing?.children && node.children) mergeInto(existing.children, node.children);
        else if (existing) {
          throw new Error(
            `cannot redefine '${node.origin.path}' from '${node.origin.source}' as it already exists in '${existing.origin.source}'`,
          );
        } else into.set(k, node);
      }
    };
    mergeInto(this.tree, update);
  }

  /** `merge_from`: a vars file, optionally `file:key1,key2`, relative to `wdir`. */
  mergeFrom(item: string, wdir: string, files: Files): void {
    const colon = item.indexOf(':');
    const file = colon < 0 ? item : item.slice(0, colon);
    const keys =
      colon < 0
        ? null
        : item
            .slice(colon + 1)
            .split(',')
            .filter(Boolean);
    const selected = keys && keys.length > 0 ? keys : null;
    const path = projectPathOf(wdir, file);
    if (this.imports.has(path)) {
      const imported = this.imports.get(path) ?? null;
      if (!selected && imported === null) return; // the same whole file twice is allowed
      if (!selected || (imported !== null && selected.some((k) => imported.includes(k)))) {
        throw new Error(`cannot load '${item}' as it's partially loaded already`);
      }
      if (imported === null) throw new Error(`cannot partially load '${item}' as it's already loaded.`);
    }
    const data = files.get(path);
    if (data === undefined) throw new Error(`'${path}' does not exist`);
    if (data.ok === false) throw new Error(`unable to read '${path}': ${(data as ParseFailure).message}`);
    let obj = data as Obj;
    if (selected) {
      const picked: Obj = {};
      for (const k of selected) {
        if (!(k in obj)) throw new Error(`could not find '${k}' in '${path}'`);
        picked[k] = obj[k];
      }
      obj = picked;
    }
    this.merge(toTree(obj, path, ''), item);
    const prev = this.imports.get(path);
    this.imports.set(path, selected ? [...(prev ?? []), ...selected] : null);
  }

  loadVars(vars: unknown[], wdir: string, files: Files, stageName?: string): void {
    vars.forEach((item, i) => {
      if (typeof item === 'string') this.mergeFrom(item, wdir, files);
      else this.merge(toTree(item as Obj, `${stageName ? `${stageName}.` : ''}vars[${i}]`, ''));
    });
  }

  /** `Context.select`: `a.b`, `a[0]`; list indexes follow Python's int() (negative too). */
  select(expr: string): unknown {
    return this.lookup(expr).value;
  }

  /**
   * The value an expression names and where it came from: the origin of the deepest context
   * node, extended by the keys and (non-negative) list indexes walked below it, as DVC's
   * Meta.dpaths are. A file value that is not a mapping is recorded in `tracked`.
   */
  lookup(expr: string): { value: unknown; origin?: Origin } {
    const parts = expr
      .replace(/\[/g, '.')
      .replace(/\]/g, '')
      .split('.')
      .map((s) => s.trim());
    let children: Tree | undefined = this.tree;
    let value: unknown;
    let origin: Origin | undefined;
    const below = (key: string): Origin | undefined => origin && { source: origin.source, path: `${origin.path}.${key}` };
    for (const part of parts) {
      if (children) {
        const node = children.get(part);
        if (!node) throw new Error(`Could not find '${expr}'`);
        ({ value, origin, children } = node);
        continue;
      }
      if (Array.isArray(value)) {
        if (!/^[+-]?\d+(?:_\d+)*$/.test(part)) throw new Error(`Could not find '${expr}'`);
        let idx = Number(part.replace(/_/g, ''));
        if (idx < 0) idx += value.length;
        if (idx < 0 || idx >= value.length) throw new Error(`Could not find '${expr}'`);
        value = value[idx];
        origin = below(String(idx));
      } else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, part)) {
        value = value[part];
        origin = below(part);
      } else {
        throw new Error(`Could not find '${expr}'`);
      }
    }
    if (children) value = treeValue(children);
    // DVC tracks values and lists, never a mapping (CtxDict.get_sources is empty), and only
    // what came from a file (inline `vars` mappings and foreach's own key are local).
    if (this.tracked && origin && this.imports.has(origin.source) && !isPlainObject(value)) {
      const keys = this.tracked.get(origin.source) ?? new Set<string>();
      this.tracked.set(origin.source, keys.add(origin.path));
    }
    return { value, origin };
  }
}

// --- interpolation ---------------------------------------------------------------------

export const KEYCRE = /(?<!\\)\$\{(.*?)\}/g;
export const HAS_EXPR = new RegExp(KEYCRE.source);
// The pyparsing grammar: word ('.' word | '[' word ']')*, a word being anything but . [ ]
const EXPR = /^[^.[\]]+(?:\.[^.[\]]+|\[[^.[\]]+\])*$/;

export function checkExpressions(s: string): void {
  for (const m of s.matchAll(KEYCRE)) {
    if (!EXPR.test(m[1])) throw new Error(`invalid interpolation '${m[0]}'`);
  }
}

/** Walks strings (mapping keys included, like DVC's `recurse`) with their raw paths. */
export function eachString(v: unknown, path: PathPart[], fn: (s: string, path: PathPart[]) => void): void {
  if (typeof v === 'string') fn(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => eachString(x, [...path, i], fn));
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      fn(k, [...path, k]);
      eachString(x, [...path, k], fn);
    }
  }
}

/** `validate_value`: containers only into `foreach`, and mappings only into `cmd`. */
function validateValue(value: unknown, key: string | undefined): void {
  const primitive = value === null || typeof value !== 'object' || (!Array.isArray(value) && !isPlainObject(value));
  if (primitive || key === undefined || key.includes('foreach')) return;
  if (isPlainObject(value) && key === 'cmd') return;
  throw new Error(`Cannot interpolate data of type '${pyTypeName(value)}'`);
}

/**
 * `Context.resolve_str`: a string that is exactly one `${x}` yields x itself (any type);
 * otherwise each `${}` renders with DVC's to_str, and `\${` becomes a literal `${`.
 * `key` is the stage key being rendered ('cmd', 'outs', ...), undefined for foreach/matrix
 * data and top-level sections, which DVC does not restrict.
 */
export function interpolate(ctx: Context, src: string, key: string | undefined, options: CmdFlagOptions): unknown {
  checkExpressions(src);
  const matches = [...src.matchAll(KEYCRE)];
  if (matches.length === 1 && matches[0][0] === src) {
    const value = ctx.select(matches[0][1]);
    validateValue(value, key);
    return value;
  }
  let buf = '';
  let index = 0;
  for (const m of matches) {
    const value = ctx.select(m[1]);
    validateValue(value, key);
    buf += src.slice(index, m.index) + dvcToStr(value, options);
    index = (m.index ?? 0) + m[0].length;
  }
  return (buf + src.slice(index)).split('\\${').join('${');
}
