// Reads what a training appended to a file since the last read: complete lines only (a line
// still being written waits for its newline). Writers do not only append: DVCLive rewrites
// its TSVs when a run resumes and rewrites metrics.json every step; editors save through a
// temporary file and a rename. Such a file is read again from the start and the result says
// so, so the caller replaces what it had instead of appending to it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** How far a file has been read. Treat as opaque; start with TAIL_START. */
export interface TailCursor {
  /** Bytes consumed: the end of the last complete line. */
  readonly offset: number;
  /** Complete lines consumed (line numbers of what comes next follow on). */
  readonly lines: number;
  /** The file's device and inode when read: a rename-replace gives another. */
  readonly identity?: string;
  /** Up to FINGERPRINT bytes just before `offset`: different bytes there mean a rewrite. */
  readonly fingerprint?: Buffer;
}

export const TAIL_START: TailCursor = { offset: 0, lines: 0 };

export interface TailRead {
  /** New complete lines, without their line terminators (CRLF and stray CRs removed). */
  lines: string[];
  /** 1-based line number of lines[0] in the file. */
  firstLine: number;
  cursor: TailCursor;
  /** The file was rewritten, shrank or vanished: `lines` start the file anew. */
  reset: boolean;
  /** The file does not exist (now). */
  missing: boolean;
  /** More bytes are waiting than one read takes; read again. */
  more: boolean;
  mtimeMs?: number;
}

const FINGERPRINT = 64;
/** One read takes at most this much; a long file is read in several. */
export const MAX_READ_BYTES = 8 * 1024 * 1024;

/**
 * The complete lines after `since`: a cursor from the previous read, or a byte offset (then
 * only a shrunken file is recognised as rewritten, and line numbers count from that offset).
 */
export function readNewLines(file: string, since: TailCursor | number = TAIL_START, maxBytes = MAX_READ_BYTES): TailRead {
  const cursor: TailCursor = typeof since === 'number' ? { offset: since, lines: 0 } : since;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    return {
      lines: [],
      firstLine: 1,
      cursor: TAIL_START,
      reset: cursor.offset > 0 || cursor.identity !== undefined,
      missing: true,
      more: false,
    };
  }
  try {
    const stat = fstatSync(fd);
    const identity = `${stat.dev}:${stat.ino}`;
    const changed = cursor.identity !== undefined && identity !== cursor.identity;
    const reset = changed || (cursor.offset > 0 && (stat.size < cursor.offset || !sameBytesBefore(fd, cursor)));
    const from = reset ? TAIL_START : cursor;
    const length = Math.min(stat.size - from.offset, maxBytes);
    const chunk = Buffer.alloc(Math.max(length, 0));
    let got = 0;
    while (got < chunk.length) {
      const n = readSync(fd, chunk, got, chunk.length - got, from.offset + got);
      if (n === 0) break;
      got += n;
    }
    const end = chunk.lastIndexOf(0x0a, got - 1);
    const complete = end < 0 ? Buffer.alloc(0) : chunk.subarray(0, end + 1);
    const lines = complete.length
      ? complete
          .toString('utf8')
          .split('\n')
          .slice(0, -1)
          .map((l) => l.replace(/\r+$/, ''))
      : [];
    if (from.offset === 0 && lines.length) lines[0] = lines[0].replace(/^\uFEFF/, '');
    const fingerprint = Buffer.concat([from.fingerprint ?? Buffer.alloc(0), complete]).subarray(-FINGERPRINT);
    const next: TailCursor = { offset: from.offset + complete.length, lines: from.lines + lines.length, identity, fingerprint };
    return {
      lines,
      firstLine: from.lines + 1,
      cursor: next,
      reset,
      missing: false,
      more: from.offset + got < stat.size && complete.length > 0,
      mtimeMs: stat.mtimeMs,
    };
  } finally {
    closeSync(fd);
  }
}

/** Whether the bytes just before the cursor's offset are still the ones read there. */
function sameBytesBefore(fd: number, cursor: TailCursor): boolean {
  const expected = cursor.fingerprint;
  if (!expected || expected.length === 0) return true;
  const actual = Buffer.alloc(expected.length);
  const n = readSync(fd, actual, 0, expected.length, cursor.offset - expected.length);
  return n === expected.length && actual.equals(expected);
}
