// A params file after `-S` overrides, byte for byte as DVC writes it (dvc/utils/hydra.py
// apply_overrides, dvc/utils/collections.py merge_dicts/remove_missing_keys, dvc/utils/serialize):
// the file is loaded (YAML round-trip, JSON with Python's types), the overrides are applied with
// OmegaConf's rules in struct mode (ConfigLoaderImpl._apply_overrides_to_config: `key=v` needs
// the key, `+key=v` needs it absent, `++key=v` sets it either way, `~key` deletes it), and the
// result is merged back into what was loaded: a mapping keeps its node (comments, order, flow
// style; new keys go last), an unchanged scalar keeps its written form, a changed scalar is
// written afresh (keeping the comment on its line), and every list is replaced by a fresh
// block list, as OmegaConf hands lists back as new objects. TOML and Python params files are
// not written yet.

import { PyFloat, PyTimestamp, pyEqual } from '../python/pyFloat';
import type { PyKey, PyValue } from '../python/pyFloat';
import { loadPyText } from '../repro/paramValues';
import { pyJsonDumps } from '../python/pyJson';
import { pyStr } from '../python/pyStr';
import { structuredFormat } from '../formats/structured';
import { emitYaml, represent, scalar } from '../yamlRoundTrip/dvcYamlDump';
import type { YamlMap, YamlNode, YamlScalar } from '../yamlRoundTrip/dvcYamlDump';
import { loadYamlRoundTrip } from '../yamlRoundTrip/yamlLoad';
import { intValue, parseFloatText, parseIntText } from '../yamlRoundTrip/yamlRoundTripScalars';
import { SetParamError, type ParamOverride } from './setParams';

// --- the working tree: what OmegaConf holds ------------------------------------------------

/** A scalar; `node` is the file's own node when the value came from the file. */
class Leaf {
  constructor(
    readonly value: PyValue,
    readonly node?: YamlNode,
  ) {}
}
interface Entry {
  key: PyKey;
  keyNode?: YamlNode;
  value: Tree;
}
/** A mapping; `node` is the file's own mapping when it came from the file. */
class Dict {
  constructor(
    readonly entries: Entry[] = [],
    readonly node?: YamlMap,
  ) {}
}
type Tree = Leaf | Dict | Tree[];

const isContainer = (t: Tree | undefined): t is Dict | Tree[] => t instanceof Dict || Array.isArray(t);

function scalarValue(node: YamlScalar): PyValue {
  switch (node.tag) {
    case 'null':
      return null;
    case 'bool':
      return node.value === 'true';
    case 'int':
      return intValue(parseIntText(node.value));
    case 'float':
      return new PyFloat(parseFloatText(node.value));
    case 'timestamp':
      return new PyTimestamp(node.value, node.value.includes(':') ? 'datetime' : 'date');
    default:
      return node.value;
  }
}

function keyOf(node: YamlNode): PyKey {
  return node.kind === 'scalar' ? (scalarValue(node) as PyKey) : JSON.stringify(node);
}

function fromNode(node: YamlNode): Tree {
  if (node.kind === 'map')
    return new Dict(
      node.pairs.map(([k, v]) => ({ key: keyOf(k), keyNode: k, value: fromNode(v) })),
      node,
    );
  if (node.kind === 'seq') return node.items.map(fromNode);
  return new Leaf(scalarValue(node), node);
}

function fromValue(v: PyValue): Tree {
  if (v instanceof Map) return new Dict([...v].map(([key, value]) => ({ key, value: fromValue(value) })));
  if (Array.isArray(v)) return v.map(fromValue);
  return new Leaf(v);
}

function plain(t: Tree): PyValue {
  if (t instanceof Leaf) return t.value;
  if (Array.isArray(t)) return t.map(plain);
  return new Map(t.entries.map((e) => [e.key, plain(e.value)]));
}

// --- OmegaConf's update/select/delete, in struct mode -----------------------------------

/** A key the config lacks (ConfigAttributeError / ConfigKeyError in OmegaConf). */
class MissingKey extends Error {}
/** A value OmegaConf cannot merge (a dict into a list and the like). */
class MergeFailure extends Error {}

function entryOf(d: Dict, part: string): Entry | undefined {
  return d.entries.find((e) => e.key === part);
}

function listIndex(list: Tree[], part: string): number | undefined {
  if (!/^\d+$/.test(part)) return undefined;
  const i = Number(part);
  return i < list.length ? i : undefined;
}

function child(t: Tree, part: string): Tree | undefined {
  if (t instanceof Dict) return entryOf(t, part)?.value;
  if (Array.isArray(t)) {
    const i = listIndex(t, part);
    return i === undefined ? undefined : t[i];
  }
  return undefined;
}

