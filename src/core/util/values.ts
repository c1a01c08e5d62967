import type { FlatValue } from '../formats/types';

// JSON has no NaN/Infinity, but metrics files do (Python's json writes them bare).
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function encodeValue(value: FlatValue): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

export function decodeValue(text: string): FlatValue {
  if (text in NON_FINITE) return NON_FINITE[text];
  return JSON.parse(text) as FlatValue;
}

/** Encodes a whole structure, keeping non-finite numbers as tagged strings. */
export function encodePayload(value: unknown): string {
  // The replacer is slow; most payloads hold no NaN/Infinity and skip it.
  if (!hasNonFinite(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? { $nonFinite: String(v) } : v));
}

export function decodePayload<T>(text: string): T {
  return JSON.parse(text, (_key, v) => (v && typeof v === 'object' && typeof v.$nonFinite === 'string' ? NON_FINITE[v.$nonFinite] : v)) as T;
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasNonFinite);
  for (const key in value as Record<string, unknown>) if (hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}
