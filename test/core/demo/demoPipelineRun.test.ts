// Runs the demo repository's pipeline for real: every stage's cmd from dvc.yaml (foreach
// rendered), with the machine's Python. The scripts must use the standard library only,
// write exactly what dvc.yaml declares, and give the same bytes on every run.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { generateDemoRepo } from '../../../src/demo/demoRepo';

interface RenderedStage {
  name: string;
  cmd: string;
  outs: { path: string; cache: boolean }[];
}

type OutSpec = string | Record<string, { cache?: boolean } | null>;
interface StageDef {
  cmd: string;
  outs?: OutSpec[];
  metrics?: OutSpec[];
  plots?: OutSpec[];
}

/** dvc.yaml's stages with foreach expanded the way DVC names and renders them. */
function renderStages(dvcYaml: string): RenderedStage[] {
  const doc = parse(dvcYaml) as { stages: Record<string, StageDef | { foreach: Record<string, Record<string, unknown>>; do: StageDef }> };
  const stages: RenderedStage[] = [];
  const outsOf = (def: StageDef, subst: (s: string) => string): RenderedStage['outs'] =>
    [...(def.outs ?? []), ...(def.metrics ?? []), ...(def.plots ?? [])].map((o) => {
      if (typeof o === 'string') return { path: subst(o), cache: true };
      const [p, opts] = Object.entries(o)[0];
      return { path: subst(p), cache: opts?.cache !== false };
    });
  for (const [name, def] of Object.entries(doc.stages)) {
    if ('foreach' in def) {
      for (const [key, item] of Object.entries(def.foreach)) {
        const subst = (s: string): string => s.replace(/\$\{key\}/g, key).replace(/\$\{item\.(\w+)\}/g, (_m, k: string) => String(item[k]));
        stages.push({ name: `${name}@${key}`, cmd: subst(def.do.cmd), outs: outsOf(def.do, subst) });
      }
    } else {
      stages.push({ name, cmd: def.cmd, outs: outsOf(def, (s) => s) });
    }
  }
  return stages;
}

/** A Python 3 to run the stages with: `python` as the cmds say, else `python3`. */
function findPython(): string | undefined {
  for (const name of ['python', 'python3']) {
    const r = spawnSync(name, ['-c', 'import sys; print(sys.version_info[0])'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() === '3') return name;
  }
  return undefined;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** Every file under the given paths (relative to dir) with its md5. */
function snapshot(dir: string, paths: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    const full = path.join(dir, rel);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) walk(`${rel}/${name}`);
    } else {
      out.set(rel, md5(readFileSync(full)));
    }
  };
  for (const p of paths) if (existsSync(path.join(dir, p))) walk(p);
  return out;
}

