// Params values the way DVC reads, records and compares them (dvc/dependency/param.py):
// - files load by suffix (dvc/utils/serialize): YAML with ruamel's safe loader, JSON with
//   Python's json, TOML with tomlkit, .py literals; `... or {}` turns an empty file into {}.
//   Values keep Python's types: PyFloat for floats (YAML `1.0`, `1e-5`, JSON `1.0`), bigint
//   for ints past 2^53, PyTimestamp for dates, Map for dicts.
// - a key list selects with dpath.get(config, key, separator='.'): the value may be a whole
//   sub-mapping; each key segment is an fnmatch glob and a list index matches by number; a
//   key the file lacks is left out ('deleted' in status, MissingParamsError at repro).
//   Tracking the whole file records its top-level keys.
// - status (workspace_status): a missing file is 'deleted'; a file with no entry in the
//   lock is 'new'; otherwise key by key, comparing with Python's == (1 == 1.0 == True).

import { readFileSync, statSync } from 'node:fs';
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { parseJsonPython } from '../python/jsonPython';
import { parsePyParams } from '../python/pyParams';
import { structuredFormat } from '../formats/structured';
import type { DataValue } from '../data/types';
import type { RawDvcYaml } from '../formats/dvcYaml';
import { PyFloat, PyTimestamp, pyEqual } from '../python/pyFloat';
import type { PyDict, PyKey, PyValue } from '../python/pyFloat';
import type { ParamChange } from './types';
import { loadYamlSafe } from '../yamlRoundTrip/yamlLoad';

export interface ParamsProblem {
  message: string;
  line?: number;
  column?: number;
}

export interface TrackedParams {
  /** The params file as given. */
  file: string;
  /** null = the whole file is tracked. */
  keys: string[] | null;
  exists: boolean;
  /** What DVC records in dvc.lock for this file: `{dotted.key: value}` or the top-level keys. */
  values: PyDict;
  /** Tracked keys the file does not have. */
  missing: string[];
  /** The file exists but cannot be read (DVC: BadParamFileError), or a key cannot be looked up. */
  error?: ParamsProblem;
}

export type ParamsLoad = { ok: true; value: PyDict } | ({ ok: false } & ParamsProblem);

// --- loading ---------------------------------------------------------------------------

/** Python's json.loads into PyValues; the text has been validated by parseJsonPython. */
function jsonToPy(text: string): PyValue {
  let pos = 0;
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const value = (): PyValue => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: PyDict = new Map();
      ws();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        ws();
        const key = JSON.parse(stringToken()) as string;
        ws();
        pos++; // ':'
        out.set(key, value()); // a repeated key keeps its first place, last value (dict)
        ws();
        if (text[pos++] === '}') return out;
      }
    }
    if (c === '[') {
      pos++;
      const out: PyValue[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[pos++] === ']') return out;
      }
    }
    if (c === '"') return JSON.parse(stringToken()) as string;
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', new PyFloat(NaN)],
      ['Infinity', new PyFloat(Infinity)],
      ['-Infinity', new PyFloat(-Infinity)],
    ] as [string, PyValue][]) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    m.lastIndex = pos;
    const num = m.exec(text);
    if (!num) throw new Error(`JSON value expected at ${pos}`);
    pos += num[0].length;
    if (num[1] !== undefined || num[2] !== undefined) return new PyFloat(Number(num[0]));
    const big = BigInt(num[0]);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  };
  const stringToken = (): string => {
    const start = pos;
    pos++;
    while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    // Lone surrogates survive JSON.parse of the raw token, as they do in Python.
    return text.slice(start, pos);
  };
  return value();
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** tomlkit's unwrap(): TOML dates become datetime.date / datetime objects. */
function tomlToPy(v: unknown): PyValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (typeof v === 'number') return new PyFloat(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof TomlDate) {
    const iso = v.toISOString();
    if (v.isDate()) return new PyTimestamp(iso, 'date');
    // Python prints a datetime with isoformat(' '): microseconds when present, offset +HH:MM.
    const m = /^(\d{4}-\d{2}-\d{2})?[T ]?(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[-+]\d{2}:\d{2})?$/i.exec(iso);
    if (!m) return new PyTimestamp(iso, 'datetime');
    const micro = m[3] ? Number(m[3].slice(0, 6).padEnd(6, '0')) : 0;
    const zone = m[4] === undefined ? '' : m[4].toUpperCase() === 'Z' ? '+00:00' : m[4];
    const clock = `${m[2]}${micro ? '.' + pad(micro, 6) : ''}${zone}`;
    return new PyTimestamp(m[1] ? `${m[1]} ${clock}` : clock, 'datetime');
  }
  if (Array.isArray(v)) return v.map(tomlToPy);
  if (typeof v === 'object' && v !== null) {
    const out: PyDict = new Map();
    for (const [k, x] of Object.entries(v)) out.set(k, tomlToPy(x));
    return out;
  }
  return null;
}

