// Generates a realistic DVC classifier project (about 300 commits, branches, merges, release
// and GTO tags, experiment refs, a local DVC cache) for demos and end-to-end tests. Everything
// is derived from the seed and fixed dates, so the same seed gives the same commit shas.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FastImportWriter, checkoutMain, initEmptyRepo, runGit } from './fastImport';
import { DemoHistory, HistoryNode, tune, tuneOne } from './demoHistory';
import { ProjectState, cloneState, initialState } from './demoProject';
import { DEMO_EPOCH, PEOPLE, Person, Rng, ident, sha256, writeDvcCache, writeTree } from './demoUtil';
import { DEMO_REGISTRY_TAGS } from './demoRegistry';
import { writeDemoRuns, type DemoRunCommit, type DemoRunsInfo } from './demoRuns';

export interface DemoExpRef {
  name: string;
  /** Full sha of the commit the experiment was run from. */
  baseline: string;
  ref: string;
  /** The experiment commit. */
  sha: string;
}

export interface DemoRepoInfo {
  dir: string;
  /** Every branch, main first. */
  branches: string[];
  mergedBranches: string[];
  /** Every tag: releases (one lightweight) and GTO tags. */
  tags: string[];
  lightweightTags: string[];
  expRefs: DemoExpRef[];
  mainHead: string;
  /** Commits reachable from any ref. */
  commitCount: number;
  /** Commits reachable from main (merged branch commits included). */
  mainCommitCount: number;
  cacheObjects: number;
  /** MLflow run ids (mlruns/, one unlinked) and W&B offline run ids (wandb/), outside Git. */
  runs: DemoRunsInfo;
}

/** Main commits with a logged MLflow run (model versions log their model), and the W&B ones. */
const MLFLOW_RUNS = [105, 120, 140, 150, 160, 172, 180, 190, 195, 196, 197, 198, 199];
const MODEL_VERSION_COMMITS = new Set([105, 120, 140, 172, 195]);
const WANDB_RUNS = [197, 198, 199];

const MAIN_LENGTH = 200;
const HOUR = 3600;

interface BranchPlan {
  name: string;
  fork: number;
  commits: number;
  /** Main index whose commit merges this branch, if it is merged. */
  mergeAt?: number;
  /** One commit's worth of change on the branch; k counts from 0. */
  step: (s: ProjectState, rng: Rng, k: number) => string;
  /** What main takes over when merging. */
  adopt?: (main: ProjectState, branch: ProjectState) => void;
}

const BRANCHES: BranchPlan[] = [
  { name: 'feature/tfidf-ngrams', fork: 40, commits: 15, step: (s, r) => tuneOne(s.params, r.chance(0.5) ? 'ngrams' : 'max_features', r) },
  {
    name: 'feature/bigger-model',
    fork: 70,
    commits: 12,
    mergeAt: 92,
    step: (s, r, k) => (k % 3 === 0 ? tuneOne(s.params, 'layers', r) : tuneOne(s.params, r.chance(0.5) ? 'dropout' : 'epochs', r)),
    adopt: (m, b) => {
      m.params.train.model = { ...b.params.train.model };
    },
  },
  { name: 'exp/lr-sweep', fork: 100, commits: 8, step: (s, r) => tuneOne(s.params, 'lr', r) },
  {
    name: 'fix/data-leak',
    fork: 110,
    commits: 4,
    mergeAt: 118,
    step: (s, r, k) => {
      if (k === 0) {
        s.flags.dedupe = true;
        return 'Drop duplicate reviews before splitting (they leaked into test)';
      }
      return tuneOne(s.params, 'epochs', r);
    },
    adopt: (m) => {
      m.flags.dedupe = true;
    },
  },
  {
    name: 'feature/größe',
    fork: 130,
    commits: 5,
    step: (s, r) => `Größere Modelle: ${tuneOne(s.params, r.chance(0.5) ? 'batch_size' : 'layers', r)}`,
  },
  { name: 'exp/dropout-study', fork: 140, commits: 30, step: (s, r) => tuneOne(s.params, r.chance(0.7) ? 'dropout' : 'epochs', r) },
  {
    name: 'refactor/training-loop',
    fork: 155,
    commits: 6,
    mergeAt: 170,
    step: (s, r, k) => {
      if (k === 1) {
        s.flags.clipGrad = true;
        return 'Clip gradients in the training loop';
      }
      return tuneOne(s.params, 'lr', r);
    },
    adopt: (m) => {
      m.flags.clipGrad = true;
    },
  },
  {
    name: 'wip/augmentation',
    fork: 188,
    commits: 3,
    step: (s, _r, k) => {
      if (k === 0) s.rawVersion = 4;
      return k === 0 ? 'Add back-translated reviews' : 'Re-run with augmented data';
    },
  },
];

