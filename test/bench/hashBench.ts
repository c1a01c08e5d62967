// Stage-status hashing of a 10,000-file, 1 GB dataset folder (issue 5): cold (every file
// read, no hash cache) against `md5sum` over the same files, and warm (hash cache filled)
// against a plain stat walk in Node. Both sides run in the same process run, interleaved,
// with the page cache warm for both (the floor and we read the same cached pages).

import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashCache } from '../../src/core/repro/hashCache';
import { WorkspaceHasher } from '../../src/core/repro/workspaceHasher';
import { Store } from '../../src/core/store/store';
import { median, runChild, timed, timedSync } from './measure';

export const HASH_TARGETS = { coldVsMd5sum: 1.3, warmVsStatWalk: 2 };
const FILES = 10_000;
const FOLDERS = 100;
const TOTAL_BYTES = 1_000_000_000;
const MARKER_VERSION = 1;

export interface HashBenchResult {
  files: number;
  bytes: number;
  runs: number;
  generatedSeconds: number;
  coldMs: number;
  coldSamples: number[];
  coldFillMs: number;
  md5sumMs: number;
  md5sumSamples: number[];
  coldRatio: number;
  warmMs: number;
  warmSamples: number[];
  statWalkMs: number;
  statWalkSamples: number[];
  warmRatio: number;
  warmReads: number;
  dirHash: string;
  status: { cold: boolean; warm: boolean };
}

/** Deterministic sizes (log-uniform 1 KB..1 MB, scaled to TOTAL_BYTES); contents random. */
function sizes(): number[] {
  let seed = 0x5eed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const raw = Array.from({ length: FILES }, () => Math.exp(Math.log(1e3) + rand() * Math.log(1e3)));
  const scale = TOTAL_BYTES / raw.reduce((a, b) => a + b, 0);
  const out = raw.map((s) => Math.max(1, Math.floor(s * scale)));
  out[0] += TOTAL_BYTES - out.reduce((a, b) => a + b, 0);
  return out;
}

const fileName = (i: number) => join('data', `d${String(i % FOLDERS).padStart(2, '0')}`, `part-${String(i).padStart(5, '0')}.bin`);

/** The dataset repository, generated once and reused while the marker matches. */
export function ensureHashDataset(benchDir: string, log: (m: string) => void): { root: string; generatedSeconds: number } {
  const root = join(benchDir, 'hash-dataset');
  const marker = join(benchDir, 'hash-dataset.marker.json');
  const spec = JSON.stringify({ version: MARKER_VERSION, files: FILES, folders: FOLDERS, bytes: TOTAL_BYTES });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec && existsSync(join(root, 'data'))) return { root, generatedSeconds: 0 };
  log(`generating the hashing dataset: ${FILES} files, ${(TOTAL_BYTES / 1e9).toFixed(1)} GB of random bytes in ${root}`);
  const started = Date.now();
  rmSync(root, { recursive: true, force: true });
  rmSync(marker, { force: true });
  mkdirSync(join(root, '.dvc'), { recursive: true });
  writeFileSync(join(root, '.dvc', 'config'), '');
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(root, 'data', `d${String(f).padStart(2, '0')}`), { recursive: true });
  // Files stay under 1 MB (log-uniform sizes scaled down), so one buffer per file is fine.
  sizes().forEach((size, i) => writeFileSync(join(root, fileName(i)), randomFillSync(Buffer.allocUnsafe(size))));
  writeFileSync(marker, spec);
  return { root, generatedSeconds: (Date.now() - started) / 1000 };
}

