import { readBody } from './mlflowBody';
import { MlflowServerError } from './mlflowErrors';
import {
  DEFAULT_MAX_PAGES,
  DEFAULT_MAX_RESPONSE_MB,
  DEFAULT_TIMEOUT_SECONDS,
  LIMIT_HINTS,
  MB,
  MlflowLimitError,
  type MlflowLimits,
} from './mlflowLimits';

export { MlflowServerError };

/** Options every call to a tracking server takes. */
export interface MlflowHttpOptions extends MlflowLimits {
  /** Sent as `Authorization: Bearer <token>` (Databricks, or a server behind an auth proxy). */
  token?: string;
  /** Per request (ms): the longest wait for the headers, and for each next piece of the body. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a timeout or a refused connection; 4xx is never retried. */
  retries?: number;
  /** First pause between attempts (ms), doubled each time. */
  backoffMs?: number;
  /** Something the user should know that did not stop the read (a paging loop cut short). */
  onWarning?: (message: string) => void;
}

const TIMES = ['never', 'once', 'twice', 'three times', 'four times', 'five times'];
const times = (n: number) => TIMES[n] ?? `${n} times`;
/** Error bodies are only shown as a snippet: no need to read more of them. */
const ERROR_BODY_BYTES = 64 * 1024;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/**
 * A small JSON client for MLflow's REST API (`/api/2.0/mlflow/...`): bounded retries with
 * exponential backoff on what may pass (5xx, timeouts, stalls, connection errors), none on what
 * will not (4xx, our own limits), and one error message that names the server and what it
 * answered. Its time budget (totalTimeoutMs) counts from its creation: make one client per
 * operation (a read, a registry change).
 */
export class MlflowHttp {
  readonly base: string;
  readonly maxPages: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBytes: number;
  private readonly totalMs: number;
  private readonly deadline: number;

  constructor(
    url: string,
    private readonly options: MlflowHttpOptions = {},
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MlflowServerError(`"${url}" is not a URL of an MLflow tracking server (expected http://host:port)`, null, null);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new MlflowServerError(`"${url}" is not an http(s) URL of an MLflow tracking server`, null, null);
    this.base = url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.backoffMs = options.backoffMs ?? 300;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_MB * MB;
    this.totalMs = options.totalTimeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
    this.deadline = Date.now() + this.totalMs;
  }

  /** The same server and options with a fresh time budget. */
  fresh(): MlflowHttp {
    return new MlflowHttp(this.base, this.options);
  }

  warn(message: string): void {
    this.options.onWarning?.(message);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.request<T>('GET', qs ? `${path}?${qs}` : path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  /** `METHOD URL` without the query, as messages name a request. */
  describe(method: string, path: string): string {
    return `${method} ${this.base}/api/2.0/mlflow/${path.split('?')[0]}`;
  }

  private outOfTime(what: string, last: string): MlflowLimitError {
    const spent = Math.round(this.totalMs / 100) / 10;
    return new MlflowLimitError(
      `MLflow server ${this.base}: gave up on ${what} when the ${spent} s allowed for reading the server ran out${last ? ` (last attempt: ${last})` : ''}; ${LIMIT_HINTS.time}`,
      'time',
    );
  }

  private async request<T>(method: string, path: string, body: unknown): Promise<T> {
    const url = `${this.base}/api/2.0/mlflow/${path}`;
    const what = this.describe(method, path);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    const attempts = this.retries + 1;
    let last = '';
    let lastStatus: number | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        const pause = this.backoffMs * 2 ** (attempt - 2);
        if (Date.now() + pause >= this.deadline) throw this.outOfTime(what, last);
        await new Promise((r) => setTimeout(r, pause));
      }
      const left = this.deadline - Date.now();
      if (left <= 0) throw this.outOfTime(what, last);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.min(this.timeoutMs, left));
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted && left < this.timeoutMs) throw this.outOfTime(what, 'no answer yet');
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        last = controller.signal.aborted
          ? `no answer within ${this.timeoutMs} ms`
          : `not reachable (${cause?.code ?? cause?.message ?? (error as Error).message})`;
        lastStatus = null;
        continue;
      } finally {
        clearTimeout(timer);
      }
      const status = response.status;
      const ok = status >= 200 && status < 300;
      const read = await readBody(response, controller, {
        maxBytes: ok ? this.maxBytes : ERROR_BODY_BYTES,
        idleMs: this.timeoutMs,
        deadline: this.deadline,
        truncate: !ok,
      });
      if (!read.ok) {
        if (read.why === 'too-large') {
          const size = read.declared ? `a body of ${mb(read.bytes)} (Content-Length)` : `more than ${mb(this.maxBytes)}`;
          throw new MlflowLimitError(
            `MLflow server ${this.base} answered ${what} with ${size}, over the ${mb(this.maxBytes)} limit; stopped reading it (${LIMIT_HINTS.size})`,
            'size',
          );
        }
        if (read.why === 'deadline') throw this.outOfTime(what, `the answer was still arriving after ${read.bytes} bytes`);
        last =
          read.why === 'stalled'
            ? `stalled: sent ${status} and ${read.bytes} bytes of the body, then nothing for ${this.timeoutMs} ms`
            : `the connection broke after ${read.bytes} bytes of the body (${read.detail})`;
        lastStatus = null;
        continue;
      }
      const text = read.body.toString('utf8');
      if (ok) {
        try {
          return (text ? JSON.parse(text) : {}) as T;
        } catch {
          throw new MlflowServerError(
            `MLflow server ${this.base} answered ${what} with something that is not JSON: ${snippet(text)}`,
            status,
            null,
          );
        }
      }
      let code: string | null = null;
      let message = text;
      try {
        const err = JSON.parse(text) as { error_code?: unknown; message?: unknown };
        code = typeof err?.error_code === 'string' ? err.error_code : null;
        message = [code, typeof err?.message === 'string' ? err.message : ''].filter(Boolean).join(': ') || text;
      } catch {
        // not an MLflow error body (a proxy's HTML page, or cut at the snippet limit): shown as it is
      }
      if (status < 500)
        throw new MlflowServerError(`MLflow server ${this.base} refused ${what}: ${status} ${snippet(message)}`, status, code);
      last = snippet(message) || '(empty body)';
      lastStatus = status;
    }
    const verb = lastStatus === null ? 'failed' : `returned ${lastStatus}`;
    throw new MlflowServerError(`MLflow server ${this.base} ${verb} ${times(attempts)} for ${what}: ${last}`, lastStatus, null);
  }
}

/** A double as protobuf JSON writes it: a number, or "NaN" / "Infinity" / "-Infinity". */
export function jsonDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}