/** Milestones on main by index: what changes and the commit subject. */
const MILESTONES: Record<number, [string, (s: ProjectState) => void]> = {
  0: ['Initial commit', () => undefined],
  1: [
    'Initialize DVC',
    (s) => {
      s.dvcInit = true;
    },
  ],
  2: [
    'Track raw reviews with DVC',
    (s) => {
      s.rawVersion = 1;
    },
  ],
  3: [
    'Add prepare, train and evaluate stages',
    (s) => {
      s.pipeline = 1;
    },
  ],
  12: [
    'Add the March review dump',
    (s) => {
      s.rawVersion = 2;
    },
  ],
  28: [
    'Add featurize stage and train small/large families with foreach',
    (s) => {
      s.pipeline = 2;
    },
  ],
  41: [
    'Declare the classifier artifact',
    (s) => {
      s.artifacts = true;
    },
  ],
  55: [
    'Log training curves with DVCLive',
    (s) => {
      s.pipeline = 3;
    },
  ],
  64: [
    'Stratify the train/test split',
    (s) => {
      s.flags.stratify = true;
    },
  ],
  77: [
    'Try learning rate 0.1',
    (s) => {
      s.params.train.lr = 0.1;
      s.diverged = true;
    },
  ],
  78: [
    'Revert to learning rate 0.003 (0.1 diverged)',
    (s) => {
      s.params.train.lr = 0.003;
      s.diverged = false;
    },
  ],
  85: [
    'Add a cosine learning-rate schedule',
    (s) => {
      s.flags.scheduler = true;
    },
  ],
  96: [
    'Upgrade to DVCLive 3',
    (s) => {
      s.liveV3 = true;
    },
  ],
  105: [
    'Lowercase reviews before vectorizing',
    (s) => {
      s.flags.lowercase = true;
    },
  ],
  125: [
    'WIP: early stopping',
    (s) => {
      s.flags.earlyStopping = true;
    },
  ],
  126: ['Reproduce pipeline with early stopping', () => undefined],
  150: [
    'Add the Q2 review dump',
    (s) => {
      s.rawVersion = 3;
    },
  ],
  180: [
    'Ship the better of the two model families',
    (s) => {
      s.flags.pickBest = true;
    },
  ],
};
/** Commits that changed code without re-running the pipeline (dvc.lock out of date). */
const STALE = new Set([125]);

const RELEASES: [string, number, boolean][] = [
  ['v0.1.0', 10, true],
  ['v0.2.0', 30, false],
  ['v0.3.0', 50, true],
  ['v0.4.0', 75, true],
  ['v0.5.0', 100, true],
  ['v0.6.0', 120, true],
  ['v0.7.0', 130, true],
  ['v1.0.0', 140, true],
  ['v1.1.0', 172, true],
  ['v1.2.0', 195, true],
];
const ADJECTIVES = ['tidy', 'brave', 'lumpy', 'sleek', 'hairy', 'bushy', 'stony', 'quick'];
const NOUNS = ['sash', 'quay', 'mica', 'yawl', 'fern', 'doze', 'kiln', 'lens'];

