// Params/metrics files read the way DVC reads them (dvc/utils/serialize/__init__.py):
// the loader is chosen by the lower-cased suffix, `.json` / `.toml` / `.py`, and every other
// name (including `.yml`, `.txt`, no suffix) goes to YAML. DVC's loaders end with
// `... or {}`, so a file that is empty or holds a falsy value (null, [], 0, "") counts as an
// empty mapping rather than an error.

import { parseDocument } from 'yaml';
import { fastToJS, fastYaml } from './fastYaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { DataMap, DataValue, ParseResult } from './types';
import { failure, success } from './types';
import { isDataMap, setEntry } from './flatten';
import { parseJsonPython } from './jsonPython';
import { parsePyParams } from './pyParams';

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
 * Plain JSON-like data from what a YAML/TOML library hands back: dates as ISO strings
 * (TomlDate keeps the TOML form, e.g. a local date stays `1979-05-27`), bigints as numbers,
 * null-prototype objects as plain ones.
 */
export function toDataValue(value: unknown): DataValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value) || value instanceof Set) return Array.from(value, toDataValue);
  if (value instanceof Map) {
    const out: DataMap = {};
    for (const [k, v] of value) setEntry(out, String(k), toDataValue(v));
    return out;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') {
    const out: DataMap = {};
    for (const key of Object.keys(value)) setEntry(out, key, toDataValue((value as Record<string, unknown>)[key]));
    return out;
  }
  return String(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** YAML 1.2 core schema, which is what ruamel's safe loader in DVC implements. */
export function parseYamlValue(text: string): ParseResult<DataValue> {
  // Plain block YAML (nearly every params/metrics file) skips the full parser's cost.
  const fast = fastYaml(text);
  if (fast) return success(toDataValue(fastToJS(fast)));
  try {
    // ruamel applies `<<` merge keys and rejects duplicate keys; yaml needs to be told the first.
    const doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      return failure(firstLine(err.message), pos?.line, pos?.col);
    }
    const value = toDataValue(doc.toJS({ maxAliasCount: 1000 }));
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

export function parseTomlValue(text: string): ParseResult<DataValue> {
  try {
    return success(toDataValue(parseToml(text, { integersAsBigInt: 'asNeeded' })));
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
 * (empty file -> {}); else failure. TOML dates become ISO strings.
 */
export function parseStructured(text: string, fileName: string): ParseResult<DataMap> {
  const format = structuredFormat(fileName);
  if (format === 'py') return parsePyParams(text);
  const result = format === 'json' ? parseJsonPython(text) : format === 'toml' ? parseTomlValue(text) : parseYamlValue(text);
  if (!result.ok) return result;
  if (isFalsy(result.value)) return success({}, result.warnings);
  if (!isDataMap(result.value)) {
    const kind = Array.isArray(result.value) ? 'a list' : `a ${typeof result.value}`;
    return failure(`The top level is ${kind}, expected a mapping of names to values.`, 1, 1);
  }
  return success(result.value, result.warnings);
}
