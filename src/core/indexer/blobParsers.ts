import { classifyContent, decodeText } from '../formats/content';
import { parseStructured } from '../formats/structured';
import { parseDvcLock } from '../formats/dvcLock';
import { contextFilesOf, parseDvcYaml, type RawDvcYaml } from '../formats/dvcYaml';
import { parseStepSeries } from '../formats/stepSeries';
import { parsePlotData } from '../formats/plotData';
import { flattenParams } from '../data/flatten';
import type { FlatMap, ParseResult } from '../data/types';

/**
 * How a blob is parsed. Data files carry their loader in the role because DVC picks the
 * loader by extension: the same bytes as .json and as .yaml are two different parses.
 */
export type BlobRole = 'dvcyaml' | 'lock' | `data.${DataLoader}` | 'series' | `plot.${PlotLoader}` | 'image';
export type DataLoader = 'json' | 'yaml' | 'toml' | 'py';
export type PlotLoader = 'json' | 'yaml' | 'csv' | 'tsv';

export function dataRole(path: string): BlobRole {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'json' || ext === 'toml' || ext === 'py' ? `data.${ext}` : 'data.yaml';
}

const IMAGE = /\.(png|jpe?g|svg|gif)$/i;

export function plotRole(path: string): BlobRole {
  if (IMAGE.test(path)) return 'image';
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'json' || ext === 'csv' || ext === 'tsv' ? `plot.${ext}` : 'plot.yaml';
}

export interface ParsedBlob {
  status: 'ok' | 'error' | 'unsupported' | 'skipped';
  message?: string;
  line?: number;
  col?: number;
  /** The parsed value kept in memory (dvc.yaml raw form, data map, lock, series, table). */
  value?: unknown;
  /** What goes into blob.payload (dvc.yaml is re-parsed on demand instead). */
  payload?: unknown;
  /** Flattened leaves for data blobs, one blob_value row each. */
  values?: FlatMap;
}

/** What a dvc.yaml blob holds in memory; `raw` is absent when it came from the store. */
export interface DvcYamlValue {
  context: string[];
  raw?: RawDvcYaml;
}

export function skippedBlob(reason: string): ParsedBlob {
  return { status: 'skipped', message: reason };
}

/** Parses one blob for its role; never throws. */
export function parseBlob(role: BlobRole, bytes: Buffer): ParsedBlob {
  if (role === 'image') return { status: 'ok' };
  const kind = classifyContent(bytes);
  if (kind === 'binary') return skippedBlob('binary content, not a text file');
  if (kind === 'too-large') return skippedBlob(`file is ${(bytes.length / 1048576).toFixed(1)} MB, too large to parse`);
  const text = decodeText(bytes);
  try {
    return fromResult(role, text);
  } catch (error) {
    // A parser bug must not stop the index: record it against the file like bad input.
    return { status: 'error', message: `internal parser error: ${(error as Error).message}` };
  }
}

function fromResult(role: BlobRole, text: string): ParsedBlob {
  let result: ParseResult<unknown>;
  if (role === 'dvcyaml') result = parseDvcYaml(text);
  else if (role === 'lock') result = parseDvcLock(text);
  else if (role === 'series') result = parseStepSeries(text, 'value');
  // Params and metrics keep Python's exact ints (bigint past 2^53), stored as their digits.
  else if (role.startsWith('data.')) result = parseStructured(text, `file.${role.slice(5)}`, { exact: true });
  else result = parsePlotData(text, `file.${role.slice(5)}`);
  if (!result.ok) {
    return {
      status: result.kind === 'unsupported' ? 'unsupported' : 'error',
      message: result.message,
      line: result.line,
      col: result.column,
    };
  }
  if (role === 'dvcyaml') {
    // The store keeps only the templating inputs: enough to key the rendered pipeline
    // without parsing the dvc.yaml again; the raw form is re-read only to render anew.
    const raw = result.value as RawDvcYaml;
    const context = needsContext(raw) ? contextFilesOf(raw) : [];
    return { status: 'ok', value: { context, raw } satisfies DvcYamlValue, payload: { context } };
  }
  const parsed: ParsedBlob = { status: 'ok', value: result.value, payload: result.value };
  if (role.startsWith('data.')) parsed.values = flattenParams(result.value as never);
  if (result.warnings?.length) parsed.message = result.warnings.join(' ');
  return parsed;
}

// Names a foreach/matrix body defines for itself: a dvc.yaml that only uses these renders the
// same whatever params.yaml holds, so its rendering does not depend on that file.
const LOCAL_NAMES = new Set(['item', 'key']);

/** Whether rendering reads params.yaml or vars files: any `vars`, or a `${name}` of another root. */
export function needsContext(raw: RawDvcYaml): boolean {
  const text = JSON.stringify(raw.data);
  if (/"vars":/.test(text)) return true;
  for (const match of text.matchAll(/\$\{\s*([^.\[}\s]+)/g)) {
    if (!LOCAL_NAMES.has(match[1])) return true;
  }
  return false;
}