export async function generateDemoRepo(dir: string, opts: { seed?: number } = {}): Promise<DemoRepoInfo> {
  const rng = new Rng(opts.seed ?? 20250106);
  await initEmptyRepo(dir);
  const history = new DemoHistory(new FastImportWriter());
  const times: number[] = [];
  let t = DEMO_EPOCH;
  for (let i = 0; i < MAIN_LENGTH; i++) {
    times.push(t);
    t += rng.int(2, 16) * HOUR + rng.int(0, 59) * 60;
  }
  const lead = (i: number): Person => PEOPLE[(i * 7 + (i >> 3)) % PEOPLE.length];

  const main: HistoryNode[] = [];
  const branchTips = new Map<string, HistoryNode>();
  let state = initialState();
  for (let i = 0; i < MAIN_LENGTH; i++) {
    const commitRng = rng.fork(i);
    state = cloneState(state);
    // Skill grows quickly at first and then plateaus, like a real project's accuracy.
    state.skill = 1 - Math.exp(-i / 60);
    const merging = BRANCHES.find((b) => b.mergeAt === i);
    let message: string;
    const parents = i === 0 ? [] : [main[i - 1]];
    if (merging) {
      const tip = branchTips.get(merging.name) as HistoryNode;
      merging.adopt?.(state, tip.state);
      parents.push(tip);
      message = `Merge branch '${merging.name}'`;
    } else if (MILESTONES[i]) {
      message = MILESTONES[i][0];
      MILESTONES[i][1](state);
    } else {
      message = tune(state, commitRng);
    }
    main.push(history.commit('refs/heads/main', parents, state, message, lead(i), times[i], commitRng, STALE.has(i)));
    for (const plan of BRANCHES.filter((b) => b.fork === i)) {
      branchTips.set(plan.name, buildBranch(history, plan, main[i], times, rng.fork(1000 + i)));
    }
  }

  const tags: string[] = [];
  const lightweightTags: string[] = [];
  for (const [name, at, annotated] of RELEASES) {
    tags.push(name);
    if (annotated) {
      history.writer.annotatedTag({
        name,
        target: main[at].id,
        tagger: ident(lead(at + 1), times[at] + 2 * HOUR),
        message: `Release ${name}`,
      });
    } else {
      lightweightTags.push(name);
      history.writer.lightweightTag(name, main[at].id);
    }
  }
  for (const { name, target, after, hours, message } of DEMO_REGISTRY_TAGS) {
    tags.push(name);
    history.writer.annotatedTag({ name, target: main[target].id, tagger: ident(PEOPLE[0], times[after] + hours * HOUR), message });
  }
  const marks = await history.writer.run(dir);
  const sha = (node: HistoryNode): string => marks.get(node.id) as string;

  // Experiments need their baseline's sha in the ref name, known only after the first import.
  const expWriter = new FastImportWriter();
  history.writer = expWriter;
  const expRefs: DemoExpRef[] = [];
  const baselines = [main[140], branchTips.get('exp/lr-sweep') as HistoryNode, main[MAIN_LENGTH - 1]];
  const usedNames = new Set<string>();
  for (const [b, baseNode] of baselines.entries()) {
    const baseSha = sha(baseNode);
    const base: HistoryNode = { ...baseNode, id: baseSha };
    for (let k = 0; k < 5; k++) {
      const r = rng.fork(5000 + b * 10 + k);
      let name = (b + k) % 2 === 0 ? `exp-${r.hex(5)}` : `${r.pick(ADJECTIVES)}-${r.pick(NOUNS)}`;
      while (usedNames.has(name)) name = `exp-${r.hex(5)}`;
      usedNames.add(name);
      const s = cloneState(base.state);
      s.skill = Math.min(1, s.skill + r.noise(0.05));
      tuneOne(s.params, r.pick(['lr', 'epochs', 'dropout', 'batch_size'] as const), r);
      if (r.chance(0.5)) tuneOne(s.params, 'layers', r);
      const ref = `refs/exps/${baseSha.slice(0, 2)}/${baseSha.slice(2)}/${name}`;
      const message = `dvc: commit experiment ${sha256(`${baseSha}:${name}:${JSON.stringify(s.params)}`)}`;
      const node = history.commit(ref, [base], s, message, lead(b * 5 + k), base.time + (k + 1) * 25 * 60, r);
      expRefs.push({ name, baseline: baseSha, ref, sha: node.id });
    }
  }
  const expMarks = await expWriter.run(dir);
  for (const e of expRefs) e.sha = expMarks.get(e.sha) as string;

  await checkoutMain(dir);
  // The workspace looks like after `dvc pull`: cached outs of main's head, plus the cache.
  await writeTree(dir, main[MAIN_LENGTH - 1].rendered.workspace);
  await writeDvcCache(dir, history.cache);
  const runCommit = (i: number, node = main[i], branch = 'main'): DemoRunCommit => ({
    sha: sha(node),
    node,
    branch,
    user: lead(i).name.split(' ')[0].toLowerCase(),
    modelVersion: branch === 'main' && MODEL_VERSION_COMMITS.has(i),
  });
  const dropout = branchTips.get('exp/dropout-study') as HistoryNode;
  const runs = await writeDemoRuns(
    dir,
    MLFLOW_RUNS.map((i) => runCommit(i)),
    [...WANDB_RUNS.map((i) => runCommit(i)), runCommit(170, dropout, 'exp/dropout-study')],
    rng.fork(9000),
  );

  const count = async (args: string[]): Promise<number> => Number((await runGit(dir, ['rev-list', '--count', ...args])).trim());
  return {
    dir: path.resolve(dir),
    branches: ['main', ...BRANCHES.map((b) => b.name)],
    mergedBranches: BRANCHES.filter((b) => b.mergeAt !== undefined).map((b) => b.name),
    tags,
    lightweightTags,
    expRefs,
    mainHead: sha(main[MAIN_LENGTH - 1]),
    commitCount: await count(['--all']),
    mainCommitCount: await count(['main']),
    cacheObjects: (await fs.readdir(path.join(dir, '.dvc', 'cache', 'files', 'md5'), { recursive: true })).filter((f) => f.length > 3)
      .length,
    runs,
  };
}

function buildBranch(history: DemoHistory, plan: BranchPlan, fork: HistoryNode, mainTimes: number[], rng: Rng): HistoryNode {
  const end = plan.mergeAt !== undefined ? mainTimes[plan.mergeAt] : fork.time + plan.commits * 9 * HOUR;
  const who = PEOPLE[(plan.fork >> 2) % PEOPLE.length];
  let tip = fork;
  for (let k = 0; k < plan.commits; k++) {
    const r = rng.fork(k);
    const s = cloneState(tip.state);
    s.skill = Math.min(1, s.skill + 0.004);
    const message = plan.step(s, r, k);
    // Spread the branch's commits between the fork and the merge so the dates interleave with main.
    const time = fork.time + Math.floor(((k + 1) * (end - fork.time)) / (plan.commits + 1)) - r.int(0, 1800);
    tip = history.commit(`refs/heads/${plan.name}`, [tip], s, message, who, time, r);
  }
  return tip;
}
