// Generates large repositories for indexing benchmarks: a long main line, short side
// branches, experiment refs, and a few hundred unrelated source files so trees have a
// realistic size. Content is plausible but cheap; speed and determinism matter more here.

import * as path from 'node:path';
import { FastImportWriter, checkoutMain, initEmptyRepo } from './fastImport';
import { DEMO_EPOCH, PEOPLE, Rng, dvcYaml, ident, md5, pyJson, round, sha256 } from './demoUtil';

export interface SyntheticRepoOptions {
  commits: number;
  branches: number;
  expRefs: number;
  seed?: number;
}

export interface SyntheticExpRef {
  ref: string;
  baseline: string;
  sha: string;
}

export interface SyntheticRepoInfo {
  dir: string;
  /** All commits created: main, branches and experiments. */
  commitCount: number;
  mainCommits: number;
  branchCommits: number;
  branchCount: number;
  expRefCount: number;
  tagCount: number;
  /** Every ref created, full names (refs/heads/…, refs/tags/…, refs/exps/…). */
  refs: string[];
  expRefs: SyntheticExpRef[];
  mainHead: string;
  /** Files in main's tree. */
  trackedFiles: number;
}

interface Snapshot {
  lr: number;
  epochs: number;
  batch: number;
  layers: number;
  variant: number;
  trainCode: string;
  skill: number;
}

const BRANCH_KINDS = ['feature', 'exp', 'fix', 'wip', 'refactor'];
const SRC_PACKAGES = 20;
const MODULES_PER_PACKAGE = 15;

function moduleSource(pkg: number, mod: number, version: number): string {
  const lines = [`"""Module ${mod} of package ${pkg}."""`, 'import math', ''];
  for (let f = 0; f < 4 + ((pkg + mod) % 5); f++) {
    lines.push(`def f${pkg}_${mod}_${f}(x):`, `    return math.sqrt(abs(x)) * ${f + 1} + ${pkg}`, '', '');
  }
  // Each revision appends a helper, so a code change is a small realistic diff.
  for (let v = 1; v <= version; v++) {
    lines.push(`def helper_v${v}(values):`, `    return [v * ${v} for v in values]`, '', '');
  }
  return lines.join('\n');
}

function trainSource(version: number): string {
  return `"""Training entry point (revision ${version})."""\nimport yaml\n\nparams = yaml.safe_load(open("params.yaml"))\nprint("training with", params["train"])\n`;
}

function dvcYamlFor(variant: number): string {
  return dvcYaml({
    stages: {
      train: {
        cmd: `python src/train.py${variant > 0 ? ` --variant ${variant}` : ''}`,
        deps: ['src/train.py'],
        params: ['train', 'model'],
        metrics: [{ 'metrics.json': { cache: false } }],
      },
    },
  });
}

/** Files that change together on a commit that touched params, code or the pipeline. */
function renderRun(s: Snapshot, rng: Rng): Record<string, string> {
  const params = dvcYaml({ train: { lr: s.lr, epochs: s.epochs, batch_size: s.batch }, model: { layers: s.layers } });
  const accuracy = round(Math.min(0.99, 0.6 + 0.3 * s.skill - 0.01 * Math.abs(s.layers - 4) + rng.noise(0.015)));
  const metrics = pyJson({
    accuracy,
    loss: round(Math.max(0.03, 1.2 * (1 - accuracy) + rng.noise(0.02))),
    auc: round(Math.min(0.999, accuracy + 0.05)),
  });
  const lock = dvcYaml({
    schema: '2.0',
    stages: {
      train: {
        cmd: `python src/train.py${s.variant > 0 ? ` --variant ${s.variant}` : ''}`,
        deps: [{ path: 'src/train.py', hash: 'md5', md5: md5(s.trainCode), size: Buffer.byteLength(s.trainCode) }],
        params: { 'params.yaml': { model: { layers: s.layers }, train: { batch_size: s.batch, epochs: s.epochs, lr: s.lr } } },
        outs: [{ path: 'metrics.json', hash: 'md5', md5: md5(metrics), size: Buffer.byteLength(metrics) }],
      },
    },
  });
  return { 'params.yaml': params, 'metrics.json': metrics, 'dvc.lock': lock };
}

