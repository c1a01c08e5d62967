/** Options every call to a tracking server takes. */
export interface MlflowHttpOptions {
  /** Sent as `Authorization: Bearer <token>` (Databricks, or a server behind an auth proxy). */
  token?: string;
  /** Per request (ms); an unanswered request is aborted and counts as a failed attempt. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a timeout or a refused connection; 4xx is never retried. */
  retries?: number;
  /** First pause between attempts (ms), doubled each time. */
  backoffMs?: number;
}

export class MlflowServerError extends Error {
  constructor(message: string, readonly status: number | null, readonly errorCode: string | null) {
    super(message);
    this.name = 'MlflowServerError';
  }
}

const TIMES = ['never', 'once', 'twice', 'three times', 'four times', 'five times'];
const times = (n: number) => TIMES[n] ?? `${n} times`;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * A small JSON client for MLflow's REST API (`/api/2.0/mlflow/...`): bounded retries with
 * exponential backoff on what may pass (5xx, timeouts, connection errors), none on what will
 * not (4xx), and one error message that names the server and what it answered.
 */
export class MlflowHttp {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(url: string, private readonly options: MlflowHttpOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MlflowServerError(`"${url}" is not a URL of an MLflow tracking server (expected http://host:port)`, null, null);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new MlflowServerError(`"${url}" is not an http(s) URL of an MLflow tracking server`, null, null);
    this.base = url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.backoffMs = options.backoffMs ?? 300;
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.request<T>('GET', qs ? `${path}?${qs}` : path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> { return this.request<T>('POST', path, body); }
  patch<T>(path: string, body: unknown): Promise<T> { return this.request<T>('PATCH', path, body); }
  delete<T>(path: string, body: unknown): Promise<T> { return this.request<T>('DELETE', path, body); }

  private async request<T>(method: string, path: string, body: unknown): Promise<T> {
    const url = `${this.base}/api/2.0/mlflow/${path}`;
    const what = `${method} ${url.split('?')[0]}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    const attempts = this.retries + 1;
    let last = '';
    let lastStatus: number | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 2)));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal });
        status = response.status;
        text = await response.text();
      } catch (error) {
        const aborted = controller.signal.aborted;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        last = aborted ? `no answer within ${this.timeoutMs} ms` : `not reachable (${cause?.code ?? cause?.message ?? (error as Error).message})`;
        lastStatus = null;
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (status >= 200 && status < 300) {
        try {
          return (text ? JSON.parse(text) : {}) as T;
        } catch {
          throw new MlflowServerError(`MLflow server ${this.base} answered ${what} with something that is not JSON: ${snippet(text)}`, status, null);
        }
      }
      let code: string | null = null;
      let message = text;
      try {
        const err = JSON.parse(text) as { error_code?: string; message?: string };
        code = err.error_code ?? null;
        message = [err.error_code, err.message].filter(Boolean).join(': ') || text;
      } catch {
        // not an MLflow error body (a proxy's HTML page): shown as it is
      }
      if (status < 500) throw new MlflowServerError(`MLflow server ${this.base} refused ${what}: ${status} ${snippet(message)}`, status, code);
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
