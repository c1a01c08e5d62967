import { MlflowServerError } from './mlflowErrors';

/**
 * How much one read of a tracking server may cost. A server is not trusted to end its own
 * paging or to send a body of sane size: every limit has a default that a normal server never
 * reaches, and the user can raise it (CLI flags, editor settings) for a genuinely big one.
 */
export interface MlflowLimits {
  /** Pages one paged search may take before it stops with a warning (default 1000). */
  maxPages?: number;
  /** Largest response body read, in bytes; a bigger one is abandoned mid-stream (default 64 MiB). */
  maxResponseBytes?: number;
  /** Budget for a whole read (every request, retry and page), in ms (default 5 minutes). */
  totalTimeoutMs?: number;
}

export const DEFAULT_MAX_PAGES = 1000;
export const DEFAULT_MAX_RESPONSE_MB = 64;
export const DEFAULT_TIMEOUT_SECONDS = 300;

export const MB = 1024 * 1024;

/** Where the user raises each limit, for messages that say what to do. */
export const LIMIT_HINTS = {
  pages: 'raise it with --mlflow-max-pages or the setting lineage.mlflow.maxPages',
  size: 'raise it with --mlflow-max-response-mb or the setting lineage.mlflow.maxResponseMB',
  time: 'raise it with --mlflow-timeout or the setting lineage.mlflow.timeoutSeconds',
} as const;

/** A limit of ours was reached (not a failure of the server's own making): never retried. */
export class MlflowLimitError extends MlflowServerError {
  constructor(
    message: string,
    readonly limit: 'size' | 'time',
  ) {
    super(message, null, null);
    this.name = 'MlflowLimitError';
  }
}

/** Limits from user input (settings, flags): anything not a positive finite number keeps the default. */
export function limitsFrom(values: { maxPages?: unknown; maxResponseMB?: unknown; timeoutSeconds?: unknown }): MlflowLimits {
  const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const pages = positive(values.maxPages);
  const mb = positive(values.maxResponseMB);
  const seconds = positive(values.timeoutSeconds);
  return {
    ...(pages !== undefined ? { maxPages: Math.floor(pages) } : {}),
    ...(mb !== undefined ? { maxResponseBytes: Math.floor(mb * MB) } : {}),
    ...(seconds !== undefined ? { totalTimeoutMs: Math.floor(seconds * 1000) } : {}),
  };
}
