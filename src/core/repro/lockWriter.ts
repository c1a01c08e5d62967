// Writing dvc.lock as DVC 3 does (dvc/stage/serialize.py to_single_stage_lockfile,
// dvc/dvcfile.py Lockfile.dump_stages / remove_stage):
// - a stage entry is cmd, deps, params, outs in that order, each only when non-empty; deps
//   and outs sorted by path as written in dvc.yaml; an entry is path, `hash: md5` (DVC 3
//   hashes only), md5, size, nfiles, isexec (only when true); params.yaml first, the other
//   files sorted, keys sorted (not recursively).
// - the existing file is re-read the round-trip way and dumped whole: other stages keep
//   their place and are written back in ruamel's form (see yamlLoad.ts); a new stage goes
//   last; `schema: '2.0'` is added first only when the file was empty or missing.
// Unlike DVC (which truncates and writes in place) the file is replaced atomically: a temp
// file in the same folder, fsync, rename. A lock that does not parse is never overwritten.

import { readFileSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite';
import { parseDvcLock } from '../formats/dvcLock';
import { emitYaml, represent, scalar } from '../yamlRoundTrip/dvcYamlDump';
import type { YamlMap, YamlNode } from '../yamlRoundTrip/dvcYamlDump';
import { PyFloat } from '../python/pyFloat';
import type { PyDict, PyKey, PyValue } from '../python/pyFloat';
import type { HashKind, PathHash } from './types';
import { loadYamlRoundTrip } from '../yamlRoundTrip/yamlLoad';

export interface LockOutput {
  /** As written in dvc.yaml (relative to the stage's wdir). */
  path: string;
  hash: PathHash;
  kind: HashKind;
}

export interface LockParams {
  /** The params file as written in dvc.yaml (`params.yaml` for bare keys). */
  file: string;
  /** TrackedParams.values: `{dotted.key: value}`, or the top-level keys of a whole file. */
  values: PyDict | Record<string, PyValue>;
}

export interface LockStageInput {
  /** The rendered cmd, string or list as in dvc.yaml. */
  cmd: string | string[];
  deps: LockOutput[];
  outs: LockOutput[];
  /** Per params file; also accepted as `{file: values}`. */
  params: LockParams[] | Record<string, PyDict | Record<string, unknown>>;
}

/** Python's sorted() over str: code point order, which differs from UTF-16 order past U+FFFF. */
export function pyStrCompare(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i].codePointAt(0) ?? 0) - (cb[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function sortKey(k: PyKey): { kind: 'str'; s: string } | { kind: 'num'; n: number } | undefined {
  if (typeof k === 'string') return { kind: 'str', s: k };
  if (typeof k === 'boolean') return { kind: 'num', n: k ? 1 : 0 };
  if (typeof k === 'number') return { kind: 'num', n: k };
  if (typeof k === 'bigint') return { kind: 'num', n: Number(k) };
  if (k instanceof PyFloat) return { kind: 'num', n: k.value };
  return undefined;
}

/** sorted(params.keys()) in _serialize_params_values; mixed key types fail as in Python. */
function sortedKeys(keys: PyKey[], file: string): PyKey[] {
  const tagged = keys.map((k) => ({ k, s: sortKey(k) }));
  const kinds = new Set(tagged.map((t) => t.s?.kind ?? 'other'));
  if (kinds.size > 1 || kinds.has('other')) {
    if (keys.length <= 1) return keys;
    throw new Error(`DVC cannot record the params of '${file}': its keys mix types that Python cannot sort (${[...kinds].join(', ')}).`);
  }
  return tagged
    .sort((a, b) =>
      a.s!.kind === 'str'
        ? pyStrCompare((a.s as { s: string }).s, (b.s as { s: string }).s)
        : (a.s as { n: number }).n - (b.s as { n: number }).n,
    )
    .map((t) => t.k);
}

function entryOf(o: LockOutput): PyDict {
  const e: PyDict = new Map<PyKey, PyValue>([['path', o.path]]);
  if (o.kind === 'md5') e.set('hash', 'md5');
  e.set('md5', o.hash.md5);
  e.set('size', o.hash.size);
  if (o.hash.nfiles !== undefined) e.set('nfiles', o.hash.nfiles);
  if (o.hash.isexec) e.set('isexec', true);
  return e;
}

const byPath = (a: LockOutput, b: LockOutput): number => pyStrCompare(a.path, b.path);

/** One stage's dvc.lock entry in DVC's order (a Map, ready for dumpDvcYaml / updateLockFile). */
export function lockStageEntry(input: LockStageInput): PyDict {
  const entry: PyDict = new Map<PyKey, PyValue>([['cmd', Array.isArray(input.cmd) ? [...input.cmd] : input.cmd]]);
  if (input.deps.length > 0) entry.set('deps', [...input.deps].sort(byPath).map(entryOf));
  // sorted by file, then params.yaml moved to the front (move_to_end(last=False)).
  const given: LockParams[] = Array.isArray(input.params)
    ? input.params
    : Object.entries(input.params).map(([file, values]) => ({ file, values: values as PyDict | Record<string, PyValue> }));
  const files = [...given].sort((a, b) => pyStrCompare(a.file, b.file));
  const first = files.findIndex((p) => p.file === 'params.yaml');
  if (first > 0) files.unshift(...files.splice(first, 1));
  if (files.length > 0) {
    const params: PyDict = new Map();
    for (const p of files) {
      const values = p.values instanceof Map ? p.values : new Map<PyKey, PyValue>(Object.entries(p.values));
      const sorted: PyDict = new Map();
      for (const k of sortedKeys([...values.keys()], p.file)) sorted.set(k, values.get(k) as PyValue);
      params.set(p.file, sorted);
    }
    entry.set('params', params);
  }
  if (input.outs.length > 0) entry.set('outs', [...input.outs].sort(byPath).map(entryOf));
  return entry;
}

// --- the file --------------------------------------------------------------------------

/** A dvc.lock that cannot be read; the file was left as it is. */
export class LockFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${message}`);
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The existing lock as ruamel's round-trip load would hold it; refuses what DVC cannot read. */
function loadForUpdate(file: string, text: string | undefined): YamlMap {
  const empty = (): YamlMap => ({ kind: 'map', pairs: [], flow: false });
  if (text === undefined) return empty();
  const checked = parseDvcLock(text);
  if (!checked.ok) {
    throw new LockFileError(file, `${checked.message} (dvc.lock was not changed; fix or delete it)`, checked.line, checked.column);
  }
  if (checked.value.schema === '1.0' && checked.value.order.length > 0) {
    throw new LockFileError(
      file,
      'this dvc.lock has the DVC 1.x layout (no schema); DVC 3 does not read it either (dvc.lock was not changed; delete it to regenerate)',
    );
  }
  const rt = loadYamlRoundTrip(text);
  if (!rt.ok) throw new LockFileError(file, `${rt.message} (dvc.lock was not changed)`, rt.line, rt.column);
  if (rt.value === null) return empty();
  if (rt.value.kind !== 'map')
    throw new LockFileError(file, 'dvc.lock must be a mapping at the top level (dvc.lock was not changed)', 1, 1);
  // DVC's schema check refuses `stages:` with no value (and its dump would fail on it).
  const stages = rt.value.pairs.find(([k]) => keyIs(k, 'stages'));
  if (stages && stages[1].kind !== 'map') {
    throw new LockFileError(file, "'stages' must be a mapping of stage names to entries (dvc.lock was not changed)");
  }
  return rt.value;
}

function keyIs(node: YamlNode, name: string): boolean {
  return node.kind === 'scalar' && node.tag === 'str' && node.value === name;
}

/** `data["stages"] = data.get("stages", {})`, with a null `stages:` read as empty. */
function stagesOf(root: YamlMap): YamlMap {
  if (root.pairs.length === 0) root.pairs.push([scalar('str', 'schema'), scalar('str', '2.0')]);
  const pair = root.pairs.find(([k]) => keyIs(k, 'stages'));
  if (!pair) {
    const stages: YamlMap = { kind: 'map', pairs: [], flow: false };
    root.pairs.push([scalar('str', 'stages'), stages]);
    return stages;
  }
  if (pair[1].kind !== 'map') throw new Error(`'stages' in dvc.lock is not a mapping`);
  return pair[1];
}

/** The text DVC writes for dvc.lock after recording `entry` for `stageName` into `oldText`. */
export function renderLockUpdate(file: string, oldText: string | undefined, stageName: string, entry: PyDict | LockStageInput): string {
  const root = loadForUpdate(file, oldText);
  const stages = stagesOf(root);
  const node = represent(entry instanceof Map ? entry : lockStageEntry(entry));
  const existing = stages.pairs.find(([k]) => keyIs(k, stageName));
  if (existing) existing[1] = node;
  else stages.pairs.push([scalar('str', stageName), node]);
  return emitYaml(root);
}

/**
 * Records one stage in dvc.lock like `Lockfile.dump`: replaces the stage where it is or
 * appends it, keeps every other stage, writes atomically. `entry` is lockStageEntry's result
 * or its input. Throws LockFileError (file and
 * line) without touching the file when the existing dvc.lock cannot be read.
 */
export function updateLockFile(absLockPath: string, stageName: string, entry: PyDict | LockStageInput): void {
  const text = renderLockUpdate(absLockPath, readIfExists(absLockPath), stageName, entry);
  writeFileAtomic(absLockPath, text);
}

/**
 * `Lockfile.remove_stage`: drops a stage; the file is deleted when no stage is left. Returns
 * false when there was nothing to remove (file or stage absent).
 */
export function removeLockStage(absLockPath: string, stageName: string): boolean {
  const text = readIfExists(absLockPath);
  if (text === undefined) return false;
  const root = loadForUpdate(absLockPath, text);
  const pair = root.pairs.find(([k]) => keyIs(k, 'stages'));
  if (!pair || pair[1].kind !== 'map') return false;
  const stages = pair[1];
  const index = stages.pairs.findIndex(([k]) => keyIs(k, stageName));
  if (index < 0) return false;
  stages.pairs.splice(index, 1);
  if (stages.pairs.length === 0) unlinkSync(absLockPath);
  else writeFileAtomic(absLockPath, emitYaml(root));
  return true;
}
