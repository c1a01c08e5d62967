// DVC's file hashes, byte for byte (dvc-data 3.x, hashfile/hash.py and istextfile.py).
// 'md5' is the md5 of the bytes. 'md5-dos2unix' (DVC 2, lock entries without `hash: md5`) reads
// the file in 1 MiB chunks and decides text-or-binary for EACH chunk from that chunk's first
// 512 bytes; a text chunk has its CRLFs turned into LF before hashing. So a CRLF split across
// a chunk boundary is never converted, and one file can mix converted and raw chunks.

import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { BigIntStats } from 'node:fs';
import type { HashKind, PathHash } from './types';

export const CHUNK_SIZE = 1 << 20;
export const TEXT_BLOCK_SIZE = 512;
/** How often a file that keeps changing under us is re-read before giving up. */
const MAX_ATTEMPTS = 3;

/** Printable ASCII 32..126 plus \n \r \t \f \b: istextfile.TEXT_CHARS. */
const TEXT_BYTE = new Uint8Array(256);
for (let b = 32; b < 127; b++) TEXT_BYTE[b] = 1;
for (const b of [10, 13, 9, 12, 8]) TEXT_BYTE[b] = 1;

/** istextblock: empty is text; a NUL makes it binary; else at most 30% bytes outside TEXT_CHARS. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (let i = 0; i < block.length; i++) {
    const b = block[i];
    if (b === 0) return false;
    if (TEXT_BYTE[b] === 0) nontext++;
  }
  // Same double division as Python's float(len(nontext)) / len(block) <= 0.30.
  return nontext / block.length <= 0.3;
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** Feeds one chunk to md5 the way Dos2UnixHashStreamFile.read does (chunk-local decision). */
function updateDos2Unix(hash: Hash, chunk: Buffer): void {
  if (!isTextBlock(chunk.subarray(0, TEXT_BLOCK_SIZE))) {
    hash.update(chunk);
    return;
  }
  // bytes.replace(b"\r\n", b"\n") scans left to right without overlap: dropping the \r of
  // each \r\n found by indexOf gives the same bytes without copying the chunk.
  let start = 0;
  for (let i = chunk.indexOf(CRLF); i >= 0; i = chunk.indexOf(CRLF, i + 2)) {
    hash.update(chunk.subarray(start, i));
    start = i + 1;
  }
  hash.update(chunk.subarray(start));
}

/** A streaming hasher with DVC's chunking: feed it whole CHUNK_SIZE chunks (the last may be short). */
export class DvcHasher {
  private readonly md5 = createHash('md5');
  constructor(readonly kind: HashKind) {}

  update(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.kind === 'md5') this.md5.update(chunk);
    else updateDos2Unix(this.md5, chunk);
  }

  digest(): string {
    return this.md5.digest('hex');
  }
}

/** md5 of bytes already in memory, with DVC's chunking (used for `.dir` listings). */
export function hashBytes(bytes: Buffer, kind: HashKind): string {
  const hasher = new DvcHasher(kind);
  for (let i = 0; i < bytes.length; i += CHUNK_SIZE) hasher.update(bytes.subarray(i, i + CHUNK_SIZE));
  return hasher.digest();
}

export function isExecutable(mode: number | bigint): boolean {
  return (Number(mode) & 0o111) !== 0;
}

/** The file changed while it was read (size, mtime, ctime or inode differ before and after). */
export class FileChangedError extends Error {
  constructor(
    readonly path: string,
    attempts: number,
  ) {
    super(`${path} kept changing while it was being hashed (${attempts} attempts); hash it again when whatever writes it has finished.`);
    this.name = 'FileChangedError';
  }
}

export interface HashFileOptions {
  /** Called once per file actually read (tests count reads with it; the bench counts bytes). */
  onRead?: (absPath: string, bytes: number) => void;
  /** Called after the first chunk has been hashed, before the rest is read (tests change the file here). */
  afterFirstChunk?: (absPath: string, attempt: number) => void | Promise<void>;
  /** A reusable CHUNK_SIZE buffer; one per file in flight. */
  buffer?: Buffer;
}

