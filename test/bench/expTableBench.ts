// The Experiments table on the 10,000-commit synthetic repository (500 experiment refs) with
// MLflow runs in its index: the model's first window, a sort by a metric over every row, a
// filter, and `lineage exps show --all-commits --csv` beside `dvc exp show --csv -A` on the
// same repository. Nothing is asserted: figures are printed next to their targets.
//
// The runs are written into this section's own index as a runs sync writes them
// (runs/runStore replaceSource), linked to commits of main: the repository stays the one the
// other sections use, so their figures do not move. The model is timed in this process on an
// open index (the editor keeps it open), each sample a new model: rows, columns, the sort or
// filter column, then the first 100 rows' cells. The CLI and DVC are child processes timed
// spawn to exit; DVC cold (no .dvc/tmp, no site cache) and warm (its experiment cache
// filled by the cold run).
//
//   node out/test/bench/expTableBench.js   runs this section alone (BENCH_DVC=0: without DVC)

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openRepo } from '../../src/core/git/repo';
import { Store } from '../../src/core/store/store';
import { indexRepository } from '../../src/core/indexer/indexer';
import { replaceSource } from '../../src/core/runs/runStore';
import type { ExternalRun } from '../../src/core/runs/types';
import { openTableModel } from '../../src/core/expTable/model';
import type { TableQuery } from '../../src/core/expTable/types';
import { Rng } from '../../src/demo/demoUtil';
import { interopEnv, interopVenv } from '../interop/tools';
import { ensureRepo, removeStore } from './benchRepo';
import { median, runChecked, runWithPeakRss, timedSync } from './measure';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

export const EXPTABLE_TARGETS = { firstWindowMs: 50, sortMs: 150, filterMs: 150, cliVsDvc: 30 };
const COMMITS = 10000;
const RUNS = 2000;
const WINDOW = 100;
const SAMPLES = 7;
const METRIC = 'metrics:metrics.json:accuracy';

export interface ExpTableBenchResult {
  commits: number;
  totalCommits: number;
  expRefs: number;
  runs: number;
  rows: { branch: number; all: number };
  columns: number;
  firstWindowMs: number;
  firstWindowAllMs: number;
  sortMs: number;
  filterMs: number;
  filterRows: number;
  /** The first open of each query in the process: its row and column lists read from the index. */
  firstOpenMs: number;
  firstOpenAllMs: number;
  samples: Record<string, number[]>;
  cli: {
    oursMs: number;
    oursSamples: number[];
    oursRows: number;
    dvcColdMs?: number;
    dvcWarmMs?: number;
    dvcRows?: number;
    dvcVersion?: string;
    same?: boolean;
    note?: string;
  };
}

/** MLflow runs as a reader returns them: most made from a commit of main, some from nowhere the index knows. */
function syntheticRuns(mainShas: string[], count: number): ExternalRun[] {
  const rng = new Rng(11);
  return Array.from({ length: count }, (_, i) => {
    const commit = rng.chance(0.9) ? mainShas[rng.int(0, mainShas.length - 1)] : rng.chance(0.5) ? null : rng.hex(40);
    const params: Record<string, string> = {};
    for (let p = 0; p < 12; p++) params[`param_${p}`] = String(rng.int(1, 500) / 100);
    params.optimizer = rng.pick(['adam', 'sgd', 'rmsprop']);
    const metrics: Record<string, number> = {};
    for (let m = 0; m < 24; m++) metrics[`metric_${m}`] = rng.int(0, 10000) / 10000;
    metrics.accuracy = rng.int(5000, 9999) / 10000;
    return {
      source: 'mlflow',
      location: 'mlflow.db',
      id: `run${String(i).padStart(6, '0')}`,
      experimentId: String(1 + (i % 5)),
      experiment: `experiment-${i % 5}`,
      name: `run-${i}`,
      status: rng.chance(0.05) ? 'failed' : 'finished',
      startTime: 1_700_000_000_000 + i * 60_000,
      endTime: null,
      user: 'bench',
      git: { commit, branch: null, remote: null },
      params,
      metrics,
      series: {},
      tags: {},
      environment: null,
      models: [],
      artifacts: [],
      parentId: null,
      labels: [],
    } satisfies ExternalRun;
  });
}

