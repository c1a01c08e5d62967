// Reads a .wandb log incrementally: each read() picks up at `offset` (the end of the last
// whole record), reads to the current end of the file in fixed-size chunks and hands every
// complete record to a callback. A record still being written stays unread until a later
// call finds it whole, so the same reader tails a running log. Damage in the middle (a bad
// checksum, a bad chunk header, an undecodable record) is reported with its byte offset and
// skipped; reading carries on with the next good chunk.

import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from './crc32';
import { BLOCK_SIZE, CHUNK_HEADER_SIZE, FIRST, FULL, HEADER_SIZE, LAST, MIDDLE, headerProblem } from './wandbLogFormat';
import { decodeRecord, type WandbRecord } from './wandbRecords';

/** The file is not a .wandb log (wrong header or version): nothing in it can be read. */
export class WandbLogError extends Error {}

export interface WandbLogProblem {
  /** Byte offset in the file of the damaged chunk or record. */
  offset: number;
  message: string;
}

export interface WandbLogEntry {
  /** Byte offset of the record's first chunk. */
  offset: number;
  record: WandbRecord;
}

export interface WandbLogReadResult {
  /** Records handed to the callback by this call. */
  records: number;
  /** Damage found by this call, in file order. */
  problems: WandbLogProblem[];
  /** Bytes after `offset` that do not yet form a whole record (a run still writing, or a cut-off log). */
  pendingBytes: number;
}

export interface WandbLogReaderOptions {
  /** Where to resume: 0 (the default) or an `offset` a previous reader reached. */
  offset?: number;
  /** Bytes per file read (default 1 MiB). */
  chunkSize?: number;
}

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class WandbLogReader {
  /** Resume point: just past the last whole record read or damage skipped; 0 before the header is read. */
  offset: number;
  private readonly chunkSize: number;

  constructor(
    readonly path: string,
    options: WandbLogReaderOptions = {},
  ) {
    this.offset = options.offset ?? 0;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (this.offset !== 0 && this.offset < HEADER_SIZE) throw new RangeError(`offset ${this.offset} is inside the W&B log header`);
  }

  /** Every whole record from `offset` to the current end of the file; throws WandbLogError for a file that is not a log. */
  async read(onRecord: (record: WandbRecord, offset: number) => void): Promise<WandbLogReadResult> {
    const handle = await open(this.path, 'r');
    try {
      return await new Pass(this, handle, this.chunkSize, onRecord).run();
    } finally {
      await handle.close();
    }
  }

  /** read() collecting the records in an array. */
  async readAll(): Promise<{ entries: WandbLogEntry[]; result: WandbLogReadResult }> {
    const entries: WandbLogEntry[] = [];
    const result = await this.read((record, offset) => entries.push({ offset, record }));
    return { entries, result };
  }
}

/** One read() call: the file buffer and the chunk state machine. */
class Pass {
  private buf: Buffer = EMPTY;
  private bufStart: number;
  private pos: number;
  private eof = false;
  private parts: Buffer[] = [];
  private partStart = -1;
  /** After damage inside a multi-chunk record, its remaining chunks are dropped without a second report. */
  private dropping = false;
  private readonly problems: WandbLogProblem[] = [];
  private records = 0;

  constructor(
    private readonly reader: WandbLogReader,
    private readonly handle: FileHandle,
    private readonly chunkSize: number,
    private readonly onRecord: (record: WandbRecord, offset: number) => void,
  ) {
    this.pos = reader.offset;
    this.bufStart = reader.offset;
  }