/** OmegaConf.select: undefined for a missing path and for a None value. */
function select(root: Dict, parts: string[]): Tree | undefined {
  let t: Tree | undefined = root;
  for (const p of parts) {
    t = t === undefined ? undefined : child(t, p);
    if (t === undefined) return undefined;
  }
  return t instanceof Leaf && t.value === null ? undefined : t;
}

function setIn(container: Dict | Tree[], part: string, value: Tree, open: boolean): void {
  if (Array.isArray(container)) {
    const i = listIndex(container, part);
    if (i === undefined) throw new MissingKey(`list index ${part} is out of range`);
    container[i] = value;
    return;
  }
  const e = entryOf(container, part);
  if (e) e.value = value;
  else if (open) container.entries.push({ key: part, value });
  else throw new MissingKey(`Key '${part}' is not in struct`);
}

/** BaseContainer.merge_with: dicts merge key by key, a list is replaced. */
function mergeInto(node: Dict | Tree[], value: Tree, open: boolean): void {
  if (Array.isArray(node)) {
    if (!Array.isArray(value)) throw new MergeFailure('a dict cannot be merged into a list');
    node.splice(0, node.length, ...value);
    return;
  }
  if (!(value instanceof Dict)) throw new MergeFailure('a list cannot be merged into a dict');
  for (const { key, value: v } of value.entries) {
    const part = String(key);
    const e = entryOf(node, part);
    if (e && isContainer(e.value) && isContainer(v)) mergeInto(e.value, v, open);
    else setIn(node, part, v, open);
  }
}

/** OmegaConf.update(cfg, key, value, merge=True, force_add=…). */
function update(root: Dict, parts: string[], value: Tree, forceAdd: boolean): void {
  let node: Dict | Tree[] = root;
  for (const part of parts.slice(0, -1)) {
    const next = child(node, part);
    if (isContainer(next)) {
      node = next;
      continue;
    }
    if (next === undefined && !forceAdd && (node instanceof Dict || listIndex(node, part) === undefined))
      throw new MissingKey(`Key '${part}' is not in struct`);
    // A primitive (or, with force_add, nothing) on the way becomes an empty mapping.
    const fresh = new Dict();
    setIn(node, part, fresh, forceAdd);
    node = fresh;
  }
  const last = parts[parts.length - 1];
  const existing = child(node, last);
  if (isContainer(value) && isContainer(existing)) {
    mergeInto(existing, value, forceAdd);
    return;
  }
  setIn(node, last, value, forceAdd);
}

function remove(root: Dict, parts: string[]): void {
  const parent = parts.length === 1 ? root : select(root, parts.slice(0, -1));
  const last = parts[parts.length - 1];
  if (parent instanceof Dict)
    parent.entries.splice(
      parent.entries.findIndex((e) => e.key === last),
      1,
    );
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
}

/** _apply_overrides_to_config, with DVC's wrapping of its errors. */
function applyTo(root: Dict, overrides: ParamOverride[], file: string): void {
  const fail = (message: string): never => {
    throw new SetParamError(`${file}: Invalid \`--set-param\` value: ${message}`);
  };
  for (const o of overrides) {
    const parts = o.key.split('.');
    const value = o.value === undefined ? undefined : fromValue(o.value);
    try {
      if (o.kind === 'delete') {
        const current = select(root, parts);
        if (current === undefined) fail(`Could not delete from config. '${o.key}' does not exist.`);
        else if (o.value !== undefined && o.value !== null && !pyEqual(o.value, plain(current)))
          fail(`Could not delete from config. The value of '${o.key}' is ${pyStr(plain(current))} and not ${pyStr(o.value)}.`);
        remove(root, parts);
      } else if (o.kind === 'add') {
        if (select(root, parts) === undefined || isContainer(value)) update(root, parts, value!, true);
        else
          fail(
            `Could not append to config. An item is already at '${o.key}'. Either remove + prefix: '${o.input.slice(1)}' Or add a second + to add or override '${o.key}': '+${o.input}'`,
          );
      } else if (o.kind === 'force-add') {
        update(root, parts, value!, true);
      } else {
        try {
          update(root, parts, value!, false);
        } catch (e) {
          if (e instanceof MissingKey) fail(`Could not override '${o.key}'. To append to your config use +${o.input}: ${e.message}`);
          throw e;
        }
      }
    } catch (e) {
      if (e instanceof MissingKey || e instanceof MergeFailure) fail(`Error merging override ${o.input}: ${e.message}`);
      throw e;
    }
  }
}

// --- writing back ---------------------------------------------------------------------

function withoutComments(node: YamlNode): YamlNode {
  if (!node.comments) return node;
  const copy = { ...node };
  delete copy.comments;
  return copy;
}

