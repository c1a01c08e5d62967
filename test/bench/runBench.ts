// `npm run bench`: indexing and query figures on synthetic repositories, next to the targets.
// A separate program, not a test: a missed target is printed (MISS), never thrown; the process
// exits non-zero only when something crashed.
//
//   BENCH_SIZES=1000,10000   main-line commit counts to run (default both)
//   BENCH_RUNS=3             repetitions; figures are medians
//   BENCH_HASH=0             skip the stage-status hashing section (10,000 files, 1 GB)
//   BENCH_DVC=0              skip the real-DVC comparison (1,000 commits; makes the interop venv)
//   BENCH_DVC_RUNS=1         repetitions of the DVC comparison (each runs dvc exp show -A twice)
//   BENCH_MLFLOW=0           skip the MLflow SQLite import section (5M metric rows, ~400 MB)
//   BENCH_WANDB=0            skip the W&B section (a 100 MB .wandb log read into a run)
//   BENCH_EXPTABLE=0         skip the Experiments table section (10,000 commits; its DVC row, dvc exp show -A, takes minutes)
//   BENCH_WARM_SAMPLES=15    process runs per warm CLI command (and as many of node -e 0)

import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { openRepo } from '../../src/core/git/repo';
import { gitEnv } from '../../src/core/git/exec';
import { LOG_FORMAT } from '../../src/core/git/history';
import { Store } from '../../src/core/store/store';
import { indexRepository, type IndexReport } from '../../src/core/indexer/indexer';
import { valuesAt } from '../../src/core/query/values';
import { diffValues } from '../../src/core/diff/diff';
import { metricHistory } from '../../src/core/query/history';
import { commitPage, firstMetricKey, summarize, workspaceSummary } from '../../src/core/query/runTree';
import { listRefRows } from '../../src/core/query/revisions';
import { ensureRepo, removeStore, type BenchRepo } from './benchRepo';
import { median, msSince, runChecked, runChild, runWithPeakRss, timed, timedSync } from './measure';
import { benchHashing, formatHashTable, HASH_TARGETS, type HashBenchResult } from './hashBench';
import { benchDvcCompare, formatDvcCompareTable, prepareVenv, type DvcCompareResult } from './dvcCompareBench';
import { benchMlflow, formatMlflowTable, MLFLOW_TARGETS, type MlflowBenchResult } from './mlflowBench';
import { benchWandb, formatWandbTable, WANDB_TARGETS, type WandbBenchResult } from './wandbBench';
import { benchExpTable, formatExpTableTable, type ExpTableBenchResult } from './expTableBench';
import { benchWarmCli, WARM_COMMANDS, WARM_TARGET_RATIO, type WarmResult } from './warmCli';

const ROOT = resolve(__dirname, '..', '..', '..');
const BENCH_DIR = join(ROOT, '.bench');
const CLI = join(ROOT, 'dist', 'cli.js');

const TARGETS = { coldVsFloor: 2, incrementalMs: 150, diffMs: 5, peakRssMb: 300 };
const DIFF_ITERATIONS = 200;
const DIFF_WARMUP = 20;
const HISTORY_ITERATIONS = 20;
const HISTORY_WARMUP = 2;
const HISTORY_KEY = 'accuracy';

/** The commit the incremental runs index: fixed contents, author and dates, so every run makes the same sha. */
const NEW_PARAMS = 'train:\n  lr: 0.0042\n  epochs: 77\n  batch_size: 64\nmodel:\n  layers: 5\n';
const NEW_METRICS = '{"accuracy": 0.9321, "loss": 0.0876, "auc": 0.9821}\n';
const COMMIT_ENV = {
  GIT_AUTHOR_NAME: 'Bench Bot',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_AUTHOR_DATE: '2030-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Bench Bot',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_DATE: '2030-01-01T00:00:00Z',
};