  async run(): Promise<WandbLogReadResult> {
    if (this.pos === 0) {
      await this.fill(HEADER_SIZE);
      const head = this.buf.subarray(0, HEADER_SIZE);
      const problem = headerProblem(head);
      if (problem) throw new WandbLogError(`${this.reader.path}: ${problem}`);
      if (head.length < HEADER_SIZE) return this.result();
      this.pos = HEADER_SIZE;
      this.commit();
    }
    for (;;) {
      const left = BLOCK_SIZE - (this.pos % BLOCK_SIZE);
      if (left < CHUNK_HEADER_SIZE) {
        this.pos += left;
        if (this.parts.length === 0) this.commit();
        continue;
      }
      if (!this.has(CHUNK_HEADER_SIZE) && !(await this.fill(CHUNK_HEADER_SIZE))) break;
      const o = this.pos - this.bufStart;
      const b = this.buf;
      const checksum = b.readUInt32LE(o);
      const len = b.readUInt16LE(o + 4);
      const type = b[o + 6];
      if (type < FULL || type > LAST || CHUNK_HEADER_SIZE + len > left) {
        // A zeroed rest of block is how a preallocated or padded file looks; anything else is damage.
        if (!(checksum === 0 && len === 0 && type === 0))
          this.damage(
            `bad chunk header (type ${type}, length ${len} with ${left - CHUNK_HEADER_SIZE} bytes left in the block); skipped the rest of the block`,
          );
        else this.dropPartial('is cut off by zero padding');
        this.pos += left;
        this.commit();
        continue;
      }
      if (!this.has(CHUNK_HEADER_SIZE + len) && !(await this.fill(CHUNK_HEADER_SIZE + len))) break;
      const p = this.pos - this.bufStart + CHUNK_HEADER_SIZE;
      if (crc32(this.buf, p - 1, p + len) !== checksum) {
        this.damage(`bad checksum in a ${['', 'full', 'first', 'middle', 'last'][type]} chunk of ${len} bytes; skipped`);
        this.dropping = type === FIRST || type === MIDDLE;
        this.pos += CHUNK_HEADER_SIZE + len;
        this.commit();
        continue;
      }
      const chunkAt = this.pos;
      this.pos += CHUNK_HEADER_SIZE + len;
      this.chunk(type, p, len, chunkAt);
      if (this.parts.length === 0) this.commit();
    }
    return this.result();
  }

  private chunk(type: number, p: number, len: number, at: number): void {
    if (type === FULL || type === FIRST) {
      this.dropPartial(`is cut off by a new record at byte ${at}`);
      this.dropping = false;
      if (type === FULL) this.emit(this.buf, p, p + len, at);
      else {
        this.parts = [this.buf.subarray(p, p + len)];
        this.partStart = at;
      }
      return;
    }
    if (this.parts.length === 0) {
      if (!this.dropping)
        this.problems.push(
          this.report(at, `a ${type === MIDDLE ? 'middle' : 'last'} chunk without the first chunk of its record; skipped`),
        );
      if (type === LAST) this.dropping = false;
      return;
    }
    this.parts.push(this.buf.subarray(p, p + len));
    if (type === LAST) {
      const whole = Buffer.concat(this.parts);
      const start = this.partStart;
      this.parts = [];
      this.emit(whole, 0, whole.length, start);
    }
  }

  private emit(buf: Buffer, start: number, end: number, at: number): void {
    let record: WandbRecord;
    try {
      record = decodeRecord(buf, start, end);
    } catch (error) {
      this.problems.push(this.report(at, `undecodable record (${(error as Error).message}); skipped`));
      return;
    }
    this.records++;
    this.onRecord(record, at);
  }

  private report(offset: number, message: string): WandbLogProblem {
    return { offset, message: `byte ${offset}: ${message}` };
  }

  private damage(message: string): void {
    this.dropPartial('is lost with it');
    this.problems.push(this.report(this.pos, message));
  }

  private dropPartial(why: string): void {
    if (this.parts.length === 0) return;
    this.problems.push(this.report(this.partStart, `the record starting here ${why}; skipped`));
    this.parts = [];
  }

  private commit(): void {
    this.reader.offset = this.pos;
  }

  private result(): WandbLogReadResult {
    const end = this.bufStart + this.buf.length;
    return { records: this.records, problems: this.problems, pendingBytes: Math.max(0, end - this.reader.offset) };
  }

  private has(n: number): boolean {
    return this.bufStart + this.buf.length >= this.pos + n;
  }

  /** Makes bytes [pos, pos+n) available; false when the file ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.bufStart + this.buf.length < this.pos + n) {
      if (this.eof) return false;
      const readAt = Math.max(this.bufStart + this.buf.length, this.pos);
      const keep = readAt > this.pos ? this.buf.subarray(this.pos - this.bufStart) : EMPTY;
      // A fresh buffer per read (chunks of an unfinished record still point into the old one);
      // the unread tail of the old one, less than a chunk, is copied to its front.
      const fresh = Buffer.allocUnsafe(keep.length + Math.max(this.chunkSize, n));
      keep.copy(fresh, 0);
      const { bytesRead } = await this.handle.read(fresh, keep.length, fresh.length - keep.length, readAt);
      if (bytesRead === 0) {
        this.eof = true;
        return false;
      }
      this.buf = fresh.subarray(0, keep.length + bytesRead);
      this.bufStart = readAt - keep.length;
    }
    return true;
  }
}
