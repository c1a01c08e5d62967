// The files/ folder of a run: config.yaml, wandb-summary.json, wandb-metadata.json and
// requirements.txt. wandb writes them for online runs (and older versions for every run);
// when present they are what wandb itself uploads, so they win over the log.

import { lstat, readFile } from 'node:fs/promises';
import { isDataMap } from '../data/flatten';
import { parseJsonPython } from '../python/jsonPython';
import { parseYamlValue } from '../formats/structured';
import type { DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';

/** config.yaml: `{key: {value}}`, older files also `wandb_version: 1` and `{key: {desc, value}}`. */
export function parseConfigYaml(text: string): ParseResult<Map<string, DataValue>> {
  const r = parseYamlValue(text);
  if (!r.ok) return r;
  if (r.value === null) return success(new Map());
  if (!isDataMap(r.value)) return failure('expected a mapping of config keys');
  const out = new Map<string, DataValue>();
  for (const [key, entry] of Object.entries(r.value)) {
    if (key === 'wandb_version') continue;
    // Every entry wraps its value; a bare value is kept as is rather than dropped.
    out.set(key, isDataMap(entry) && 'value' in entry ? entry.value : entry);
  }
  return success(out);
}

/** wandb-summary.json and wandb-metadata.json: one JSON object, with bare NaN/Infinity allowed. */
export function parseJsonObject(text: string): ParseResult<{ [key: string]: DataValue }> {
  const r = parseJsonPython(text);
  if (!r.ok) return r;
  return isDataMap(r.value) ? success(r.value) : failure('expected a JSON object');
}

/** requirements.txt as `pip freeze` writes it: one requirement a line, comments and blanks dropped. */
export function parseRequirements(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * A regular file's text, or null when there is none. Symlinks are not followed: a run folder
 * is user data and a link could point anywhere outside the repository.
 */
export async function readOptional(path: string): Promise<string | null> {
  try {
    if (!(await lstat(path)).isFile()) return null;
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
