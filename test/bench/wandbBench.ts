// Reading a 100 MB .wandb log (issue 7): a run folder parsed into an ExternalRun, against a
// floor that only reads the same file sequentially in the same chunk size. The log is made by
// our writer (its format is checked against wandb's reader in test/interop) and cached under
// .bench/ while its spec is unchanged. Both sides read from the page cache, interleaved.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configRecord,
  historyRecord,
  runRecord,
  summaryRecord,
  exitRecord,
  wandbItems,
  writeWandbLogFile,
} from '../../src/core/wandb/wandbLogWriter';
import type { DataValue } from '../../src/core/data/types';
import type { WandbRecordBody } from '../../src/core/wandb/wandbRecords';
import { DEFAULT_CHUNK_SIZE, WandbLogReader } from '../../src/core/wandb/wandbLogReader';
import { readWandbRunFolder } from '../../src/core/wandb/wandbRuns';
import { interopTool } from '../interop/tools';
import { median, runChild, timed } from './measure';

export const WANDB_TARGETS = { readVsFloor: 3 };
const TARGET_BYTES = 100 * 1024 * 1024;
const METRICS = 20;
const MARKER_VERSION = 2;
const RUN_ID = 'bench100';
const FOLDER = `wandb/offline-run-20250101_000000-${RUN_ID}`;

export interface WandbBenchResult {
  bytes: number;
  records: number;
  steps: number;
  points: number;
  runs: number;
  generatedSeconds: number;
  floorMs: number;
  floorSamples: number[];
  framingMs: number;
  framingSamples: number[];
  readMs: number;
  readSamples: number[];
  /** CPU time (user + system) of this process for the run-folder read: less sensitive than wall time to other load on the machine. */
  readCpuMs: number;
  floorCpuMs: number;
  ratio: number;
  /** wandb's own reader on the same log (`wandb leet inspect --summary --json`, one run), when the interop venv is there. */
  wandbSummaryMs: number | null;
  status: { read: boolean };
}