function tweak(s: Snapshot, rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      s.lr = rng.pick([0.1, 0.03, 0.01, 0.003, 0.001]);
      return `Set lr to ${s.lr}`;
    case 1:
      s.epochs = Math.max(1, Math.min(100, s.epochs + rng.int(-3, 6)));
      return `Train for ${s.epochs} epochs`;
    case 2:
      s.batch = rng.pick([16, 32, 64, 128]);
      return `Batch size ${s.batch}`;
    default:
      s.layers = rng.int(1, 8);
      return `Use ${s.layers} layers`;
  }
}

export async function generateSyntheticRepo(dir: string, opts: SyntheticRepoOptions): Promise<SyntheticRepoInfo> {
  if (opts.commits < 1) throw new Error('a synthetic repository needs at least one commit');
  const rng = new Rng(opts.seed ?? 7);
  await initEmptyRepo(dir);
  const writer = new FastImportWriter();
  const refs: string[] = ['refs/heads/main'];

  // Initial tree: the source packages, the pipeline and its first run.
  const moduleVersions = new Map<string, number>();
  const initial: Record<string, string> = {
    'README.md': '# Synthetic benchmark project\n',
    '.gitignore': '__pycache__/\n',
    // A DVC project root, so `dvc` commands work in the benchmark repo too.
    '.dvc/config': '[core]\n    autostage = true\n',
    '.dvc/.gitignore': '/config.local\n/tmp\n/cache\n',
    '.dvcignore': '',
  };
  for (let p = 0; p < SRC_PACKAGES; p++) {
    for (let m = 0; m < MODULES_PER_PACKAGE; m++) {
      const file = `lib/pkg_${p}/module_${m}.py`;
      moduleVersions.set(file, 0);
      initial[file] = moduleSource(p, m, 0);
    }
    initial[`lib/pkg_${p}/__init__.py`] = '';
    initial[`tests/test_pkg_${p}.py`] = `from lib.pkg_${p} import module_0\n\n\ndef test_f():\n    assert module_0.f${p}_0_0(4) > 0\n`;
  }
  let trainVersion = 0;
  let state: Snapshot = { lr: 0.01, epochs: 10, batch: 32, layers: 2, variant: 0, trainCode: trainSource(0), skill: 0 };
  Object.assign(initial, { 'src/train.py': state.trainCode, 'dvc.yaml': dvcYamlFor(0) }, renderRun(state, rng));
  const trackedFiles = Object.keys(initial).length;

  const snapshots: Snapshot[] = [];
  const marks: string[] = [];
  const times: number[] = [];
  let time = DEMO_EPOCH;
  const moduleFiles = [...moduleVersions.keys()];
  for (let i = 0; i < opts.commits; i++) {
    const who = PEOPLE[rng.int(0, PEOPLE.length - 1)];
    let files: Record<string, string>;
    let message: string;
    if (i === 0) {
      files = initial;
      message = 'Initial import';
    } else {
      state = { ...state, skill: 1 - Math.exp(-i / (opts.commits / 3 + 1)) };
      files = {};
      const subjects: string[] = [];
      let rerun = false;
      if (rng.chance(0.85)) {
        subjects.push(tweak(state, rng));
        rerun = true;
      }
      if (rng.chance(0.02)) {
        state.variant = (state.variant + 1) % 4;
        files['dvc.yaml'] = dvcYamlFor(state.variant);
        subjects.push('Change training command');
        rerun = true;
      }
      if (rng.chance(0.05)) {
        state.trainCode = trainSource(++trainVersion);
        files['src/train.py'] = state.trainCode;
        subjects.push('Refactor training script');
        rerun = true;
      }
      if (rng.chance(0.1) || subjects.length === 0) {
        const file = rng.pick(moduleFiles);
        const version = (moduleVersions.get(file) as number) + 1;
        moduleVersions.set(file, version);
        const [, p, m] = /pkg_(\d+)\/module_(\d+)/.exec(file) as RegExpExecArray;
        files[file] = moduleSource(Number(p), Number(m), version);
        subjects.push(`Add helper to ${path.posix.basename(file)}`);
      }
      if (rerun) Object.assign(files, renderRun(state, rng));
      message = subjects.join('; ');
    }
    marks.push(writer.commit({ ref: 'refs/heads/main', author: ident(who, time), message, parents: i === 0 ? [] : [marks[i - 1]], files }));
    snapshots.push({ ...state });
    times.push(time);
    if (i > 0 && i % 1000 === 0) {
      const tag = `v0.${i / 1000}.0`;
      writer.annotatedTag({ name: tag, target: marks[i], tagger: ident(who, time + 3600), message: `Release ${tag}` });
      refs.push(`refs/tags/${tag}`);
    }
    time += rng.int(10, 180) * 60;
  }

  let branchCommits = 0;
  for (let b = 0; b < opts.branches; b++) {
    const name = `${BRANCH_KINDS[b % BRANCH_KINDS.length]}/synthetic-${b}`;
    const fork = rng.int(0, opts.commits - 1);
    let s = { ...snapshots[fork] };
    let parent = marks[fork];
    const who = PEOPLE[b % PEOPLE.length];
    for (let k = 0, n = rng.int(1, 5); k < n; k++) {
      s = { ...s };
      const message = tweak(s, rng);
      parent = writer.commit({
        ref: `refs/heads/${name}`,
        author: ident(who, times[fork] + (k + 1) * 1800),
        message,
        parents: [parent],
        files: renderRun(s, rng),
      });
      branchCommits++;
    }
    refs.push(`refs/heads/${name}`);
  }
  const shas = await writer.run(dir);

  // Experiment refs embed their baseline's sha, so they go in a second import.
  const expWriter = new FastImportWriter();
  const pending: { ref: string; baseline: string; mark: string }[] = [];
  const baselinePool = Array.from({ length: Math.max(1, Math.ceil(opts.expRefs / 4)) }, () => rng.int(0, opts.commits - 1));
  for (let e = 0; e < opts.expRefs; e++) {
    const at = rng.pick(baselinePool);
    const baseline = shas.get(marks[at]) as string;
    const s = { ...snapshots[at] };
    tweak(s, rng);
    let ref: string;
    do {
      ref = `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/exp-${rng.hex(5)}`;
    } while (pending.some((p) => p.ref === ref));
    const mark = expWriter.commit({
      ref,
      author: ident(PEOPLE[e % PEOPLE.length], times[at] + 600 + e),
      message: `dvc: commit experiment ${sha256(ref)}`,
      parents: [baseline],
      files: renderRun(s, rng),
    });
    pending.push({ ref, baseline, mark });
  }
  const expShas = opts.expRefs > 0 ? await expWriter.run(dir) : new Map<string, string>();
  const expRefs = pending.map((p) => ({ ref: p.ref, baseline: p.baseline, sha: expShas.get(p.mark) as string }));
  refs.push(...expRefs.map((e) => e.ref));

  await checkoutMain(dir);
  return {
    dir: path.resolve(dir),
    commitCount: opts.commits + branchCommits + opts.expRefs,
    mainCommits: opts.commits,
    branchCommits,
    branchCount: opts.branches,
    expRefCount: opts.expRefs,
    tagCount: refs.filter((r) => r.startsWith('refs/tags/')).length,
    refs,
    expRefs,
    mainHead: shas.get(marks[opts.commits - 1]) as string,
    trackedFiles,
  };
}
