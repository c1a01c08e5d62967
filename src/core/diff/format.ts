/** Human display of a value: numbers to 5 significant decimals like DVC's tables, '—' for none. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toFixed(5)) || value.toPrecision(3));
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
