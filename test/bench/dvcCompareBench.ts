// The same questions asked of the real DVC and of our CLI on the 1,000-commit synthetic
// repository: every experiment with its metrics (`dvc exp show --json -A` against
// `lineage exps --json`) and a metrics diff of two revisions far apart on main. Ours runs with
// the index cold (no index file: the run builds it) and warm (already built); DVC cold (no
// .dvc/tmp and site cache: no exp-show cache, no hash state) and warm (its caches filled by
// the cold run). Both sides are child processes timed spawn to exit, with their CPU time
// (user + system, from /usr/bin/time -v) beside the wall time: on a shared machine the CPU
// figures are the steadier comparison. Nothing is asserted.
//
// DVC comes from the interop venv: the bench runs scripts/interopVenv.sh (a no-op while the
// venv matches test/interop/requirements.txt) so one command gives every figure; if that
// fails (no python3-venv, no network) the section prints why and the rest of the bench stands.

import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { interopEnv, interopVenv } from '../interop/tools';
import { mismatches } from '../interop/helpers';
import { ensureRepo, removeStore } from './benchRepo';
import { median, runChecked, runWithPeakRss, type PeakRun } from './measure';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Side {
  coldMs: number;
  warmMs: number;
  coldSamples: number[];
  warmSamples: number[];
  coldCpuMs: number;
  warmCpuMs: number;
  peakRssMb: number;
}

interface Timed extends PeakRun {
  cpuMs: number;
}

/** Wall time, peak RSS and, where /usr/bin/time -v reports them, user + system CPU time. */
async function timedRun(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Timed> {
  const r = await runWithPeakRss(cmd, args, options);
  const seconds = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  return { ...r, cpuMs: (seconds('User') + seconds('System')) * 1000 };
}

export interface DvcCompareRow {
  name: string;
  dvcCommand: string;
  oursCommand: string;
  dvc: Side;
  ours: Side;
  /** What each side returned, so the figures can be read against the work done. */
  dvcOutput: string;
  oursOutput: string;
  agree?: boolean;
}

export interface DvcCompareResult {
  commits: number;
  totalCommits: number;
  runs: number;
  dvcVersion: string;
  rows: DvcCompareRow[];
}

/** Makes (or checks) the interop venv; returns why it is unusable, or undefined when it is ready. */
export function prepareVenv(log: (m: string) => void): string | undefined {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'interopVenv.sh')], { cwd: ROOT, encoding: 'utf8', env: process.env });
  for (const line of `${r.stdout}${r.stderr}`.trim().split('\n').filter(Boolean)) log(line);
  if (r.status !== 0) return `needs the interop venv: scripts/interopVenv.sh exited ${r.status ?? r.signal}`;
  return existsSync(join(interopVenv(), 'bin', 'dvc'))
    ? undefined
    : `needs the interop venv: no dvc at ${join(interopVenv(), 'bin', 'dvc')}`;
}

function checked(what: string, r: Timed): Timed {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return r;
}

