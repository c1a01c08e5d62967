// The framing of a .wandb log (LevelDB's log format with wandb's own file header): a 7-byte
// header, then 32 KiB blocks counted from the start of the file, each holding chunks of
// `crc32 (uint32 LE) | length (uint16 LE) | type (uint8) | payload`. A record too large for
// the rest of its block continues in FIRST/MIDDLE/LAST chunks; when fewer than 7 bytes are
// left in a block they are zero padding. The CRC covers the type byte and the payload.

export const HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]); // ":W&B", 0xBEE1 LE, version 0
export const HEADER_SIZE = 7;
export const BLOCK_SIZE = 32 * 1024;
export const CHUNK_HEADER_SIZE = 7;

export const FULL = 1;
export const FIRST = 2;
export const MIDDLE = 3;
export const LAST = 4;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Why `bytes` (the file's first bytes, fewer than 7 if the file is that short) is not the
 * start of a .wandb log, or null when it is (or may still become one: a shorter prefix of the
 * header is a log whose writer has only just started).
 */
export function headerProblem(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, HEADER_SIZE);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === HEADER[i]) continue;
    if (i === 6 && bytes.subarray(0, 6).every((b, j) => b === HEADER[j]))
      return `unsupported W&B log version ${bytes[6]} (this reader knows version 0)`;
    return `not a W&B log (header ${hex(bytes.subarray(0, n))}; expected ${hex(HEADER)}, ":W&B" 0xBEE1 version 0)`;
  }
  return null;
}
