// `.dvc` files (`dvc add` data sources) as stages without a command, as DVC treats them:
// `dvc status` reports their changed outs under the file's path ('data/raw.csv.dvc') and
// `dvc repro` of a stage downstream verifies them and, when the data changed, caches the
// new data and rewrites the file's hash (what `dvc commit` would do). Imports (a `.dvc` with
// `deps`) are listed but never re-run: they need the network.

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite';
import { basename, join } from 'node:path';
import type { StageDef } from '../formats/dvcYaml';
import type { LockEntry, LockFile } from '../formats/dvcLock';
import { parseYamlValue } from '../formats/structured';
import { walkWorkspace } from '../indexer/fileSources';
import { dirOf } from '../util/paths';
import { loadYamlRoundTrip } from '../yamlRoundTrip/yamlLoad';
import { emitYaml, represent, scalar, type YamlMap, type YamlNode, type YamlSeq } from '../yamlRoundTrip/dvcYamlDump';
import type { LockedPath, ReproProblem } from './types';

export interface DataSource {
  /** Repository-relative path of the .dvc file; also its stage address. */
  file: string;
  /** Folder of the .dvc file (paths inside are relative to it). */
  project: string;
  def: StageDef;
  /** The .dvc file's outs as a lock entry, so stage status compares them like lock outs. */
  lock: LockFile;
  isImport: boolean;
  /** For an import: where from (`dvc import` repository URL and path, or the `import-url` source). */
  importFrom?: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDvcFile(file: string, text: string): { source?: DataSource; problem?: ReproProblem } {
  const parsed = parseYamlValue(text);
  if (!parsed.ok) return { problem: { file, line: parsed.line, message: parsed.message } };
  const data = parsed.value;
  if (!isMap(data) || !Array.isArray(data.outs))
    return { problem: { file, message: `${file} has no outs list; it is not a DVC-tracked data file.` } };
  const outs: LockEntry[] = [];
  const specs: StageDef['outs'] = [];
  for (const o of data.outs) {
    if (!isMap(o) || typeof o.path !== 'string') continue;
    const entry: LockEntry = { path: o.path, hashKind: o.hash === 'md5' ? 'md5' : 'md5-dos2unix' };
    if (o.md5 !== undefined && o.md5 !== null && o.md5 !== '') entry.md5 = String(o.md5).toLowerCase();
    if (typeof o.size === 'number') entry.size = o.size;
    if (typeof o.nfiles === 'number') entry.nfiles = o.nfiles;
    outs.push(entry);
    specs.push({ kind: 'out', path: o.path, projectPath: o.path, cache: o.cache !== false, persist: false, push: o.push !== false });
  }
  const project = dirOf(file);
  const def: StageDef = {
    name: file,
    cmd: '',
    wdir: typeof data.wdir === 'string' ? data.wdir : '.',
    deps: [],
    outs: specs,
    params: [],
    frozen: data.frozen === true,
    alwaysChanged: false,
    line: 1,
  };
  const lock: LockFile = { schema: '2.0', stages: { [file]: { cmd: '', deps: [], outs, params: {} } }, order: [file] };
  const isImport = Array.isArray(data.deps) && data.deps.length > 0;
  return { source: { file, project, def, lock, isImport, importFrom: isImport ? importSource((data.deps as unknown[])[0]) : undefined } };
}

/** `dvc import URL PATH` records {path, repo: {url}}; `dvc import-url` records the URL as path. */
function importSource(dep: unknown): string | undefined {
  if (!isMap(dep)) return undefined;
  const repo = isMap(dep.repo) && typeof dep.repo.url === 'string' ? dep.repo.url : undefined;
  const path = typeof dep.path === 'string' ? dep.path : undefined;
  return repo ? `${repo}${path ? ` (${path})` : ''}` : path;
}

export function loadDataSources(root: string): { sources: DataSource[]; problems: ReproProblem[] } {
  const sources: DataSource[] = [];
  const problems: ReproProblem[] = [];
  for (const file of walkWorkspace(root, (p) => p.endsWith('.dvc') && basename(p) !== '.dvc').sort()) {
    let text: string;
    try {
      text = readFileSync(join(root, ...file.split('/')), 'utf8');
    } catch {
      continue;
    }
    const { source, problem } = parseDvcFile(file, text);
    if (source) sources.push(source);
    if (problem) problems.push(problem);
  }
  return { sources, problems };
}

function outNode(old: YamlMap, locked: LockedPath): YamlMap {
  const fresh: [string, unknown][] = [
    ['md5', locked.hash.md5],
    ['size', locked.hash.size],
  ];
  if (locked.hash.nfiles !== undefined) fresh.push(['nfiles', locked.hash.nfiles]);
  if (locked.hash.isexec) fresh.push(['isexec', true]);
  if (locked.kind === 'md5') fresh.push(['hash', 'md5']);
  fresh.push(['path', locked.path]);
  const written = new Set(['md5', 'size', 'nfiles', 'isexec', 'hash', 'path']);
  const pairs: [YamlNode, YamlNode][] = fresh.map(([k, v]) => [scalar('str', k), represent(v)]);
  for (const pair of old.pairs) if (!(pair[0].kind === 'scalar' && written.has(pair[0].value))) pairs.push(pair);
  return { kind: 'map', pairs, flow: false };
}

/** Rewrites the outs' hashes of a .dvc file in DVC's layout, keeping its other keys; atomic. */
export function updateDvcFile(absPath: string, outs: LockedPath[]): void {
  const text = readFileSync(absPath, 'utf8');
  const loaded = loadYamlRoundTrip(text);
  if (!loaded.ok || !loaded.value || loaded.value.kind !== 'map')
    throw new Error(`${absPath}${!loaded.ok && loaded.line ? `:${loaded.line}` : ''}: cannot be read back; it was not changed.`);
  const root = loaded.value;
  const outsPair = root.pairs.find(([k]) => k.kind === 'scalar' && k.value === 'outs');
  if (!outsPair || outsPair[1].kind !== 'seq') throw new Error(`${absPath}: no outs list; it was not changed.`);
  const seq = outsPair[1] as YamlSeq;
  seq.items = seq.items.map((item) => {
    if (item.kind !== 'map') return item;
    const pathNode = item.pairs.find(([k]) => k.kind === 'scalar' && k.value === 'path')?.[1];
    const locked = pathNode?.kind === 'scalar' ? outs.find((o) => o.path === pathNode.value) : undefined;
    return locked ? outNode(item, locked) : item;
  });
  writeFileAtomic(absPath, emitYaml(root));
}