/** The floor: one pass of md5sum (GNU coreutils, one core) over exactly the dataset's files. */
async function md5sumFloor(root: string): Promise<number> {
  const r = await runChild('sh', ['-c', 'find data -type f -print0 | xargs -0 md5sum > /dev/null'], { cwd: root });
  if (r.code !== 0) throw new Error(`md5sum floor failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.ms;
}

/** The warm baseline: every file's stat, as a plain recursive walk in Node does it. */
function statWalk(dir: string): number {
  let n = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) n += statWalk(p);
    else {
      statSync(p);
      n++;
    }
  }
  return n;
}

export async function benchHashing(benchDir: string, runs: number, log: (m: string) => void): Promise<HashBenchResult> {
  const { root, generatedSeconds } = ensureHashDataset(benchDir, log);
  const storeFile = join(benchDir, 'hash-store', 'index.sqlite');
  Store.remove(storeFile);
  const store = Store.open(storeFile);
  try {
    await md5sumFloor(root); // warm the page cache for both sides
    const coldSamples: number[] = [];
    const md5sumSamples: number[] = [];
    let dirHash = '';
    for (let run = 0; run < runs; run++) {
      const floor = await md5sumFloor(root);
      const cold = await timed(() => new WorkspaceHasher(root).hash('data', 'md5'));
      md5sumSamples.push(floor);
      coldSamples.push(cold.ms);
      dirHash = cold.result!.md5;
      log(`hash cold run ${run + 1}/${runs}: ${cold.ms.toFixed(0)} ms (md5sum ${floor.toFixed(0)} ms)`);
    }
    const cache = new HashCache(store);
    const fill = await timed(() => new WorkspaceHasher(root, { cache }).hash('data', 'md5'));
    log(`hash cold run filling the cache: ${fill.ms.toFixed(0)} ms (${cache.writes} rows written)`);
    const warmSamples: number[] = [];
    const walkSamples: number[] = [];
    let warmReads = 0;
    let files = 0;
    for (let run = 0; run < Math.max(runs, 5); run++) {
      const walk = timedSync(() => statWalk(join(root, 'data')));
      const hasher = new WorkspaceHasher(root, { cache: new HashCache(store) });
      const warm = await timed(() => hasher.hash('data', 'md5'));
      if (warm.result!.md5 !== dirHash) throw new Error(`warm hash ${warm.result!.md5} differs from cold ${dirHash}`);
      walkSamples.push(walk.ms);
      warmSamples.push(warm.ms);
      warmReads = hasher.stats.filesRead;
      files = walk.result;
    }
    log(
      `hash warm: ${median(warmSamples).toFixed(1)} ms (${warmReads} files read), stat walk ${median(walkSamples).toFixed(1)} ms over ${files} files`,
    );
    const coldMs = median(coldSamples);
    const md5sumMs = median(md5sumSamples);
    const warmMs = median(warmSamples);
    const statWalkMs = median(walkSamples);
    return {
      files,
      bytes: TOTAL_BYTES,
      runs,
      generatedSeconds,
      coldMs,
      coldSamples,
      coldFillMs: fill.ms,
      md5sumMs,
      md5sumSamples,
      coldRatio: coldMs / md5sumMs,
      warmMs,
      warmSamples,
      statWalkMs,
      statWalkSamples: walkSamples,
      warmRatio: warmMs / statWalkMs,
      warmReads,
      dirHash,
      status: { cold: coldMs / md5sumMs <= HASH_TARGETS.coldVsMd5sum, warm: warmMs / statWalkMs <= HASH_TARGETS.warmVsStatWalk },
    };
  } finally {
    store.close();
  }
}

/** Rows for the bench table: [measure, figure, target]. */
export function hashRows(r: HashBenchResult): string[][] {
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const gb = r.bytes / 1e9;
  return [
    [
      `status hashing, ${r.files} files / ${gb.toFixed(1)} GB, cold, no hash cache (ms)`,
      `${ms(r.coldMs)} (${(r.bytes / 1e6 / (r.coldMs / 1000)).toFixed(0)} MB/s)`,
      '',
    ],
    ['  cold, filling the hash cache (ms)', ms(r.coldFillMs), ''],
    ['  md5sum floor, same files (ms)', ms(r.md5sumMs), ''],
    ['  cold / md5sum', `${r.coldRatio.toFixed(2)}x ${mark(r.status.cold)}`, `<= ${HASH_TARGETS.coldVsMd5sum}x`],
    ['status hashing, warm hash cache (ms)', `${ms(r.warmMs)} (${r.warmReads} files read)`, ''],
    ['  stat walk in Node, same files (ms)', ms(r.statWalkMs), ''],
    ['  warm / stat walk', `${r.warmRatio.toFixed(2)}x ${mark(r.status.warm)}`, `<= ${HASH_TARGETS.warmVsStatWalk}x`],
  ];
}

/** The hashing section of the bench output, as an aligned table. */
export function formatHashTable(r: HashBenchResult): string {
  const rows = [['measure', 'figure', 'target'], ...hashRows(r)];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  return [
    `Stage status hashing: medians of ${r.runs} cold and ${r.warmSamples.length} warm runs`,
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.slice(1).map(line),
  ].join('\n');
}