/** A hash with the stat that describes exactly the bytes hashed, for the hash cache. */
export interface StampedHash {
  hash: PathHash;
  stat: BigIntStats;
}

/** Same inode, size, mtime and ctime: nothing wrote to the file in between. */
export function sameStamp(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.dev === b.dev;
}

// Only the reads are asynchronous (they may wait for the disk, and overlap with hashing other
// files). open, fstat and close of a file the walk has just stat-ed are microseconds of
// kernel work, while each asynchronous call costs tens of microseconds of thread-pool round
// trip: on 10,000 small files that overhead alone would exceed the 1.3x md5sum budget.
const fsRead = (fd: number, buffer: Buffer, offset: number, length: number, position: number) =>
  new Promise<number>((res, rej) => fs.read(fd, buffer, offset, length, position, (e, n) => (e ? rej(e) : res(n))));
const fstat = (fd: number) => fs.fstatSync(fd, { bigint: true });

async function readOnce(
  fd: number,
  absPath: string,
  kind: HashKind,
  buffer: Buffer,
  before: BigIntStats,
  attempt: number,
  options: HashFileOptions,
): Promise<StampedHash | undefined> {
  const expected = Number(before.size);
  const hasher = new DvcHasher(kind);
  let total = 0;
  for (let chunkIndex = 0; ; chunkIndex++) {
    // Fill the whole chunk like Python's BufferedReader.read(n): the dos2unix decision depends
    // on where chunks start, so a short read must not start a new chunk. Reading stops at the
    // size the stat reported (saves the EOF read per small file); growth shows in the fstat after.
    let filled = 0;
    while (filled < CHUNK_SIZE && total + filled < expected) {
      const bytesRead = await fsRead(fd, buffer, filled, CHUNK_SIZE - filled, total + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled === 0) break;
    hasher.update(buffer.subarray(0, filled));
    total += filled;
    if (chunkIndex === 0 && options.afterFirstChunk) await options.afterFirstChunk(absPath, attempt);
    if (filled < CHUNK_SIZE) break;
  }
  const after = fstat(fd);
  options.onRead?.(absPath, total);
  if (!sameStamp(before, after) || BigInt(total) !== after.size) return undefined;
  return { hash: { md5: hasher.digest(), size: total, ...(isExecutable(after.mode) ? { isexec: true } : {}) }, stat: after };
}

/**
 * Hashes one file, streaming (one CHUNK_SIZE buffer, never the whole file). A file that
 * changes while it is read is read again, and after MAX_ATTEMPTS FileChangedError is thrown:
 * a hash is only returned together with a stat that matches the bytes hashed.
 * `before` may be a stat of the path taken just before (a folder walk's), saving one fstat.
 */
export async function hashFileStamped(
  absPath: string,
  kind: HashKind,
  options: HashFileOptions = {},
  before?: BigIntStats,
): Promise<StampedHash> {
  const buffer = options.buffer ?? Buffer.allocUnsafe(CHUNK_SIZE);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const fd = fs.openSync(absPath, 'r');
    let result: StampedHash | undefined;
    try {
      result = await readOnce(fd, absPath, kind, buffer, attempt === 1 && before ? before : fstat(fd), attempt, options);
    } finally {
      fs.closeSync(fd);
    }
    if (result) return result;
  }
  throw new FileChangedError(absPath, MAX_ATTEMPTS);
}

/** DVC's hash of one file: `{md5, size, isexec?}` as a dvc.lock entry records it. */
export async function hashFile(absPath: string, kind: HashKind, options: HashFileOptions = {}): Promise<PathHash> {
  return (await hashFileStamped(absPath, kind, options)).hash;
}