/** A reference, not the floor: wandb's Go reader summarising the same log (state, summary, config). */
async function wandbOwnReader(file: string, log: (m: string) => void): Promise<number | null> {
  let bin: string;
  try {
    bin = interopTool('wandb');
  } catch {
    log("wandb not installed (interop venv): no reference figure from wandb's own reader");
    return null;
  }
  const r = await runChild(bin, ['leet', 'inspect', '--summary', '--json', file]);
  if (r.code !== 0) throw new Error(`wandb leet inspect --summary failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
  return r.ms;
}

/** A training run as wandb logs it: per step a summary update and a history row of METRICS metrics. */
function* benchRecords(): Generator<WandbRecordBody> {
  const start = Date.UTC(2025, 0, 1);
  yield { type: 'header', producer: '0.31.0', minConsumer: '0.70.0' };
  yield runRecord({
    runId: RUN_ID,
    project: 'bench',
    displayName: 'bench run',
    tags: ['bench'],
    startTime: start,
    git: { remoteUrl: 'https://example.com/bench.git', commit: 'ab'.repeat(20) },
    config: wandbItems({ lr: 0.001, batch_size: 64, model: { layers: 12, hidden: 768, dropout: 0.1 }, optimizer: 'adamw' }),
  });
  yield configRecord({ seed: 42 });
  const names = Array.from({ length: METRICS }, (_, i) => `${i % 2 ? 'val' : 'train'}/metric_${String(i).padStart(2, '0')}`);
  let bytes = 0;
  for (let step = 0; bytes < TARGET_BYTES; step++) {
    const row: Record<string, DataValue> = { _runtime: step * 0.25, _timestamp: start / 1000 + step * 0.25 };
    names.forEach((name, i) => {
      row[name] = Math.sin(step / 100 + i) * Math.exp(-step / 50_000) + i;
    });
    // Rough size: the summary carries the same row; the writer's exact size is what the marker records.
    bytes += 2 * (METRICS * 38 + 100);
    yield summaryRecord(row);
    yield historyRecord(step, row);
  }
  yield summaryRecord({ best: 0.987 });
  yield exitRecord(0, 3600);
}

function ensureLog(benchDir: string, log: (m: string) => void): { root: string; file: string; generatedSeconds: number } {
  const root = join(benchDir, 'wandb-log');
  const file = join(root, FOLDER, `run-${RUN_ID}.wandb`);
  const marker = join(benchDir, 'wandb-log.marker.json');
  const spec = JSON.stringify({ version: MARKER_VERSION, bytes: TARGET_BYTES, metrics: METRICS });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec && existsSync(file)) return { root, file, generatedSeconds: 0 };
  log(`generating a ${(TARGET_BYTES / 2 ** 20).toFixed(0)} MB .wandb log in ${root}`);
  const started = Date.now();
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, FOLDER), { recursive: true });
  writeWandbLogFile(file, benchRecords());
  writeFileSync(marker, spec);
  return { root, file, generatedSeconds: (Date.now() - started) / 1000 };
}

/** The floor: read the file front to back in DEFAULT_CHUNK_SIZE pieces, doing nothing with the bytes. */
async function plainRead(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, total);
      if (bytesRead === 0) return total;
      total += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export async function benchWandb(benchDir: string, runs: number, log: (m: string) => void): Promise<WandbBenchResult> {
  const { root, file, generatedSeconds } = ensureLog(benchDir, log);
  const bytes = statSync(file).size;
  const floorSamples: number[] = [];
  const framingSamples: number[] = [];
  const readSamples: number[] = [];
  const readCpu: number[] = [];
  const floorCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  let records = 0;
  let steps = 0;
  let points = 0;
  await plainRead(file); // page cache warm for both sides
  for (let run = 0; run < runs; run++) {
    let cpu = process.cpuUsage();
    const floor = await timed(() => plainRead(file));
    floorCpu.push(cpuMs(cpu));
    floorSamples.push(floor.ms);
    const framing = await timed(() => new WandbLogReader(file).read(() => undefined));
    framingSamples.push(framing.ms);
    records = framing.result.records;
    cpu = process.cpuUsage();
    const read = await timed(() => readWandbRunFolder(root, FOLDER));
    readCpu.push(cpuMs(cpu));
    readSamples.push(read.ms);
    const external = read.result.runs[0];
    if (!external || read.result.problems.length > 0)
      throw new Error(`the bench log did not read cleanly: ${JSON.stringify(read.result.problems.slice(0, 3))}`);
    steps = external.series['train/metric_00']?.length ?? 0;
    points = Object.values(external.series).reduce((n, s) => n + s.length, 0);
    log(
      `wandb run ${run + 1}/${runs}: floor ${floor.ms.toFixed(0)} ms, framing+decode ${framing.ms.toFixed(0)} ms, run folder ${read.ms.toFixed(0)} ms (${records} records, ${points} points)`,
    );
  }
  const floorMs = median(floorSamples);
  const readMs = median(readSamples);
  const wandbSummaryMs = await wandbOwnReader(file, log);
  return {
    bytes,
    records,
    steps,
    points,
    runs,
    generatedSeconds,
    floorMs,
    floorSamples,
    framingMs: median(framingSamples),
    framingSamples,
    readMs,
    readSamples,
    readCpuMs: median(readCpu),
    floorCpuMs: median(floorCpu),
    ratio: readMs / floorMs,
    wandbSummaryMs,
    status: { read: readMs / floorMs <= WANDB_TARGETS.readVsFloor },
  };
}

export function formatWandbTable(r: WandbBenchResult): string {
  const mb = (r.bytes / 2 ** 20).toFixed(1);
  return [
    `W&B log: ${mb} MB, ${r.records} records, ${r.steps} steps x ${METRICS} metrics (${r.points} points); medians of ${r.runs} run(s)`,
    `  plain sequential read (floor)   ${r.floorMs.toFixed(0).padStart(7)} ms  (${(r.bytes / 2 ** 20 / (r.floorMs / 1000)).toFixed(0)} MB/s)`,
    `  framing + CRC + decode          ${r.framingMs.toFixed(0).padStart(7)} ms`,
    `  run folder -> ExternalRun       ${r.readMs.toFixed(0).padStart(7)} ms  (${(r.bytes / 2 ** 20 / (r.readMs / 1000)).toFixed(0)} MB/s; CPU ${r.readCpuMs.toFixed(0)} ms vs floor CPU ${r.floorCpuMs.toFixed(0)} ms)`,
    `  read / floor                    ${r.ratio.toFixed(2).padStart(7)}x  ${r.status.read ? 'PASS' : 'MISS'} (target <= ${WANDB_TARGETS.readVsFloor}x)`,
    ...(r.wandbSummaryMs === null ? [] : [`  reference: wandb leet inspect --summary (Go, same log)  ${r.wandbSummaryMs.toFixed(0)} ms`]),
  ].join('\n');
}
