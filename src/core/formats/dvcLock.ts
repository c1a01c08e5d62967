// dvc.lock in both layouts DVC has written. Rules taken from DVC's source:
// - dvc/parsing/versions.py (before DVC 3 dropped it): no `schema` key means the legacy 1.0
//   layout with stage names at the top level; an empty file counts as 2.0.
// - dvc/schema.py LOCKFILE_SCHEMA: `schema` must equal the string '2.0'; a stage needs `cmd`
//   (string or list); deps/outs are lists of {path, md5|etag|checksum, size, nfiles, isexec,
//   hash}; params are {file: {key: value}}.
// - dvc/output.py: an entry without `hash` is a DVC 2.x "md5-dos2unix" hash, `hash: md5` a
//   DVC 3 one. CHECKSUM_SCHEMA coerces an int checksum to str, lower-cases it and treats ''
//   as absent. We read the checksum from the YAML source text, because an all-digit md5 (or
//   one like 1234e567) would otherwise arrive as a float with its digits lost.
// - params keep Python's exact ints: ruamel reads `seed: 9007199254740993` as that int, and
//   status compares it with the params file exactly, so ints past 2^53 are bigints here.
// A malformed stage is skipped with a warning instead of failing the whole file (DVC would
// refuse the file): one bad stage should not hide the lineage of the others.

