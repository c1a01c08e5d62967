// value_json strings of config, summary and history items. wandb writes them with bare NaN,
// Infinity and -Infinity (Python's json and the Go core both do), which JSON.parse rejects.

import { parseJsonPython } from '../python/jsonPython';
import type { DataValue } from '../data/types';

const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/**
 * The value of one item, or an error message. Numbers take a fast path: a history of a million
 * rows is mostly single numbers, and the general parser is several times slower on them.
 */
export function parseValueJson(json: string): { ok: true; value: DataValue } | { ok: false; message: string } {
  if (PLAIN_NUMBER.test(json)) return { ok: true, value: Number(json) };
  if (json === 'NaN') return { ok: true, value: NaN };
  if (json === 'Infinity') return { ok: true, value: Infinity };
  if (json === '-Infinity') return { ok: true, value: -Infinity };
  const r = parseJsonPython(json);
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: `${r.message} at column ${r.column ?? 1}` };
}

/** JSON as Python's json.dumps writes it: NaN and ±Infinity bare. */
export function toPythonJson(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return JSON.stringify(value);
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${toPythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}