interface SizeResult {
  commits: number;
  repo: {
    dir: string;
    totalCommits: number;
    mainCommits: number;
    branches: number;
    expRefs: number;
    tags: number;
    generatedSeconds: number;
  };
  runs: number;
  cold: {
    ms: number;
    samples: number[];
    report: Pick<IndexReport, 'commitsWalked' | 'commitsIndexed' | 'blobsParsed' | 'workspaceFiles' | 'timings'>;
    storeBytes: number;
  };
  cli: { ms: number; samples: number[]; peakRssMb: number; peakRssSamples: number[]; method: string; reportTotalMs: number };
  floor: {
    ms: number;
    walkMs: number;
    blobsMs: number;
    blobCount: number;
    walkBytes: number;
    blobBytes: number;
    walkSamples: number[];
    blobSamples: number[];
  };
  ratio: number;
  incremental: { ms: number; samples: number[]; openRepoMs: number; commitsIndexed: number; timings: IndexReport['timings'] };
  noop: { ms: number; samples: number[]; commitsIndexed: number; timings: IndexReport['timings'] };
  diff: {
    metricsMs: number;
    paramsMs: number;
    metricsP95Ms: number;
    paramsP95Ms: number;
    iterations: number;
    branch: string;
    metricsKeysChanged: number;
    paramsKeysChanged: number;
  };
  history: { ms: number; samples: number[]; chainLength: number; pointsWithValue: number; key: string };
  /** What the Runs view computes for its first page: headline key, every branch's summary, 50 commits of main. */
  runsFirstPage: { ms: number; branches: number; commits: number };
  /** CLI commands on a current index, each against `node -e 0` run alternately. */
  warm: WarmResult;
  status: { cold: boolean; incremental: boolean; diffMetrics: boolean; diffParams: boolean; peakRss: boolean; warm: boolean[] };
}

function envNumbers(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`${name}=${raw}: expected positive integers, comma-separated`);
  return list;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function fileSize(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(file + suffix).size;
    } catch {
      // absent
    }
  }
  return total;
}

async function coldIndexInProcess(dir: string, file: string): Promise<{ ms: number; report: IndexReport }> {
  removeStore(file);
  const start = process.hrtime.bigint();
  const store = Store.open(file);
  try {
    const report = await indexRepository(await openRepo(dir), store);
    return { ms: msSince(start), report };
  } finally {
    store.close();
  }
}

async function gitWalk(dir: string): Promise<{ ms: number; bytes: number }> {
  // The flags of walkCommits (src/core/git/history.ts), over every ref instead of tips on stdin.
  const args = [
    'log',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-renames',
    '--root',
    '--diff-merges=first-parent',
    '--topo-order',
    '--reverse',
    `--format=${LOG_FORMAT}`,
    '--all',
  ];
  const r = await runChild('git', args, { cwd: dir, env: gitEnv() });
  if (r.code !== 0) throw new Error(`git log failed (exit ${r.code}): ${r.stderr.trim()}`);
  return { ms: r.ms, bytes: r.stdoutBytes };
}

function blobOids(file: string): string[] {
  const store = Store.open(file, { readonly: true });
  try {
    return (store.sql(`SELECT DISTINCT oid FROM blob WHERE oid NOT LIKE 'md5:%'`).all() as { oid: string }[]).map((r) => r.oid);
  } finally {
    store.close();
  }
}

async function gitReadBlobs(dir: string, oids: string[]): Promise<{ ms: number; bytes: number }> {
  const r = await runChild('git', ['cat-file', '--batch'], { cwd: dir, env: gitEnv(), input: oids.join('\n') + '\n' });
  if (r.code !== 0) throw new Error(`git cat-file --batch failed (exit ${r.code}): ${r.stderr.trim()}`);
  return { ms: r.ms, bytes: r.stdoutBytes };
}

