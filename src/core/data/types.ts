// Shared result types of the pure file readers. Readers never throw on bad input: they
// return a ParseFailure that says where (line/column, 1-based) so the indexer can record it
// and carry on with the rest of the revision.

/** A value as read from a params/metrics file (JSON-compatible, lists and maps kept). */
export type DataValue = null | boolean | number | bigint | string | DataValue[] | { [key: string]: DataValue };
export type DataMap = { [key: string]: DataValue };

/** A leaf as kept by DVC's metrics/params flattening. Lists survive only in params. */
export type FlatValue = null | boolean | number | bigint | string | DataValue[];
export type FlatMap = { [dottedKey: string]: FlatValue };

export interface ParseFailure {
  ok: false;
  /** One line, says what is wrong; the caller adds file and revision. */
  message: string;
  line?: number;
  column?: number;
  /** 'error' for malformed input, 'unsupported' for a format we knowingly do not read. */
  kind: 'error' | 'unsupported';
}

export interface ParseSuccess<T> {
  ok: true;
  value: T;
  /** Non-fatal findings (unknown keys and the like), each already a full sentence. */
  warnings?: string[];
}

export type ParseResult<T> = ParseSuccess<T> | ParseFailure;

export function failure(message: string, line?: number, column?: number, kind: 'error' | 'unsupported' = 'error'): ParseFailure {
  return { ok: false, message, line, column, kind };
}

export function success<T>(value: T, warnings?: string[]): ParseSuccess<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}
