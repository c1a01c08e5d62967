/**
 * What reading a body came to: the bytes, or why it was abandoned. `stalled` is a server that
 * sent headers (or part of a body) and then nothing for `idleMs`; `deadline` is the whole
 * read's time budget running out; `too-large` is the size limit; `broken` a dropped connection.
 */
export type BodyResult =
  | { ok: true; body: Buffer; truncated: boolean }
  | { ok: false; why: 'too-large' | 'stalled' | 'deadline' | 'broken'; bytes: number; declared?: boolean; detail?: string };

export interface BodyLimits {
  maxBytes: number;
  /** Longest wait for the next piece of the body (ms). */
  idleMs: number;
  /** Date.now() after which the read is given up. */
  deadline: number;
  /** Keep the first maxBytes and stop quietly (error bodies, shown only as a snippet). */
  truncate?: boolean;
}

/**
 * Streams a fetch body chunk by chunk instead of response.text(): a body past the size limit
 * is abandoned as soon as it crosses it (memory stays near the limit, whatever the server
 * sends), and a body that stops arriving is abandoned after idleMs rather than hanging.
 * Aborting `controller` is what tears down the connection.
 */
export async function readBody(response: Response, controller: AbortController, limits: BodyLimits): Promise<BodyResult> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (!limits.truncate && Number.isFinite(declared) && declared > limits.maxBytes) {
    controller.abort();
    return { ok: false, why: 'too-large', bytes: declared, declared: true };
  }
  if (!response.body) return { ok: true, body: Buffer.alloc(0), truncated: false };
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let timedOut: 'stalled' | 'deadline' | null = null;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    controller.abort();
    reader.cancel().catch(() => undefined);
  };
  try {
    for (;;) {
      const left = limits.deadline - Date.now();
      const wait = Math.max(0, Math.min(limits.idleMs, left));
      timer = setTimeout(() => {
        timedOut = left <= limits.idleMs ? 'deadline' : 'stalled';
        stop();
      }, wait);
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        return { ok: false, why: timedOut ?? 'broken', bytes, detail: cause?.code ?? (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) return { ok: true, body: Buffer.concat(parts), truncated: false };
      bytes += chunk.value.length;
      if (bytes > limits.maxBytes) {
        stop();
        if (!limits.truncate) return { ok: false, why: 'too-large', bytes };
        parts.push(chunk.value.subarray(0, chunk.value.length - (bytes - limits.maxBytes)));
        return { ok: true, body: Buffer.concat(parts), truncated: true };
      }
      parts.push(chunk.value);
    }
  } finally {
    clearTimeout(timer);
  }
}
