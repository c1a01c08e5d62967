// Synthetic benchmark repositories, cached under .bench/ and reused while their options match.

import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSyntheticRepo, type SyntheticRepoOptions, type SyntheticRepoInfo } from '../../src/demo/syntheticRepo';
import { runChecked } from './measure';

/** Bump when the way the bench builds or uses its repositories changes. */
const MARKER_VERSION = 1;

export interface BenchRepo {
  dir: string;
  options: SyntheticRepoOptions;
  info: SyntheticRepoInfo;
  /** Seconds spent generating, or 0 when reused from the cache. */
  generatedSeconds: number;
}

function markerFile(dir: string): string {
  return `${dir}.marker.json`;
}

export async function ensureRepo(benchDir: string, commits: number): Promise<BenchRepo> {
  const options: SyntheticRepoOptions = { commits, branches: 50, expRefs: 500, seed: 1 };
  const dir = join(benchDir, `repo-${commits}`);
  const marker = markerFile(dir);
  if (existsSync(marker) && existsSync(join(dir, '.git'))) {
    try {
      const saved = JSON.parse(readFileSync(marker, 'utf8')) as { version: number; options: SyntheticRepoOptions; info: SyntheticRepoInfo };
      if (saved.version === MARKER_VERSION && JSON.stringify(saved.options) === JSON.stringify(options)) {
        // A previous bench that died mid-run may have left main moved or the worktree dirty.
        await runChecked('git', ['cat-file', '-e', `${saved.info.mainHead}^{commit}`], { cwd: dir });
        await runChecked('git', ['update-ref', 'refs/heads/main', saved.info.mainHead], { cwd: dir });
        await runChecked('git', ['checkout', '--quiet', '-f', 'main'], { cwd: dir });
        await runChecked('git', ['reset', '--quiet', '--hard', saved.info.mainHead], { cwd: dir });
        return { dir, options, info: saved.info, generatedSeconds: 0 };
      }
    } catch {
      // unreadable marker or broken repo: regenerate below
    }
  }
  rmSync(marker, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(benchDir, { recursive: true });
  const start = Date.now();
  const info = await generateSyntheticRepo(dir, options);
  const generatedSeconds = (Date.now() - start) / 1000;
  // Written last: a half-generated folder has no marker and is rebuilt next time.
  writeFileSync(marker, JSON.stringify({ version: MARKER_VERSION, options, info }, null, 2));
  return { dir, options, info, generatedSeconds };
}

/** Store file plus its WAL and shared-memory files. */
export function removeStore(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}