/** The .py reader keeps no int/float distinction: integral numbers come back as ints. */
function dataToPy(v: DataValue): PyValue {
  if (typeof v === 'number') return Number.isInteger(v) ? v : new PyFloat(v);
  if (Array.isArray(v)) return v.map(dataToPy);
  if (v !== null && typeof v === 'object') {
    const out: PyDict = new Map();
    for (const [k, x] of Object.entries(v)) out.set(k, dataToPy(x));
    return out;
  }
  return v;
}

function isFalsy(v: PyValue): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (v instanceof PyFloat) return v.value === 0;
  if (Array.isArray(v)) return v.length === 0;
  return v instanceof Map && v.size === 0;
}

/** A params file's text loaded as DVC loads it for `fileName`'s suffix. */
export function loadParamsText(text: string, fileName: string): ParamsLoad {
  const loaded = loadPyText(text, fileName);
  if (!loaded.ok) return loaded;
  const value = loaded.value;
  if (!(value instanceof Map)) return { ok: false, message: 'the top level is not a mapping of names to values', line: 1, column: 1 };
  return { ok: true, value };
}

/**
 * Any data file's text as DVC's load_path gives it (dvc/utils/serialize): whatever the top
 * level is, an empty or falsy document being {} (`... or {}`).
 */
export function loadPyText(text: string, fileName: string): { ok: true; value: PyValue } | ({ ok: false } & ParamsProblem) {
  const format = structuredFormat(fileName);
  let value: PyValue;
  if (format === 'yaml') {
    const r = loadYamlSafe(text);
    if (!r.ok) return { ok: false, message: r.message, line: r.line, column: r.column };
    value = r.value;
  } else if (format === 'json') {
    const r = parseJsonPython(text);
    if (!r.ok) return { ok: false, message: r.message, line: r.line, column: r.column };
    value = jsonToPy(text);
  } else if (format === 'toml') {
    try {
      value = tomlToPy(parseToml(text, { integersAsBigInt: true }));
    } catch (e) {
      if (e instanceof TomlError) return { ok: false, message: e.message.split('\n')[0], line: e.line, column: e.column };
      return { ok: false, message: `TOML could not be read: ${String(e)}` };
    }
  } else {
    const r = parsePyParams(text, { bigInts: true });
    if (!r.ok) return { ok: false, message: r.message, line: r.line, column: r.column };
    value = dataToPy(r.value);
  }
  return { ok: true, value: isFalsy(value) ? new Map() : value };
}

// --- selecting keys (dpath.get with separator '.') -------------------------------------

/** Python's fnmatch.translate, anchored. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) re += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^')) body = '\\' + body;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

const PY_INT = /^\s*[-+]?\d+(?:_\d+)*\s*$/;

/** segments.match for one segment: ints compare as numbers when the glob is an int. */
function segmentMatches(key: PyKey | number, glob: string): boolean {
  const isInt = typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean';
  if (isInt && PY_INT.test(glob)) {
    const k = typeof key === 'boolean' ? (key ? 1n : 0n) : BigInt(key as number | bigint);
    return k === BigInt(glob.trim().replace(/_/g, ''));
  }
  const text = isInt ? (typeof key === 'boolean' ? (key ? 'True' : 'False') : String(key)) : key;
  if (typeof text !== 'string') return false; // floats, None, dates: fnmatch raises, no match
  return globRegex(glob).test(text);
}