export async function benchDvcCompare(
  benchDir: string,
  commits: number,
  runs: number,
  log: (m: string) => void,
): Promise<DvcCompareResult> {
  const { dir, info } = await ensureRepo(benchDir, commits);
  const dvc = join(interopVenv(), 'bin', 'dvc');
  const siteCache = join(benchDir, `dvc-site-cache-${commits}`);
  const env = interopEnv({ DVC_SITE_CACHE_DIR: siteCache });
  const store = join(benchDir, `store-${commits}`, 'dvc-compare.sqlite');
  const dvcVersion = (await runChecked(dvc, ['--version'], { cwd: dir, env })).trim();
  const dvcCold = () => {
    rmSync(join(dir, '.dvc', 'tmp'), { recursive: true, force: true });
    rmSync(siteCache, { recursive: true, force: true });
  };
  // Far apart: the 100th commit of main and its head, both sides given full shas.
  const a = (await runChecked('git', ['rev-parse', `${info.mainHead}~${info.mainCommits - 100}`], { cwd: dir })).trim();
  const b = info.mainHead;

  const cases = [
    {
      name: 'all experiments with metrics',
      dvcArgs: ['exp', 'show', '--json', '-A'],
      oursArgs: ['exps', '--json'],
      describeDvc: (out: string) => {
        const rows = JSON.parse(out) as { experiments?: unknown[] | null }[];
        return `${rows.length} rows, ${rows.reduce((n, r) => n + (r.experiments?.length ?? 0), 0)} experiments`;
      },
      describeOurs: (out: string) => `${(JSON.parse(out) as unknown[]).length} experiments`,
      same: undefined as ((dvcOut: string, oursOut: string) => boolean) | undefined,
    },
    {
      name: `metrics diff ${a.slice(0, 7)}..${b.slice(0, 7)}`,
      dvcArgs: ['metrics', 'diff', '--json', a, b],
      oursArgs: ['metrics', 'diff', a, b, '--json'],
      describeDvc: (out: string) =>
        `${Object.values(JSON.parse(out) as Record<string, object>).reduce((n, f) => n + Object.keys(f).length, 0)} keys changed`,
      describeOurs: (out: string) =>
        `${Object.values(JSON.parse(out) as Record<string, object>).reduce((n, f) => n + Object.keys(f).length, 0)} keys changed`,
      same: (dvcOut: string, oursOut: string) => mismatches(JSON.parse(dvcOut), JSON.parse(oursOut)).length === 0,
    },
  ];

  const rows: DvcCompareRow[] = [];
  for (const c of cases) {
    const side = (): Side & { coldCpu: number[]; warmCpu: number[]; rss: number[] } => ({
      coldMs: 0,
      warmMs: 0,
      coldSamples: [],
      warmSamples: [],
      coldCpuMs: 0,
      warmCpuMs: 0,
      peakRssMb: 0,
      coldCpu: [],
      warmCpu: [],
      rss: [],
    });
    const dvcSide = side();
    const oursSide = side();
    let dvcOut = '';
    let oursOut = '';
    for (let run = 0; run < runs; run++) {
      dvcCold();
      const cold = checked(`dvc ${c.dvcArgs.join(' ')}`, await timedRun(dvc, c.dvcArgs, { cwd: dir, env }));
      const warm = checked(`dvc ${c.dvcArgs.join(' ')}`, await timedRun(dvc, c.dvcArgs, { cwd: dir, env }));
      dvcOut = warm.stdout;
      removeStore(store);
      const args = [CLI, '--repo', dir, '--store', store, ...c.oursArgs];
      const oursCold = checked(`lineage ${c.oursArgs.join(' ')}`, await timedRun(process.execPath, args, { cwd: ROOT }));
      const oursWarm = checked(`lineage ${c.oursArgs.join(' ')}`, await timedRun(process.execPath, args, { cwd: ROOT }));
      oursOut = oursWarm.stdout;
      for (const [s, x, y] of [
        [dvcSide, cold, warm],
        [oursSide, oursCold, oursWarm],
      ] as const) {
        s.coldSamples.push(x.ms);
        s.warmSamples.push(y.ms);
        s.coldCpu.push(x.cpuMs);
        s.warmCpu.push(y.cpuMs);
        s.rss.push(x.peakRssMb, y.peakRssMb);
      }
      log(
        `${c.name} run ${run + 1}/${runs}: dvc cold ${cold.ms.toFixed(0)} ms (cpu ${cold.cpuMs.toFixed(0)}), warm ${warm.ms.toFixed(0)} ms (cpu ${warm.cpuMs.toFixed(0)}); lineage cold ${oursCold.ms.toFixed(0)} ms (cpu ${oursCold.cpuMs.toFixed(0)}), warm ${oursWarm.ms.toFixed(0)} ms (cpu ${oursWarm.cpuMs.toFixed(0)})`,
      );
    }
    const summary = (s: ReturnType<typeof side>): Side => ({
      coldMs: median(s.coldSamples),
      warmMs: median(s.warmSamples),
      coldSamples: s.coldSamples,
      warmSamples: s.warmSamples,
      coldCpuMs: median(s.coldCpu),
      warmCpuMs: median(s.warmCpu),
      peakRssMb: Math.max(...s.rss),
    });
    rows.push({
      name: c.name,
      dvcCommand: `dvc ${c.dvcArgs.join(' ')}`,
      oursCommand: `lineage ${c.oursArgs.join(' ')}`,
      dvc: summary(dvcSide),
      ours: summary(oursSide),
      dvcOutput: c.describeDvc(dvcOut),
      oursOutput: c.describeOurs(oursOut),
      agree: c.same?.(dvcOut, oursOut),
    });
  }
  dvcCold();
  removeStore(store);
  return { commits, totalCommits: info.commitCount, runs, dvcVersion, rows };
}

export function formatDvcCompareTable(r: DvcCompareResult): string {
  const ms = (v: number) => (Number.isNaN(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const ratio = (x: number, y: number) => (Number.isNaN(x / y) ? '—' : `${(x / y).toFixed(1)}x`);
  const lines = [
    `DVC (${r.dvcVersion}) against lineage on the ${r.commits}-commit synthetic repository (${r.totalCommits} commits in all); medians of ${r.runs} run${r.runs === 1 ? '' : 's'}; wall and CPU (user + system) time of each CLI process (ms)`,
  ];
  const header = ['question', 'time', 'dvc cold', 'lineage cold', 'dvc/ours', 'dvc warm', 'lineage warm', 'dvc/ours'];
  const body = r.rows.flatMap((row) => [
    [
      row.name,
      'wall',
      ms(row.dvc.coldMs),
      ms(row.ours.coldMs),
      ratio(row.dvc.coldMs, row.ours.coldMs),
      ms(row.dvc.warmMs),
      ms(row.ours.warmMs),
      ratio(row.dvc.warmMs, row.ours.warmMs),
    ],
    [
      '',
      'cpu',
      ms(row.dvc.coldCpuMs),
      ms(row.ours.coldCpuMs),
      ratio(row.dvc.coldCpuMs, row.ours.coldCpuMs),
      ms(row.dvc.warmCpuMs),
      ms(row.ours.warmCpuMs),
      ratio(row.dvc.warmCpuMs, row.ours.warmCpuMs),
    ],
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line));
  for (const row of r.rows) {
    lines.push(
      `  ${row.name}: \`${row.dvcCommand}\` -> ${row.dvcOutput}, peak RSS ${row.dvc.peakRssMb.toFixed(0)} MB; \`${row.oursCommand}\` -> ${row.oursOutput}, peak RSS ${row.ours.peakRssMb.toFixed(0)} MB${row.agree === undefined ? '' : row.agree ? '; values agree' : '; VALUES DIFFER'}`,
    );
  }
  lines.push(
    '  cold: lineage builds its index in the run (no index file); DVC without .dvc/tmp and its site cache. warm: the same command again.',
  );
  return lines.join('\n');
}
