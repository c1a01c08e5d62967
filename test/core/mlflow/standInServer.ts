// A stand-in tracking server on 127.0.0.1 for the misbehaviours a real `mlflow server` cannot be
// made to show on demand: paging loops, garbage, stalls and endless bodies.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}
export type Handler = (req: Request, res: ServerResponse) => void;

export interface StandIn {
  url: string;
  requests: Request[];
  close(): void;
}

export async function standIn(handler: Handler): Promise<StandIn> {
  const requests: Request[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let body: Record<string, unknown> = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        /* the client only sends JSON */
      }
      const r = { method: req.method ?? '', path: url.pathname.replace('/api/2.0/mlflow/', ''), query: url.searchParams, body };
      requests.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** The page token a request carries, in the body (POST searches) or the query (GET). */
export const tokenOf = (r: Request): string | undefined =>
  (r.body.page_token as string | undefined) ?? r.query.get('page_token') ?? undefined;

/**
 * A 200 answer of `total` bytes of valid JSON (`{"experiments": [], "padding": "xxx…"}`),
 * generated as the client reads it (write until the socket pushes back, then wait for drain),
 * so the test's own memory stays flat. Resolves with the bytes handed to the socket before
 * the client went away or the body ended.
 */
export function endlessJson(res: ServerResponse, total: number, declareLength: boolean): Promise<number> {
  const head = Buffer.from('{"experiments": [], "padding": "');
  const tail = Buffer.from('"}');
  const piece = Buffer.alloc(1 << 20, 'x');
  res.writeHead(200, { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': String(total) } : {}) });
  let written = 0;
  let closed = false;
  return new Promise((resolve) => {
    res.on('close', () => {
      closed = true;
      resolve(written);
    });
    const write = (bytes: Buffer): boolean => {
      written += bytes.length;
      return res.write(bytes);
    };
    write(head);
    const pump = (): void => {
      while (!closed) {
        const left = total - written - tail.length;
        if (left <= 0) {
          written += tail.length;
          res.end(tail);
          return;
        }
        if (!write(left >= piece.length ? piece : piece.subarray(0, left))) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