function hasEmptyKey(v: PyValue): boolean {
  if (v instanceof Map) return [...v].some(([k, x]) => k === '' || hasEmptyKey(x));
  return Array.isArray(v) && v.some(hasEmptyKey);
}

class LookupError extends Error {}

/** dpath.get(config, key, separator='.'): the one value the key names, or undefined. */
function dpathGet(config: PyDict, key: string): PyValue | undefined {
  const globs = key.replace(/^\.+/, '').split('.');
  let level: PyValue[] = [config];
  for (const glob of globs) {
    const next: PyValue[] = [];
    for (const node of level) {
      if (node instanceof Map) {
        for (const [k, v] of node) if (segmentMatches(k, glob)) next.push(v);
      } else if (Array.isArray(node)) {
        node.forEach((v, i) => {
          if (segmentMatches(i, glob)) next.push(v);
        });
      }
    }
    level = next;
  }
  if (level.length > 1) throw new LookupError(`dpath.get() globs must match only one leaf: ${key}`);
  return level.length === 1 ? level[0] : undefined;
}

/** ParamsDependency.read_params: `{key: value}` for a key list, the whole file otherwise. */
export function selectParams(config: PyDict, keys: string[] | null): { values: PyDict; missing: string[]; error?: ParamsProblem } {
  if (keys === null || keys.length === 0) return { values: config, missing: [] };
  if (hasEmptyKey(config))
    return {
      values: new Map(),
      missing: [...keys],
      error: { message: 'Empty string keys not allowed (DVC fails to look up params in this file)' },
    };
  const values: PyDict = new Map();
  const missing: string[] = [];
  for (const key of keys) {
    if (values.has(key)) continue;
    try {
      const v = dpathGet(config, key);
      if (v === undefined) missing.push(key);
      else values.set(key, v);
    } catch (e) {
      if (!(e instanceof LookupError)) throw e;
      return { values, missing, error: { message: e.message } };
    }
  }
  return { values, missing };
}

