// Params/metrics files read the way DVC reads them (dvc/utils/serialize/__init__.py):
// the loader is chosen by the lower-cased suffix, `.json` / `.toml` / `.py`, and every other
// name (including `.yml`, `.txt`, no suffix) goes to YAML. DVC's loaders end with
// `... or {}`, so a file that is empty or holds a falsy value (null, [], 0, "") counts as an
// empty mapping rather than an error.

import { parseDocument } from 'yaml';
import { fastToJS, fastYaml } from './fastYaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { DataMap, DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { isDataMap, setEntry } from '../data/flatten';
import { parseJsonPython } from '../python/jsonPython';
import { parsePyParams } from '../python/pyParams';

/** The loader DVC would pick for a file name. */
export type StructuredFormat = 'json' | 'toml' | 'py' | 'yaml';

/** pathlib's `suffix.lower()`: a leading-dot name like `.json` has no suffix. */
export function structuredFormat(fileName: string): StructuredFormat {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  const suffix = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return suffix === 'json' || suffix === 'toml' || suffix === 'py' ? suffix : 'yaml';
}

/**
 * Readers that keep Python's exact ints (the index, dvc.lock) pass `exact`: an int past 2^53
 * is then a bigint, as Python's loaders give an int of any size. Without it such an int is
 * the nearest double, which is what readers that hand values on as plain JSON want.
 */
export interface ExactOptions {
  exact?: boolean;
}

/**
 * Plain JSON-like data from what a YAML/TOML library hands back: dates as ISO strings
 * (TomlDate keeps the TOML form, e.g. a local date stays `1979-05-27`), bigints as numbers
 * when they fit in a double's 53 bits (as exact bigints past that with `exact`, else the
 * nearest number), null-prototype objects as plain ones.
 */
export function toDataValue(value: unknown, exact = false): DataValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return exact && (value > MAX_SAFE || value < -MAX_SAFE) ? value : Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value) || value instanceof Set) return Array.from(value, (v) => toDataValue(v, exact));
  if (value instanceof Map) {
    const out: DataMap = {};
    for (const [k, v] of value) setEntry(out, String(k), toDataValue(v, exact));
    return out;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') {
    const out: DataMap = {};
    for (const key of Object.keys(value)) setEntry(out, key, toDataValue((value as Record<string, unknown>)[key], exact));
    return out;
  }
  return String(value);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function firstLine(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

/** YAML 1.2 core schema, which is what ruamel's safe loader in DVC implements. */
export function parseYamlValue(text: string, options: ExactOptions = {}): ParseResult<DataValue> {
  const exact = Boolean(options.exact);
  // Plain block YAML (nearly every params/metrics file) skips the full parser's cost.
  const fast = fastYaml(text);
  if (fast) return success(toDataValue(fastToJS(fast, exact), exact));
  try {
    // ruamel applies `<<` merge keys and rejects duplicate keys; yaml needs to be told the first.
    const doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true, intAsBigInt: exact });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      return failure(firstLine(err.message), pos?.line, pos?.col);
    }
    const value = toDataValue(doc.toJS({ maxAliasCount: 1000 }), exact);
    const warnings = doc.warnings.map((w) => {
      const pos = w.linePos?.[0];
      return `${firstLine(w.message)}${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}.`;
    });
    return success(value, warnings);
  } catch (e) {
    // Alias bombs and absurd nesting end up here (the library throws for those).
    return failure(`YAML could not be read: ${(e as Error).message}`);
  }
}

/**
 * TOML as tomlkit (DVC's TOML loader) reads it: ints of any size (tomlkit's Integer is a
 * Python int, with no int64 limit), so a 2^63 or 10^29 int is exact with `exact`.
 */
export function parseTomlValue(text: string, options: ExactOptions = {}): ParseResult<DataValue> {
  try {
    return success(toDataValue(parseToml(text, { integersAsBigInt: 'asNeeded' }), options.exact));
  } catch (e) {
    if (e instanceof TomlError) {
      return failure(firstLine(e.message.replace(/^Invalid TOML document: /, '')), e.line, e.column);
    }
    return failure(`TOML could not be read: ${String(e)}`);
  }
}

function isFalsy(value: DataValue): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isDataMap(value)) return Object.keys(value).length === 0;
  // Python's truthiness: NaN is truthy, 0 and "" are not.
  return value === null || value === false || value === 0 || value === '';
}

/**
 * Dispatch by file extension exactly as DVC: .json -> parseJsonPython, .toml -> smol-toml,
 * .py -> parsePyParams, anything else -> YAML (1.2 core schema). Top level must be a mapping
 * (empty file -> {}); else failure. TOML dates become ISO strings. With `exact`, ints past
 * 2^53 (JSON, YAML, TOML) are bigints.
 */
export function parseStructured(text: string, fileName: string, options: ExactOptions = {}): ParseResult<DataMap> {
  const format = structuredFormat(fileName);
  if (format === 'py') return parsePyParams(text, { bigInts: options.exact });
  const exact = { exact: Boolean(options.exact) };
  const result =
    format === 'json'
      ? parseJsonPython(text, { bigInts: exact.exact })
      : format === 'toml'
        ? parseTomlValue(text, exact)
        : parseYamlValue(text, exact);
  if (!result.ok) return result;
  if (isFalsy(result.value)) return success({}, result.warnings);
  if (!isDataMap(result.value)) {
    const kind = Array.isArray(result.value) ? 'a list' : `a ${typeof result.value}`;
    return failure(`The top level is ${kind}, expected a mapping of names to values.`, 1, 1);
  }
  return success(result.value, result.warnings);
}
