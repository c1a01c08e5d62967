// A small tmpfs for disk-full tests. Mounting needs root (CI runs as root); where the mount is
// refused the caller skips the test and says why, never passes it silently.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  free(): number;
  unmount(): void;
}

export function mountSmallDisk(sizeKiB: number): SmallDisk | { refused: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return {
      refused: `mounting a ${sizeKiB} KiB tmpfs was refused (${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}); disk-full test skipped`,
    };
  }
  return {
    dir,
    free: () => {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    unmount: () => {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