/** Reads a params file from disk and selects the tracked keys (null = whole file). */
export function readTrackedParams(absFile: string, keys: string[] | null): TrackedParams {
  const base: TrackedParams = { file: absFile, keys, exists: false, values: new Map(), missing: keys ? [...keys] : [] };
  let text: string;
  try {
    if (statSync(absFile).isDirectory())
      return { ...base, exists: true, error: { message: `'${absFile}' is a directory, expected a parameters file` } };
    text = readFileSync(absFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return base;
    return { ...base, exists: true, error: { message: `cannot read '${absFile}': ${(e as Error).message}` } };
  }
  const loaded = loadParamsText(text, absFile);
  if (!loaded.ok) {
    return {
      ...base,
      exists: true,
      error: { message: `Unable to read parameters from '${absFile}': ${loaded.message}`, line: loaded.line, column: loaded.column },
    };
  }
  const selected = selectParams(loaded.value, keys);
  return { ...base, exists: true, ...selected };
}

/** MissingParamsError's text, for the runner to fail a stage with before running it. */
export function missingParamsMessage(file: string, missing: string[]): string {
  return `Parameters '${missing.join(', ')}' are missing from '${file}'.`;
}

// --- status ----------------------------------------------------------------------------

function entries(v: PyDict | Record<string, unknown>): [unknown, unknown][] {
  return v instanceof Map ? [...v.entries()] : Object.entries(v);
}

/**
 * `ParamsDependency.workspace_status` for one params file: 'deleted' when the file is gone,
 * 'new' when the lock has no entry for the file, else per key (empty = unchanged). The lock
 * side is what dvc.lock holds for that file (PyDict from loadLockParams, or plain values).
 * Keys come in DVC's order: the tracked keys as listed, or for a whole file its top-level
 * keys followed by keys only the lock has.
 */
export function compareParams(
  lockValues: PyDict | Record<string, unknown> | null | undefined,
  current: TrackedParams,
): 'new' | 'deleted' | Record<string, ParamChange> {
  if (!current.exists) return 'deleted';
  if (lockValues === null || lockValues === undefined) return 'new';
  const lock = new Map(entries(lockValues));
  // fill_values: with a key list only the listed keys are taken from the lock.
  const info =
    current.keys && current.keys.length > 0 ? new Map(current.keys.filter((k) => lock.has(k)).map((k) => [k, lock.get(k)])) : lock;
  const actual = current.values;
  const order = current.keys && current.keys.length > 0 ? [...new Set(current.keys)] : [...new Set([...actual.keys(), ...info.keys()])];
  const out: Record<string, ParamChange> = {};
  for (const key of order) {
    const name = String(key);
    if (!actual.has(key as PyKey)) out[name] = 'deleted';
    else if (!info.has(key)) out[name] = 'new';
    else if (!pyEqual(actual.get(key as PyKey), info.get(key))) out[name] = 'modified';
  }
  return out;
}

/** Params recorded in a dvc.lock text, per stage and file, loaded as DVC loads the lock. */
export function loadLockParams(lockText: string): { ok: true; stages: Map<string, Map<string, PyDict>> } | ({ ok: false } & ParamsProblem) {
  const r = loadYamlSafe(lockText);
  if (!r.ok) return { ok: false, message: r.message, line: r.line, column: r.column };
  const stages = new Map<string, Map<string, PyDict>>();
  const root = r.value;
  const stagesNode = root instanceof Map ? root.get('stages') : undefined;
  if (!(stagesNode instanceof Map)) return { ok: true, stages };
  for (const [name, stage] of stagesNode) {
    if (!(stage instanceof Map)) continue;
    const params = stage.get('params');
    const files = new Map<string, PyDict>();
    if (params instanceof Map) {
      for (const [file, values] of params) if (values instanceof Map) files.set(String(file), values);
    }
    stages.set(String(name), files);
  }
  return { ok: true, stages };
}

// --- templating ------------------------------------------------------------------------

/**
 * A loaded params/vars file as renderPipeline's context wants it: plain objects for dicts
 * (non-string keys as Python's str()), PyFloat/bigint/PyTimestamp kept so `${lr}` renders
 * `1.0` and `1e-05` as DVC does.
 */
export function templateData(value: PyDict): { [key: string]: unknown } {
  const conv = (v: PyValue): unknown => {
    if (Array.isArray(v)) return v.map(conv);
    if (v instanceof Map) return templateData(v);
    return v;
  };
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of value) {
    const key = typeof k === 'string' ? k : k === null ? 'None' : typeof k === 'boolean' ? (k ? 'True' : 'False') : String(k);
    Object.defineProperty(out, key, { value: conv(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * dvc.yaml's data as DVC's safe loader reads it (floats stay floats, `1_000` is an int,
 * dates are dates), for rendering: `foreach: [1.0, 1e-5]` makes stages `x@1.0` and
 * `x@1e-05` as in DVC. Positions stay those of `raw`. When ruamel's rules reject the text
 * (duplicate keys by Python equality, `=` values), the problem is returned with `raw` as it was.
 */
export function withPythonValues(raw: RawDvcYaml, text: string): { raw: RawDvcYaml; error?: ParamsProblem } {
  const loaded = loadYamlSafe(text);
  if (!loaded.ok) return { raw, error: { message: loaded.message, line: loaded.line, column: loaded.column } };
  const value = loaded.value;
  if (value === null) return { raw: { ...raw, data: {} } };
  if (!(value instanceof Map)) return { raw };
  return { raw: { ...raw, data: templateData(value) } };
}