import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { fastToDocument, fastYaml } from './fastYaml';
import type { DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { isDataMap, setEntry } from '../data/flatten';
import { toDataValue } from './structured';

export interface LockEntry {
  path: string;
  hashKind: 'md5' | 'md5-dos2unix';
  md5?: string;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
  /** Cloud-object deps/outs (S3, GCS, Azure, HTTP) carry an etag instead of an md5. */
  etag?: string;
  /** HDFS deps/outs. */
  checksum?: string;
}
export interface LockStage {
  cmd: string | string[];
  deps: LockEntry[];
  outs: LockEntry[];
  params: Record<string, Record<string, unknown>>;
}
export interface LockFile {
  schema: '2.0' | '1.0';
  stages: Record<string, LockStage>;
  /* keep key order of stages */ order: string[];
}

/** True when an md5 names a directory listing (`<hex>.dir`) rather than a file. */
export function isDirHash(md5: string | undefined): boolean {
  return md5 !== undefined && md5.endsWith('.dir');
}

type Node = unknown;

/** The checksum as written: the YAML scalar's source when it resolved to a number. */
function checksum(jsValue: DataValue | undefined, node: Node, lower: boolean): string | undefined {
  if (jsValue === undefined || jsValue === null || isDataMap(jsValue) || Array.isArray(jsValue)) return undefined;
  const numeric = typeof jsValue === 'number' || typeof jsValue === 'bigint';
  const raw = numeric && isScalar(node) && node.source ? node.source : String(jsValue);
  if (raw === '') return undefined;
  return lower ? raw.toLowerCase() : raw;
}

function readEntry(js: DataValue, node: Node, where: string, warnings: string[]): LockEntry | undefined {
  if (!isDataMap(js)) {
    warnings.push(`${where} is not a mapping; it was skipped.`);
    return undefined;
  }
  if (typeof js.path !== 'string') {
    warnings.push(`${where} has no path; it was skipped.`);
    return undefined;
  }
  const hashName = js.hash;
  if (hashName !== undefined && hashName !== null && hashName !== 'md5') {
    warnings.push(`${where} uses hash '${String(hashName)}', read as md5-dos2unix.`);
  }
  const entry: LockEntry = { path: js.path, hashKind: hashName === 'md5' ? 'md5' : 'md5-dos2unix' };
  const field = (key: string): Node => (isMap(node) ? node.get(key, true) : undefined);
  const md5 = checksum(js.md5, field('md5'), true);
  if (md5 !== undefined) entry.md5 = md5;
  const etag = checksum(js.etag, field('etag'), false); // case-sensitive in DVC's schema
  if (etag !== undefined) entry.etag = etag;
  const sum = checksum(js.checksum, field('checksum'), true);
  if (sum !== undefined) entry.checksum = sum;
  if (typeof js.size === 'number' || typeof js.size === 'bigint') entry.size = Number(js.size);
  if (typeof js.nfiles === 'number' || typeof js.nfiles === 'bigint') entry.nfiles = Number(js.nfiles);
  if (typeof js.isexec === 'boolean') entry.isexec = js.isexec;
  return entry;
}

function readEntries(js: DataValue | undefined, node: Node, where: string, warnings: string[]): LockEntry[] {
  if (js === undefined || js === null) return [];
  if (!Array.isArray(js)) {
    warnings.push(`${where} is not a list; it was ignored.`);
    return [];
  }
  const out: LockEntry[] = [];
  js.forEach((item, i) => {
    const entry = readEntry(item, isSeq(node) ? node.items[i] : undefined, `${where}[${i}]`, warnings);
    if (entry) out.push(entry);
  });
  return out;
}

function readStage(name: string, js: DataValue | undefined, node: Node, warnings: string[]): LockStage | undefined {
  if (!isDataMap(js)) {
    warnings.push(`Stage '${name}' in dvc.lock is not a mapping; it was skipped.`);
    return undefined;
  }
  const cmd = js.cmd;
  const isCmdList = Array.isArray(cmd) && cmd.every((c) => typeof c === 'string');
  if (typeof cmd !== 'string' && !isCmdList) {
    warnings.push(`Stage '${name}' in dvc.lock has no cmd; it was skipped.`);
    return undefined;
  }
  const params: Record<string, Record<string, unknown>> = {};
  const rawParams = js.params;
  if (isDataMap(rawParams)) {
    for (const file of Object.keys(rawParams)) {
      const values = rawParams[file];
      if (isDataMap(values)) setEntry(params, file, values);
      else if (values !== null) warnings.push(`Params of '${file}' in stage '${name}' are not a mapping; they were ignored.`);
    }
  } else if (rawParams !== undefined && rawParams !== null) {
    warnings.push(`Params of stage '${name}' are not a mapping; they were ignored.`);
  }
  const field = (key: string): Node => (isMap(node) ? node.get(key, true) : undefined);
  return {
    cmd: cmd as string | string[],
    deps: readEntries(js.deps, field('deps'), `Stage '${name}' deps`, warnings),
    outs: readEntries(js.outs, field('outs'), `Stage '${name}' outs`, warnings),
    params,
  };
}

/** Stages in file order: JS objects put integer-like names first, the YAML map does not. */
function readStages(
  map: YAMLMap,
  js: Record<string, DataValue>,
  skip: string | undefined,
  warnings: string[],
): { stages: Record<string, LockStage>; order: string[] } {
  const stages: Record<string, LockStage> = {};
  const order: string[] = [];
  for (const pair of map.items) {
    const keyValue = isScalar(pair.key) ? pair.key.value : pair.key;
    if (keyValue === null || keyValue === undefined) continue;
    const name = String(keyValue);
    if (name === skip || order.includes(name)) continue;
    const stage = readStage(name, js[name], pair.value, warnings);
    if (!stage) continue;
    order.push(name);
    setEntry(stages, name, stage);
  }
  return { stages, order };
}

/** dvc.lock schema '2.0' and the legacy 1.0 layout (no `schema` key; stage names at top level). */
export function parseDvcLock(text: string): ParseResult<LockFile> {
  try {
    return readLock(text);
  } catch (e) {
    // The YAML library throws for alias bombs and absurd nesting; readers must not.
    return failure(`dvc.lock could not be read: ${(e as Error).message}`);
  }
}

function readLock(text: string): ParseResult<LockFile> {
  // dvc.lock as DVC writes it is plain block YAML: the fast path builds the same nodes.
  const fast = fastYaml(text);
  const doc: Document = fast
    ? fastToDocument(fast, true)
    : parseDocument(text, { prettyErrors: true, uniqueKeys: true, intAsBigInt: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    return failure(err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), pos?.line, pos?.col);
  }
  const js = toDataValue(doc.toJS({ maxAliasCount: 1000 }), true);
  const empty: LockFile = { schema: '2.0', stages: {}, order: [] };
  const root = doc.contents;
  if (js === null || js === '' || (isDataMap(js) && Object.keys(js).length === 0)) return success(empty);
  if (!isDataMap(js) || !isMap(root)) return failure('dvc.lock must be a mapping at the top level.', 1, 1);
  const warnings: string[] = [];
  const schema = js.schema;
  if (schema === undefined || schema === null || schema === '') {
    return success({ schema: '1.0', ...readStages(root, js, 'schema', warnings) }, warnings);
  }
  if (schema !== '2.0') {
    const node = root.get('schema', true);
    const line = isScalar(node) && node.range ? lineOf(text, node.range[0]) : undefined;
    return failure(
      `Invalid dvc.lock schema version ${typeof schema === 'bigint' ? schema : JSON.stringify(schema)}, expected '2.0'.`,
      line,
    );
  }
  const stagesNode = root.get('stages', true);
  if (js.stages === undefined || js.stages === null) return success(empty, warnings);
  if (!isDataMap(js.stages) || !isMap(stagesNode)) return failure('The stages of dvc.lock must be a mapping.');
  return success({ schema: '2.0', ...readStages(stagesNode, js.stages, undefined, warnings) }, warnings);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
