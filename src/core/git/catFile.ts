import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitEnv } from './exec';

export type ObjectInfo = { oid: string; type: string; size: number } | { missing: true };
export type ObjectContent = { oid: string; type: string; bytes: Buffer } | { missing: true };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  withContent: boolean;
}

/**
 * One long-lived `git cat-file --batch` (or `--batch-check`) process. Requests are pipelined:
 * many object names are written at once and answers are parsed in order from the stream, so a
 * thousand blobs cost one process and no round trip each.
 */
class BatchProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(
    private readonly cwd: string,
    private readonly withContent: boolean,
  ) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['cat-file', this.withContent ? '--batch' : '--batch-check'], { cwd: this.cwd, env: gitEnv() });
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      this.failed = error;
      for (const p of this.queue.splice(0)) p.reject(error);
      this.child = undefined;
    };
    child.on('error', fail);
    child.on('exit', (code) => {
      if (this.queue.length > 0) fail(new Error(`git cat-file exited with ${code}`));
      this.child = undefined;
    });
    child.stdin.on('error', (e) => fail(e));
    child.stderr.resume();
    this.child = child;
    return child;
  }

  request(names: readonly string[]): Promise<unknown[]> {
    if (names.length === 0) return Promise.resolve([]);
    if (this.failed) return Promise.reject(this.failed);
    for (const name of names) {
      // A newline would split one request into two and desynchronise every answer after it.
      if (name.includes('\n')) return Promise.reject(new Error(`object name contains a newline: ${JSON.stringify(name)}`));
    }
    const child = this.start();
    const promises = names.map(
      (_, i) =>
        new Promise((resolve, reject) => {
          this.queue.push({ resolve, reject, withContent: this.withContent });
          void i;
        }),
    );
    child.stdin.write(names.join('\n') + '\n');
    return Promise.all(promises);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.queue.length > 0) {
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const header = this.buffer.subarray(0, eol).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.queue.shift()!.resolve({ missing: true });
        continue;
      }
      const [oid, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (!this.withContent) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.queue.shift()!.resolve({ oid, type, size });
        continue;
      }
      const end = eol + 1 + size;
      if (this.buffer.length < end + 1) return; // wait for the whole object and its trailing newline
      const bytes = Buffer.from(this.buffer.subarray(eol + 1, end));
      this.buffer = this.buffer.subarray(end + 1);
      this.queue.shift()!.resolve({ oid, type, bytes });
    }
  }

  close(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }
}

/** Blob and object reads for one repository, through two long-lived cat-file processes. */
export class ObjectReader {
  private readonly contents: BatchProcess;
  private readonly infos: BatchProcess;

  constructor(cwd: string) {
    this.contents = new BatchProcess(cwd, true);
    this.infos = new BatchProcess(cwd, false);
  }

  /** Type and size without content: used to skip huge blobs before reading them. */
  info(names: readonly string[]): Promise<ObjectInfo[]> {
    return this.infos.request(names) as Promise<ObjectInfo[]>;
  }

  read(names: readonly string[]): Promise<ObjectContent[]> {
    return this.contents.request(names) as Promise<ObjectContent[]>;
  }

  close(): void {
    this.contents.close();
    this.infos.close();
  }
}