/** A value OmegaConf hands back as a new object: lists and dicts fresh, file scalars as they were. */
function freshNode(t: Tree): YamlNode {
  // Inside a mapping or list ruamel writes None as nothing (`key:`), not `null`.
  if (t instanceof Leaf) return t.node ? withoutComments(t.node) : t.value === null ? scalar('null', '') : represent(t.value);
  if (Array.isArray(t)) return { kind: 'seq', items: t.map(freshNode), flow: t.length === 0 };
  return {
    kind: 'map',
    pairs: t.entries.map((e) => [e.keyNode ? withoutComments(e.keyNode) : represent(e.key), freshNode(e.value)]),
    flow: t.entries.length === 0,
  };
}

/** merge_dicts(original, new) then remove_missing_keys(original, new), on the loaded nodes. */
function mergeBack(target: YamlMap, result: Dict): void {
  const keyId = (k: PyKey) => (typeof k === 'string' ? `s:${k}` : `o:${pyStr(k)}`);
  const wanted = new Set(result.entries.map((e) => keyId(e.key)));
  target.pairs = target.pairs.filter(([k]) => wanted.has(keyId(keyOf(k))));
  for (const e of result.entries) {
    const pair = target.pairs.find(([k]) => keyId(keyOf(k)) === keyId(e.key));
    if (!pair) {
      target.pairs.push([e.keyNode ?? (typeof e.key === 'string' ? scalar('str', e.key) : represent(e.key)), freshNode(e.value)]);
      continue;
    }
    const old = pair[1];
    // A dict merged into a dict keeps that mapping node (merge_dicts recurses into it).
    if (old.kind === 'map' && e.value instanceof Dict) {
      mergeBack(old, e.value);
      continue;
    }
    if (e.value instanceof Leaf && e.value.node === old) continue;
    let fresh = freshNode(e.value);
    if (old.kind === 'scalar' && fresh.kind === 'scalar') {
      // CommentedMap.__setitem__ gives a plain str the style of the string it replaces (a block
      // scalar stays a block scalar), and the comment on the key's line belongs to the mapping.
      if (old.tag === 'str' && fresh.tag === 'str' && (old.style === '|' || old.style === '>')) fresh = { ...fresh, style: old.style };
      if (old.comments) fresh = { ...fresh, comments: old.comments };
    }
    pair[1] = fresh;
  }
}

// --- the file ----------------------------------------------------------------------------

/** Whether `file` is a kind of params file -S can write (by suffix, as DVC's MODIFIERS). */
export function editableParamsFile(file: string): boolean {
  const format = structuredFormat(file);
  return format === 'yaml' ? /\.ya?ml$/i.test(file) : format === 'json';
}

/**
 * The text DVC writes to `file` after applying `overrides` to `text` (undefined = the file does
 * not exist yet, which DVC reads as {}). Throws SetParamError naming the file when an override
 * does not apply or the file cannot be read.
 */
export function applyParamOverrides(file: string, text: string | undefined, overrides: ParamOverride[]): string {
  if (!editableParamsFile(file)) {
    throw new SetParamError(`${file}: only YAML (.yaml, .yml) and JSON params files can be changed with -S for now`);
  }
  if (structuredFormat(file) === 'json') {
    let data: PyValue = new Map();
    if (text !== undefined && text.trim() !== '') {
      const loaded = loadJsonParams(text);
      if (!loaded.ok) throw new SetParamError(`unable to read: '${file}', JSON file structure is corrupted (${loaded.message})`);
      data = loaded.value;
    }
    if (!(data instanceof Map)) throw new SetParamError(`${file}: the top level is not a mapping of names to values`);
    const root = fromValue(data) as Dict;
    applyTo(root, overrides, file);
    return pyJsonDumps(plain(root));
  }
  let node: YamlNode | null = null;
  if (text !== undefined) {
    const loaded = loadYamlRoundTrip(text);
    if (!loaded.ok)
      throw new SetParamError(
        `unable to read: '${file}', YAML file structure is corrupted (${loaded.message}${loaded.line ? ` at line ${loaded.line}` : ''})`,
      );
    node = loaded.value;
  }
  // `yaml.load(text) or {}`: an empty document (or a falsy scalar) is an empty mapping.
  const root: YamlMap = node && node.kind === 'map' ? node : { kind: 'map', pairs: [], flow: false };
  if (node && node.kind !== 'map' && !(node.kind === 'scalar' && ['', 'false', '0'].includes(node.value))) {
    throw new SetParamError(`${file}: the top level is not a mapping of names to values`);
  }
  const tree = fromNode(root) as Dict;
  applyTo(tree, overrides, file);
  mergeBack(root, tree);
  if (root.pairs.length === 0) root.flow = true;
  return emitYaml(root);
}

/** JSON params loaded with Python's json (floats stay floats), through the params reader. */
function loadJsonParams(text: string): { ok: true; value: PyValue } | { ok: false; message: string } {
  const r = loadPyText(text, 'params.json');
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
}
