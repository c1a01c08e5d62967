// Interim glue until lockWriter.ts lands: params as DVC reads them and one-stage dvc.lock
// updates through the ruamel-compatible loader and dumper.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseStructured } from '../formats/structured';
import { loadYamlRoundTrip, loadYamlSafe } from './yamlLoad';
import { emitYaml, represent, scalar, type YamlMap, type YamlNode } from './dvcYamlDump';
import type { LockEntryInput, LockedPath } from './runner';

function get(tree: unknown, dotted: string): { found: boolean; value?: unknown } {
  let cur: unknown = tree;
  for (const part of dotted.split('.')) {
    if (cur instanceof Map && cur.has(part)) cur = cur.get(part);
    else if (cur && typeof cur === 'object' && !(cur instanceof Map) && !Array.isArray(cur) && part in (cur as object)) cur = (cur as Record<string, unknown>)[part];
    else return { found: false };
  }
  return { found: true, value: cur };
}

export function readTrackedParams(absFile: string, keys: string[] | null): Record<string, unknown> | undefined {
  let text: string;
  try { text = readFileSync(absFile, 'utf8'); } catch { return undefined; }
  const name = basename(absFile);
  let tree: unknown;
  if (/\.(json|toml|py)$/i.test(name)) {
    const r = parseStructured(text, name);
    if (!r.ok) throw new Error(`${absFile}${r.line ? `:${r.line}` : ''}: ${r.message}`);
    tree = r.value;
  } else {
    const r = loadYamlSafe(text);
    if (!r.ok) throw new Error(`${absFile}${r.line ? `:${r.line}` : ''}: ${r.message}`);
    tree = r.value ?? new Map();
  }
  const out: Record<string, unknown> = {};
  if (keys === null) {
    const entries = tree instanceof Map ? [...tree.entries()] : Object.entries(tree as object);
    for (const [k, v] of entries) out[String(k)] = v;
    return out;
  }
  for (const k of keys) {
    const g = get(tree, k);
    if (g.found) out[k] = g.value;
  }
  return out;
}

function pathEntry(p: LockedPath): Map<string, unknown> {
  const m = new Map<string, unknown>([['path', p.path]]);
  if (p.kind === 'md5') m.set('hash', 'md5');
  m.set('md5', p.hash.md5);
  m.set('size', p.hash.size);
  if (p.hash.nfiles !== undefined) m.set('nfiles', p.hash.nfiles);
  if (p.hash.isexec) m.set('isexec', true);
  return m;
}

export function lockStageData(entry: LockEntryInput): Map<string, unknown> {
  const byPath = (a: LockedPath, b: LockedPath) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const data = new Map<string, unknown>([['cmd', entry.cmd]]);
  if (entry.deps.length) data.set('deps', [...entry.deps].sort(byPath).map(pathEntry));
  const files = Object.keys(entry.params).sort((a, b) => (a === 'params.yaml' ? -1 : b === 'params.yaml' ? 1 : a < b ? -1 : 1));
  if (files.length) data.set('params', new Map(files.map((f) => [f, new Map(Object.keys(entry.params[f]).sort().map((k) => [k, entry.params[f][k]]))])));
  if (entry.outs.length) data.set('outs', [...entry.outs].sort(byPath).map(pathEntry));
  return data;
}

export function updateLockFile(absLockPath: string, stage: string, entry: LockEntryInput): void {
  let text = '';
  try { text = readFileSync(absLockPath, 'utf8'); } catch { /* a new lock file */ }
  const loaded = loadYamlRoundTrip(text);
  if (!loaded.ok) throw new Error(`${absLockPath}${loaded.line ? `:${loaded.line}` : ''}: ${loaded.message}; fix or delete it, it was not overwritten.`);
  let root = loaded.value as YamlMap | null;
  if (!root || root.kind !== 'map') root = { kind: 'map', pairs: [[scalar('str', 'schema'), scalar('str', '2.0')]], flow: false };
  let stages = root.pairs.find(([k]) => k.kind === 'scalar' && k.value === 'stages');
  if (!stages) { stages = [scalar('str', 'stages'), { kind: 'map', pairs: [], flow: false }]; root.pairs.push(stages); }
  const map = stages[1] as YamlMap;
  const node: YamlNode = represent(lockStageData(entry));
  const i = map.pairs.findIndex(([k]) => k.kind === 'scalar' && k.value === stage);
  if (i >= 0) map.pairs[i] = [map.pairs[i][0], node];
  else map.pairs.push([scalar('str', stage), node]);
  map.flow = false;
  const out = emitYaml(root);
  const tmp = join(dirname(absLockPath), `.${basename(absLockPath)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try { writeSync(fd, out); fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(tmp, absLockPath);
}