describe('demo pipeline, run with Python', function () {
  this.timeout(180000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lineage-demo-run-'));
  const dir = path.join(tmp, 'demo');
  const python = findPython();
  let stages: RenderedStage[] = [];
  const timings: string[] = [];

  before(async () => {
    if (!python) console.log('    (stages not run: no python or python3 (Python 3) on PATH)');
    await generateDemoRepo(dir);
    stages = renderStages(readFileSync(path.join(dir, 'dvc.yaml'), 'utf8'));
  });
  after(() => {
    if (timings.length > 0) console.log(`    stage timings: ${timings.join(', ')}`);
    rmSync(tmp, { recursive: true, force: true });
  });

  const git = (args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

  const run = (stage: RenderedStage): void => {
    const cmd = python === 'python' ? stage.cmd : stage.cmd.replace(/^python /, `${python} `);
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, { cwd: dir, shell: true, encoding: 'utf8' });
    const ms = Number((process.hrtime.bigint() - started) / 1000000n);
    assert.equal(r.status, 0, `${stage.name}: ${cmd} exited ${r.status}\n${r.stdout}${r.stderr}`);
    timings.push(`${stage.name} ${ms} ms`);
  };

  /** What DVC does before running a stage: its outs are removed, so the script must make them. */
  const removeOuts = (stage: RenderedStage): void => {
    for (const o of stage.outs) rmSync(path.join(dir, o.path), { recursive: true, force: true });
  };

  const allOuts = (): string[] => stages.flatMap((s) => s.outs.map((o) => o.path));

  /** The whole pipeline in dvc.yaml order (which is topological here), outs removed first. */
  const runPipeline = (): Map<string, string> => {
    for (const stage of stages) {
      removeOuts(stage);
      run(stage);
      for (const o of stage.outs) assert.ok(existsSync(path.join(dir, o.path)), `${stage.name} did not write ${o.path}`);
    }
    // Outs plus the Git-tracked files a stage writes besides them (DVCLive's folder).
    return snapshot(dir, [...allOuts(), 'dvclive']);
  };

  it('renders the stages dvc.lock records, and Git ignores every cached out', () => {
    assert.deepEqual(
      stages.map((s) => s.name),
      ['prepare', 'featurize', 'train@small', 'train@large', 'evaluate'],
    );
    const lock = parse(readFileSync(path.join(dir, 'dvc.lock'), 'utf8')) as {
      stages: Record<string, { cmd: string; outs: { path: string }[] }>;
    };
    for (const s of stages) {
      assert.equal(lock.stages[s.name].cmd, s.cmd);
      assert.deepEqual(
        lock.stages[s.name].outs.map((o) => o.path),
        s.outs.map((o) => o.path).sort(),
      );
    }
    assert.equal(lock.stages['train@large'].cmd, 'python src/train.py --family large --hidden 256 data/features models/large.pkl');
    for (const s of stages) {
      for (const o of s.outs) {
        // `git check-ignore` exits 1 for a path that is not ignored.
        const ignored = spawnSync('git', ['check-ignore', '-q', o.path], { cwd: dir }).status === 0;
        assert.equal(ignored, o.cache, `${o.path} (cache: ${o.cache}) ${ignored ? 'is' : 'is not'} gitignored`);
      }
    }
  });

  it('runs each stage on its own on the generated workspace (its deps as generated)', function () {
    if (!python) this.skip();
    // Upstream stages run later, so each stage reads the generator's cached outs, not a rerun's.
    for (const stage of [...stages].reverse()) run(stage);
  });

  it('runs the whole pipeline, writing every declared out, with the same bytes twice', function () {
    if (!python) this.skip();
    const first = runPipeline();
    assert.ok(first.size >= 16, `${first.size} files`);
    const second = runPipeline();
    assert.deepEqual([...second], [...first]);
  });

  it('writes metrics with the keys the history has, and plausible values', function () {
    if (!python) this.skip();
    const keys = (json: string): string[] => Object.keys(JSON.parse(json) as object);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'eval', 'metrics.json'), 'utf8')) as Record<string, number>;
    assert.deepEqual(Object.keys(metrics), keys(git(['show', 'HEAD:eval/metrics.json'])));
    assert.ok(metrics.accuracy >= 0.7 && metrics.accuracy <= 1, `accuracy ${metrics.accuracy}`);
    assert.ok(metrics.roc_auc >= 0.75 && metrics.roc_auc <= 1, `roc_auc ${metrics.roc_auc}`);
    const scores = parse(readFileSync(path.join(dir, 'eval', 'scores.yaml'), 'utf8')) as { models: Record<string, Record<string, number>> };
    const committedScores = parse(git(['show', 'HEAD:eval/scores.yaml'])) as typeof scores;
    assert.deepEqual(Object.keys(scores.models), Object.keys(committedScores.models));
    assert.deepEqual(Object.keys(scores.models.large), Object.keys(committedScores.models.large));
    const cached = JSON.parse(readFileSync(path.join(dir, 'eval', 'cached_metrics.json'), 'utf8')) as { test: Record<string, number> };
    assert.deepEqual(Object.keys(cached), ['test', 'latency_ms']);
    assert.deepEqual(Object.keys(cached.test), ['accuracy', 'n_samples']);
    assert.equal(cached.test.accuracy, metrics.accuracy);
    assert.deepEqual(
      keys(readFileSync(path.join(dir, 'dvclive', 'metrics.json'), 'utf8')),
      keys(git(['show', 'HEAD:dvclive/metrics.json'])),
    );
    assert.ok(readFileSync(path.join(dir, 'eval', 'plots', 'roc.csv'), 'utf8').startsWith('fpr,tpr,threshold\n'));
    assert.ok(readFileSync(path.join(dir, 'eval', 'plots', 'confusion.csv'), 'utf8').startsWith('actual,predicted\n'));
    // The run changes only outs and DVCLive's files; sources, params and dvc.lock stay as committed.
    const changed = git(['status', '--porcelain'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    for (const p of changed) assert.ok(/^(eval|dvclive)\//.test(p), `the run changed ${p}`);
  });
});
