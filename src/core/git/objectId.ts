import { createHash } from 'node:crypto';

/** Git's blob object id of some bytes, so a workspace file and its committed twin share one parsed blob. */
export function gitBlobId(bytes: Uint8Array): string {
  const hash = createHash('sha1');
  hash.update(`blob ${bytes.length}\0`);
  hash.update(bytes);
  return hash.digest('hex');
}

export const FULL_SHA = /^[0-9a-f]{40}$/;