/** One commit on main changing params.yaml and metrics.json, made like a user would (worktree + index). */
async function commitOnMain(dir: string): Promise<string> {
  writeFileSync(join(dir, 'params.yaml'), NEW_PARAMS);
  writeFileSync(join(dir, 'metrics.json'), NEW_METRICS);
  const env = { ...process.env, ...COMMIT_ENV };
  await runChecked('git', ['add', '--', 'params.yaml', 'metrics.json'], { cwd: dir, env });
  await runChecked('git', ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', 'Bench: one new run'], {
    cwd: dir,
    env,
  });
  return (await runChecked('git', ['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

async function resetMain(dir: string, head: string): Promise<void> {
  await runChecked('git', ['checkout', '--quiet', '-f', 'main'], { cwd: dir });
  await runChecked('git', ['reset', '--quiet', '--hard', head], { cwd: dir });
}

function copyStore(from: string, to: string): void {
  removeStore(to);
  copyFileSync(from, to);
  if (existsSync(from + '-wal')) copyFileSync(from + '-wal', to + '-wal');
}

function countKeys(diff: Record<string, Record<string, unknown>>): number {
  return Object.values(diff).reduce((n, file) => n + Object.keys(file).length, 0);
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

async function benchSize(commits: number, runs: number): Promise<SizeResult> {
  log(`${commits} commits: preparing repository`);
  const bench: BenchRepo = await ensureRepo(BENCH_DIR, commits);
  const { dir, info } = bench;
  log(
    bench.generatedSeconds > 0
      ? `generated ${info.commitCount} commits in ${bench.generatedSeconds.toFixed(1)} s`
      : `reusing ${dir} (${info.commitCount} commits)`,
  );
  const storeDir = join(BENCH_DIR, `store-${commits}`);
  mkdirSync(storeDir, { recursive: true });
  const coldFile = join(storeDir, 'cold.sqlite');
  const cliFile = join(storeDir, 'cli.sqlite');
  const scratchFile = join(storeDir, 'incremental.sqlite');

  // Cold index in this process, the CLI's cold index under /usr/bin/time, and the Git floor.
  const coldSamples: number[] = [];
  const coldReports: IndexReport[] = [];
  const cliSamples: number[] = [];
  const rssSamples: number[] = [];
  const cliTotals: number[] = [];
  let rssMethod = '';
  const walkSamples: number[] = [];
  const blobSamples: number[] = [];
  let walkBytes = 0;
  let blobBytes = 0;
  let oids: string[] = [];
  for (let run = 0; run < runs; run++) {
    const cold = await coldIndexInProcess(dir, coldFile);
    coldSamples.push(cold.ms);
    coldReports.push(cold.report);
    log(
      `cold index run ${run + 1}/${runs}: ${cold.ms.toFixed(0)} ms (${cold.report.commitsIndexed} commits, ${cold.report.blobsParsed} blobs parsed; refs ${cold.report.timings.refsMs}, history ${cold.report.timings.historyMs}, commits ${cold.report.timings.commitsMs}, workspace ${cold.report.timings.workspaceMs} ms)`,
    );

    oids = blobOids(coldFile);
    const walk = await gitWalk(dir);
    const blobs = await gitReadBlobs(dir, oids);
    walkSamples.push(walk.ms);
    blobSamples.push(blobs.ms);
    walkBytes = walk.bytes;
    blobBytes = blobs.bytes;
    log(
      `git floor run ${run + 1}/${runs}: walk ${walk.ms.toFixed(0)} ms (${(walk.bytes / 1e6).toFixed(1)} MB), cat-file ${oids.length} blobs ${blobs.ms.toFixed(0)} ms`,
    );

    removeStore(cliFile);
    const cli = await runWithPeakRss(process.execPath, [CLI, '--repo', dir, '--store', cliFile, 'index', '--json'], { cwd: ROOT });
    if (cli.code !== 0) throw new Error(`CLI index exited ${cli.code}: ${cli.stderr.trim().split('\n').slice(-5).join(' | ')}`);
    rssMethod = cli.method;
    cliSamples.push(cli.ms);
    rssSamples.push(cli.peakRssMb);
    try {
      cliTotals.push((JSON.parse(cli.stdout) as IndexReport).timings.totalMs);
    } catch {
      cliTotals.push(NaN);
    }
    log(`CLI cold index run ${run + 1}/${runs}: ${cli.ms.toFixed(0)} ms wall, peak RSS ${cli.peakRssMb.toFixed(1)} MB`);
  }
  removeStore(cliFile);
  const coldMs = median(coldSamples);
  const medianReport = coldReports[coldSamples.indexOf([...coldSamples].sort((a, b) => a - b)[(coldSamples.length - 1) >> 1])];
  const walkMs = median(walkSamples);
  const blobsMs = median(blobSamples);
  const floorMs = walkMs + blobsMs;

  // Queries on the cold-built store.
  const mainHead = info.mainHead;
  const branchRef = info.refs.find((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main') ?? 'refs/heads/main';
  const branchSha = (await runChecked('git', ['rev-parse', branchRef], { cwd: dir })).trim();
  const store = Store.open(coldFile);
  let diffResult: SizeResult['diff'];
  let historyResult: SizeResult['history'];
  let runsResult: SizeResult['runsFirstPage'];
  try {
    const diffOnce = (kind: 'metrics' | 'params') =>
      diffValues(valuesAt(store, mainHead, kind).values, valuesAt(store, branchSha, kind).values);
    const diffTimes = (kind: 'metrics' | 'params'): number[] => {
      for (let i = 0; i < DIFF_WARMUP; i++) diffOnce(kind);
      const times: number[] = [];
      for (let i = 0; i < DIFF_ITERATIONS; i++) times.push(timedSync(() => diffOnce(kind)).ms);
      return times;
    };
    const metricsTimes = diffTimes('metrics');
    const paramsTimes = diffTimes('params');
    diffResult = {
      metricsMs: median(metricsTimes),
      paramsMs: median(paramsTimes),
      metricsP95Ms: p95(metricsTimes),
      paramsP95Ms: p95(paramsTimes),
      iterations: DIFF_ITERATIONS,
      branch: branchRef.slice('refs/heads/'.length),
      metricsKeysChanged: countKeys(diffOnce('metrics')),
      paramsKeysChanged: countKeys(diffOnce('params')),
    };
    log(
      `diff main vs ${diffResult.branch}: metrics ${diffResult.metricsMs.toFixed(3)} ms (${diffResult.metricsKeysChanged} keys), params ${diffResult.paramsMs.toFixed(3)} ms (${diffResult.paramsKeysChanged} keys)`,
    );

    for (let i = 0; i < HISTORY_WARMUP; i++) metricHistory(store, mainHead, HISTORY_KEY);
    const historySamples: number[] = [];
    let points = metricHistory(store, mainHead, HISTORY_KEY);
    for (let i = 0; i < HISTORY_ITERATIONS; i++) {
      const t = timedSync(() => metricHistory(store, mainHead, HISTORY_KEY));
      historySamples.push(t.ms);
      points = t.result;
    }
    historyResult = {
      ms: median(historySamples),
      samples: historySamples,
      chainLength: points.length,
      pointsWithValue: points.filter((p) => p.values.length > 0).length,
      key: HISTORY_KEY,
    };
    log(
      `history of ${HISTORY_KEY} along main: ${historyResult.ms.toFixed(2)} ms, ${historyResult.chainLength} commits (${historyResult.pointsWithValue} with a value)`,
    );

    // The Runs view's first page, from a store just opened (cold statement cache), as the extension does it.
    const firstPage = () => {
      const fresh = Store.open(coldFile);
      try {
        const key = firstMetricKey(fresh, mainHead);
        const branches = listRefRows(fresh, 'branch');
        for (const b of branches) summarize(fresh, b.sha, key, mainHead);
        workspaceSummary(fresh, key);
        const page = commitPage(fresh, mainHead, key, 0, 50);
        return { branches: branches.length, commits: page.commits.length };
      } finally {
        fresh.close();
      }
    };
    const pageSamples: number[] = [];
    let pageShape = firstPage();
    for (let i = 0; i < 5; i++) {
      const t = timedSync(firstPage);
      pageSamples.push(t.ms);
      pageShape = t.result;
    }
    runsResult = { ms: median(pageSamples), ...pageShape };
    log(
      `Runs view first page: ${runsResult.ms.toFixed(1)} ms (${runsResult.branches} branch summaries, ${runsResult.commits} commits of main)`,
    );
  } finally {
    store.close();
  }

  // Incremental: the cold-built store, one new commit on main, then nothing new; main is reset after each run.
  const incSamples: number[] = [];
  const noopSamples: number[] = [];
  const openSamples: number[] = [];
  let incReport: IndexReport | undefined;
  let noopReport: IndexReport | undefined;
  for (let run = 0; run < runs; run++) {
    copyStore(coldFile, scratchFile);
    const scratch = Store.open(scratchFile);
    try {
      await commitOnMain(dir);
      const opened = await timed(() => openRepo(dir));
      openSamples.push(opened.ms);
      const inc = await timed(() => indexRepository(opened.result, scratch));
      incSamples.push(inc.ms);
      incReport = inc.result;
      const noop = await timed(() => indexRepository(opened.result, scratch));
      noopSamples.push(noop.ms);
      noopReport = noop.result;
      log(
        `incremental run ${run + 1}/${runs}: ${inc.ms.toFixed(1)} ms (${inc.result.commitsIndexed} commit indexed), no-op ${noop.ms.toFixed(1)} ms (${noop.result.commitsIndexed} indexed)`,
      );
      if (inc.result.commitsIndexed !== 1) log(`WARNING: the incremental run indexed ${inc.result.commitsIndexed} commits, expected 1`);
      if (noop.result.commitsIndexed !== 0) log(`WARNING: the no-op run indexed ${noop.result.commitsIndexed} commits, expected 0`);
    } finally {
      scratch.close();
      await resetMain(dir, mainHead);
    }
  }
  removeStore(scratchFile);

  // Warm commands: main is back at its head and nothing changes while they run.
  const warmFile = join(storeDir, 'warm.sqlite');
  removeStore(warmFile);
  const warm = await benchWarmCli(CLI, dir, warmFile, envNumbers('BENCH_WARM_SAMPLES', [15])[0], log);
  removeStore(warmFile);

  const incMs = median(incSamples);
  const ratio = coldMs / floorMs;
  const peakRssMb = median(rssSamples);
  return {
    commits,
    repo: {
      dir,
      totalCommits: info.commitCount,
      mainCommits: info.mainCommits,
      branches: info.branchCount,
      expRefs: info.expRefCount,
      tags: info.tagCount,
      generatedSeconds: bench.generatedSeconds,
    },
    runs,
    cold: {
      ms: coldMs,
      samples: coldSamples,
      storeBytes: fileSize(coldFile),
      report: {
        commitsWalked: medianReport.commitsWalked,
        commitsIndexed: medianReport.commitsIndexed,
        blobsParsed: medianReport.blobsParsed,
        workspaceFiles: medianReport.workspaceFiles,
        timings: medianReport.timings,
      },
    },
    cli: {
      ms: median(cliSamples),
      samples: cliSamples,
      peakRssMb,
      peakRssSamples: rssSamples,
      method: rssMethod,
      reportTotalMs: median(cliTotals),
    },
    floor: { ms: floorMs, walkMs, blobsMs, blobCount: oids.length, walkBytes, blobBytes, walkSamples, blobSamples },
    ratio,
    incremental: {
      ms: incMs,
      samples: incSamples,
      openRepoMs: median(openSamples),
      commitsIndexed: incReport?.commitsIndexed ?? -1,
      timings: incReport!.timings,
    },
    noop: { ms: median(noopSamples), samples: noopSamples, commitsIndexed: noopReport?.commitsIndexed ?? -1, timings: noopReport!.timings },
    diff: diffResult,
    history: historyResult,
    runsFirstPage: runsResult!,
    warm,
    status: {
      cold: ratio <= TARGETS.coldVsFloor,
      incremental: incMs <= TARGETS.incrementalMs,
      diffMetrics: diffResult.metricsMs <= TARGETS.diffMs,
      diffParams: diffResult.paramsMs <= TARGETS.diffMs,
      peakRss: peakRssMb <= TARGETS.peakRssMb,
      warm: warm.rows.map((w) => w.ratio <= WARM_TARGET_RATIO),
    },
  };
}

const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

const phases = (t: IndexReport['timings']) => `${t.refsMs}/${t.historyMs}/${t.commitsMs}/${t.workspaceMs}`;

function printTable(results: SizeResult[], runs: number): string {
  const header = ['measure', ...results.map((r) => `${r.commits} commits (${r.repo.totalCommits} total)`), 'target'];
  const rows: string[][] = [
    ['cold index, in process (ms)', ...results.map((r) => `${ms(r.cold.ms)}`), ''],
    ['  phases refs/history/commits/workspace', ...results.map((r) => phases(r.cold.report.timings)), ''],
    ['  commits indexed / blobs parsed', ...results.map((r) => `${r.cold.report.commitsIndexed} / ${r.cold.report.blobsParsed}`), ''],
    ['git floor (ms) = walk + blobs', ...results.map((r) => `${ms(r.floor.ms)} = ${ms(r.floor.walkMs)} + ${ms(r.floor.blobsMs)}`), ''],
    ['  blobs read by cat-file --batch', ...results.map((r) => `${r.floor.blobCount}`), ''],
    ['cold / floor', ...results.map((r) => `${r.ratio.toFixed(2)}x ${mark(r.status.cold)}`), `<= ${TARGETS.coldVsFloor}x`],
    [
      'incremental, 1 new commit (ms)',
      ...results.map((r) => `${ms(r.incremental.ms)} ${mark(r.status.incremental)}`),
      `<= ${TARGETS.incrementalMs} ms`,
    ],
    ['  phases refs/history/commits/workspace', ...results.map((r) => phases(r.incremental.timings)), ''],
    ['no-op incremental (ms)', ...results.map((r) => `${ms(r.noop.ms)}`), ''],
    ['  phases refs/history/commits/workspace', ...results.map((r) => phases(r.noop.timings)), ''],
    [
      'metrics diff main vs branch (ms)',
      ...results.map((r) => `${ms(r.diff.metricsMs)} ${mark(r.status.diffMetrics)}`),
      `<= ${TARGETS.diffMs} ms`,
    ],
    [
      'params diff main vs branch (ms)',
      ...results.map((r) => `${ms(r.diff.paramsMs)} ${mark(r.status.diffParams)}`),
      `<= ${TARGETS.diffMs} ms`,
    ],
    ['metric history along main (ms)', ...results.map((r) => `${ms(r.history.ms)} (${r.history.chainLength} commits)`), ''],
    [
      'Runs view first page (ms)',
      ...results.map((r) => `${ms(r.runsFirstPage.ms)} (${r.runsFirstPage.branches} branches, ${r.runsFirstPage.commits} commits)`),
      '<= 1000 ms',
    ],
    ['node -e 0, wall (ms)', ...results.map((r) => `${ms(r.warm.nodeMs)}`), ''],
    ...WARM_COMMANDS.map((args, i) => [
      `warm CLI ${args.join(' ')} (ms) / node -e 0`,
      ...results.map((r) => `${ms(r.warm.rows[i].ms)} = ${r.warm.rows[i].ratio.toFixed(2)}x ${mark(r.status.warm[i])}`),
      `<= ${WARM_TARGET_RATIO}x`,
    ]),
    ['CLI cold index, wall (ms)', ...results.map((r) => `${ms(r.cli.ms)}`), ''],
    ['CLI peak RSS (MB)', ...results.map((r) => `${r.cli.peakRssMb.toFixed(1)} ${mark(r.status.peakRss)}`), `<= ${TARGETS.peakRssMb} MB`],
    ['store size (MB)', ...results.map((r) => `${(r.cold.storeBytes / 1e6).toFixed(1)}`), ''],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  return [
    `ML Lineage benchmark: medians of ${runs} run${runs === 1 ? '' : 's'} (diff: ${DIFF_ITERATIONS} iterations, history: ${HISTORY_ITERATIONS}); ${cpus().length} CPUs, Node ${process.versions.node}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const sizes = envNumbers('BENCH_SIZES', [1000, 10000]);
  const [runs] = envNumbers('BENCH_RUNS', [3]);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  mkdirSync(BENCH_DIR, { recursive: true });
  const gitVersion = (await runChecked('git', ['--version'])).trim();
  log(`sizes ${sizes.join(', ')}; ${runs} run(s) each; ${gitVersion}`);
  const results: SizeResult[] = [];
  const failures: { commits: number; error: string }[] = [];
  for (const commits of sizes) {
    try {
      results.push(await benchSize(commits, runs));
    } catch (error) {
      const text = (error as Error).stack ?? String(error);
      failures.push({ commits, error: text });
      log(`${commits} commits: CRASHED\n${text}`);
    }
  }
  let hashing: HashBenchResult | undefined;
  let hashingError: string | undefined;
  if (process.env.BENCH_HASH !== '0') {
    try {
      hashing = await benchHashing(BENCH_DIR, runs, log);
    } catch (error) {
      hashingError = (error as Error).stack ?? String(error);
      log(`status hashing: CRASHED\n${hashingError}`);
    }
  }
  let dvcCompare: DvcCompareResult | undefined;
  let dvcCompareError: string | undefined;
  if (process.env.BENCH_DVC !== '0') {
    const unusable = prepareVenv(log);
    if (unusable) dvcCompareError = `DVC comparison skipped: ${unusable}`;
    else {
      try {
        dvcCompare = await benchDvcCompare(BENCH_DIR, 1000, envNumbers('BENCH_DVC_RUNS', [1])[0], log);
      } catch (error) {
        dvcCompareError = `DVC comparison crashed: ${(error as Error).stack ?? String(error)}`;
      }
    }
    if (dvcCompareError) log(dvcCompareError);
  }
  let mlflow: MlflowBenchResult | undefined;
  let mlflowError: string | undefined;
  if (process.env.BENCH_MLFLOW !== '0') {
    try {
      mlflow = await benchMlflow(BENCH_DIR, runs, log);
    } catch (error) {
      mlflowError = (error as Error).stack ?? String(error);
      log(`MLflow import: CRASHED\n${mlflowError}`);
    }
  }
  let wandb: WandbBenchResult | undefined;
  let wandbError: string | undefined;
  if (process.env.BENCH_WANDB !== '0') {
    try {
      wandb = await benchWandb(BENCH_DIR, runs, log);
    } catch (error) {
      wandbError = (error as Error).stack ?? String(error);
      log(`W&B log: CRASHED\n${wandbError}`);
    }
  }
  let expTable: ExpTableBenchResult | undefined;
  let expTableError: string | undefined;
  if (process.env.BENCH_EXPTABLE !== '0') {
    try {
      expTable = await benchExpTable(BENCH_DIR, log, { dvc: process.env.BENCH_DVC !== '0' });
      writeFileSync(join(BENCH_DIR, 'exptable.json'), JSON.stringify(expTable, null, 2) + '\n');
    } catch (error) {
      expTableError = (error as Error).stack ?? String(error);
      log(`Experiments table: CRASHED\n${expTableError}`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  if (results.length > 0) process.stdout.write(printTable(results, runs) + '\n');
  for (const f of failures) process.stdout.write(`\n${f.commits} commits: crashed: ${f.error.split('\n')[0]}\n`);
  if (hashing) process.stdout.write('\n' + formatHashTable(hashing) + '\n');
  if (hashingError) process.stdout.write(`\nstatus hashing: crashed: ${hashingError.split('\n')[0]}\n`);
  if (dvcCompare) process.stdout.write('\n' + formatDvcCompareTable(dvcCompare) + '\n');
  if (dvcCompareError) process.stdout.write(`\n${dvcCompareError.split('\n')[0]}\n`);
  if (mlflow) process.stdout.write('\n' + formatMlflowTable(mlflow) + '\n');
  if (mlflowError) process.stdout.write(`\nMLflow import: crashed: ${mlflowError.split('\n')[0]}\n`);
  if (wandb) process.stdout.write('\n' + formatWandbTable(wandb) + '\n');
  if (wandbError) process.stdout.write(`\nW&B log: crashed: ${wandbError.split('\n')[0]}\n`);
  if (expTable) process.stdout.write('\n' + formatExpTableTable(expTable) + '\n');
  if (expTableError) process.stdout.write(`\nExperiments table: crashed: ${expTableError.split('\n')[0]}\n`);
  process.stdout.write(`\nBench took ${seconds.toFixed(0)} s (excluding build). Figures: ${join(BENCH_DIR, 'results.json')}\n`);
  writeFileSync(
    join(BENCH_DIR, 'results.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.versions.node,
        git: gitVersion,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryMb: Math.round(totalmem() / 2 ** 20),
        runs,
        targets: { ...TARGETS, warmVsNode: WARM_TARGET_RATIO, hashing: HASH_TARGETS, mlflow: MLFLOW_TARGETS, wandb: WANDB_TARGETS },
        seconds,
        results,
        failures,
        hashing,
        hashingError,
        dvcCompare,
        dvcCompareError,
        mlflow,
        mlflowError,
        wandb,
        wandbError,
      },
      null,
      2,
    ) + '\n',
  );
  return failures.length > 0 || hashingError || mlflowError || wandbError || dvcCompareError?.startsWith('DVC comparison crashed') ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bench crashed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  },
);