export async function benchExpTable(
  benchDir: string,
  log: (m: string) => void,
  options: { dvc?: boolean; cliRuns?: number } = {},
): Promise<ExpTableBenchResult> {
  const { dir, info } = await ensureRepo(benchDir, COMMITS);
  const storeDir = join(benchDir, `store-${COMMITS}`);
  mkdirSync(storeDir, { recursive: true });
  const file = join(storeDir, 'exptable.sqlite');
  removeStore(file);
  const repo = await openRepo(dir);
  const store = Store.open(file);
  const samples: Record<string, number[]> = {};
  let result: Omit<ExpTableBenchResult, 'cli'>;
  try {
    const t = Date.now();
    await indexRepository(repo, store);
    const mainShas = (
      store
        .sql(
          `WITH RECURSIVE c(sha) AS (SELECT ? UNION ALL SELECT r.first_parent FROM c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL) SELECT sha FROM c`,
        )
        .all(info.mainHead) as { sha: string }[]
    ).map((r) => r.sha);
    replaceSource(store, { kind: 'mlflow', format: 'mlflow-sqlite', location: 'mlflow.db' }, 'bench', syntheticRuns(mainShas, RUNS), [], 0);
    log(`exp table: indexed ${info.commitCount} commits and ${RUNS} MLflow runs in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const head = { sha: repo.head, branch: repo.branch };
    const time = (name: string, query: TableQuery) => {
      // The first open of a query reads its row and column lists from the index; the model
      // keeps them while the index does not change, so the samples after it are the re-opens
      // the editor does for a new sort, filter or page.
      const cold = timedSync(() => openTableModel(store, head, query).window(0, WINDOW)).ms;
      const list: number[] = [];
      let shape = { rows: 0, columns: 0 };
      for (let i = 0; i < SAMPLES; i++) {
        const r = timedSync(() => {
          const model = openTableModel(store, head, query);
          const rows = model.window(0, WINDOW);
          if (rows.length === 0 && model.rowCount > 0) throw new Error('an empty window');
          return { rows: model.rowCount, columns: model.columns.length };
        });
        list.push(r.ms);
        shape = r.result;
      }
      samples[name] = list;
      log(
        `exp table ${name}: ${median(list).toFixed(1)} ms (first open ${cold.toFixed(1)} ms; ${shape.rows} rows, ${shape.columns} columns)`,
      );
      return { ms: median(list), cold, ...shape };
    };
    const first = time('first window (checked-out branch, 100 commits, tags, baselines, runs)', {});
    const firstAll = time('first window (every commit, experiments, runs)', { allCommits: true });
    const sort = time('sort by accuracy over every row', { allCommits: true, sort: [{ column: METRIC, order: 'desc' }] });
    const filter = time('filter accuracy >= 0.9 over every row', {
      allCommits: true,
      filters: [{ column: METRIC, op: '>=', value: '0.9' }],
    });
    result = {
      commits: COMMITS,
      totalCommits: info.commitCount,
      expRefs: info.expRefCount,
      runs: RUNS,
      rows: { branch: first.rows, all: firstAll.rows },
      columns: firstAll.columns,
      firstWindowMs: first.ms,
      firstWindowAllMs: firstAll.ms,
      firstOpenMs: first.cold,
      firstOpenAllMs: firstAll.cold,
      sortMs: sort.ms,
      filterMs: filter.ms,
      filterRows: filter.rows,
      samples,
    };
  } finally {
    store.close();
  }
  return { ...result, cli: await benchCli(benchDir, dir, log, options) };
}

async function benchCli(
  benchDir: string,
  dir: string,
  log: (m: string) => void,
  options: { dvc?: boolean; cliRuns?: number },
): Promise<ExpTableBenchResult['cli']> {
  // The CLI's own index (the runs section's index is not where the CLI looks), built first: the figure is the table, not indexing.
  const store = join(benchDir, `store-${COMMITS}`, 'exptable-cli.sqlite');
  removeStore(store);
  const args = [CLI, '--repo', dir, '--store', store];
  await runChecked(process.execPath, [...args, 'index'], { cwd: ROOT });
  const oursSamples: number[] = [];
  let ours = '';
  for (let i = 0; i < (options.cliRuns ?? 3); i++) {
    const r = await runWithPeakRss(process.execPath, [...args, 'exps', 'show', '--all-commits', '--csv'], { cwd: ROOT });
    if (r.code !== 0) throw new Error(`lineage exps show exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    oursSamples.push(r.ms);
    ours = r.stdout;
    log(`lineage exps show --all-commits --csv: ${r.ms.toFixed(0)} ms, ${r.peakRssMb.toFixed(0)} MB peak`);
  }
  const cli: ExpTableBenchResult['cli'] = { oursMs: median(oursSamples), oursSamples, oursRows: ours.split('\r\n').length - 2 };
  const dvc = join(interopVenv(), 'bin', 'dvc');
  if (options.dvc === false) return { ...cli, note: 'dvc skipped (BENCH_DVC=0)' };
  if (!existsSync(dvc)) {
    log(`exp table: no dvc at ${dvc}; the DVC row is skipped (scripts/interopVenv.sh makes the venv)`);
    return { ...cli, note: 'dvc skipped: the interop venv is missing' };
  }
  const siteCache = join(benchDir, `dvc-site-cache-exptable-${COMMITS}`);
  const env = interopEnv({ DVC_SITE_CACHE_DIR: siteCache });
  const cold = () => {
    rmSync(join(dir, '.dvc', 'tmp'), { recursive: true, force: true });
    rmSync(siteCache, { recursive: true, force: true });
  };
  cold();
  const dvcVersion = (await runChecked(dvc, ['--version'], { cwd: dir, env })).trim();
  log(`dvc exp show --csv -A (cold, ${dvcVersion}): this takes minutes on ${COMMITS} commits`);
  const first = await runWithPeakRss(dvc, ['exp', 'show', '--csv', '-A'], { cwd: dir, env });
  if (first.code !== 0) throw new Error(`dvc exp show exited ${first.code}: ${first.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  log(`dvc exp show --csv -A cold: ${(first.ms / 1000).toFixed(1)} s`);
  const warm = await runWithPeakRss(dvc, ['exp', 'show', '--csv', '-A'], { cwd: dir, env });
  log(`dvc exp show --csv -A warm: ${(warm.ms / 1000).toFixed(1)} s`);
  cold();
  return {
    ...cli,
    dvcColdMs: first.ms,
    dvcWarmMs: warm.ms,
    dvcRows: warm.stdout.split('\r\n').length - 2,
    dvcVersion,
    same: warm.stdout === ours,
  };
}

export function formatExpTableTable(r: ExpTableBenchResult): string {
  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ratio = (x?: number) => (x === undefined ? '—' : `${(x / r.cli.oursMs).toFixed(1)}x`);
  const rows: string[][] = [
    [
      `first window, checked-out branch (${r.rows.branch} rows) (ms)`,
      `${ms(r.firstWindowMs)} ${mark(r.firstWindowMs <= EXPTABLE_TARGETS.firstWindowMs)}`,
      `<= ${EXPTABLE_TARGETS.firstWindowMs} ms`,
    ],
    [
      `first window, every commit (${r.rows.all} rows) (ms)`,
      `${ms(r.firstWindowAllMs)} ${mark(r.firstWindowAllMs <= EXPTABLE_TARGETS.firstWindowMs)}`,
      `<= ${EXPTABLE_TARGETS.firstWindowMs} ms`,
    ],
    ['  the first open of each, lists read from the index (ms)', `${ms(r.firstOpenMs)} / ${ms(r.firstOpenAllMs)}`, ''],
    [
      'sort by a metric over every row (ms)',
      `${ms(r.sortMs)} ${mark(r.sortMs <= EXPTABLE_TARGETS.sortMs)}`,
      `<= ${EXPTABLE_TARGETS.sortMs} ms`,
    ],
    [
      `filter accuracy >= 0.9 (${r.filterRows} rows) (ms)`,
      `${ms(r.filterMs)} ${mark(r.filterMs <= EXPTABLE_TARGETS.filterMs)}`,
      `<= ${EXPTABLE_TARGETS.filterMs} ms`,
    ],
    [`lineage exps show --all-commits --csv (${r.cli.oursRows} rows) (ms)`, ms(r.cli.oursMs), ''],
  ];
  if (r.cli.dvcColdMs !== undefined) {
    rows.push([
      `dvc exp show --csv -A, cold (${r.cli.dvcRows} rows) (ms)`,
      `${ms(r.cli.dvcColdMs)} = ${ratio(r.cli.dvcColdMs)} ours ${mark(r.cli.dvcColdMs / r.cli.oursMs >= EXPTABLE_TARGETS.cliVsDvc)}`,
      `>= ${EXPTABLE_TARGETS.cliVsDvc}x ours`,
    ]);
    rows.push([
      'dvc exp show --csv -A, warm (ms)',
      `${ms(r.cli.dvcWarmMs!)} = ${ratio(r.cli.dvcWarmMs)} ours ${mark(r.cli.dvcWarmMs! / r.cli.oursMs >= EXPTABLE_TARGETS.cliVsDvc)}`,
      `>= ${EXPTABLE_TARGETS.cliVsDvc}x ours`,
    ]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = [
    `Experiments table on the ${r.commits}-commit synthetic repository (${r.totalCommits} commits in all, ${r.expRefs} experiments, ${r.runs} MLflow runs, ${r.columns} columns); medians; model in process, CLIs spawn to exit`,
    ...rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')),
  ];
  if (r.cli.same !== undefined) lines.push(`  lineage and DVC CSV ${r.cli.same ? 'are the same bytes' : 'DIFFER'} (${r.cli.dvcVersion})`);
  if (r.cli.note) lines.push(`  ${r.cli.note}`);
  return lines.join('\n');
}

if (require.main === module) {
  const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  benchExpTable(join(ROOT, '.bench'), log, { dvc: process.env.BENCH_DVC !== '0' }).then(
    (r) => {
      process.stdout.write(formatExpTableTable(r) + '\n');
    },
    (e) => {
      process.stderr.write(`exp table bench crashed: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
