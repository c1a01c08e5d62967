import { PyFloat, pyFloatRepr } from '../python/pyFloat';

/** Human display of a value: numbers to 5 significant decimals like DVC's tables, '—' for none. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toFixed(5)) || value.toPrecision(3));
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

/**
 * A value in `lineage params diff` / `metrics diff` tables, for values read exactly (ints past
 * 2^53 are bigints, so an integral number past 2^53 is a float). Numbers print as DVC's
 * tables print them (dvc/compare.py _format_field: str() of the value): ints with all their
 * digits, floats as Python's repr (1e-07, 1e+16, inf, nan). Params floats are printed whole
 * as DVC does; metrics floats keep formatValue's 5 decimals (DVC rounds metrics to 5 too).
 */
export function formatDiffValue(value: unknown, kind: 'metrics' | 'params'): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat)
    return kind === 'params' || !Number.isFinite(value.value) || Number.isInteger(value.value)
      ? pyFloatRepr(value.value)
      : formatValue(value.value);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
    if (!Number.isFinite(value) || Number.isInteger(value) || kind === 'params') return pyFloatRepr(value);
  }
  return formatValue(value);
}
