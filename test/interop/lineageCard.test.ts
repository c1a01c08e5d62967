// The lineage card against the real tools on a repository whose declaration, params and cache
// change between versions: for each registered version, the card's path is GTO's (its
// per-version enrichment), its data rows, model hash and params are what `git show REV:dvc.lock`
// records for the model's upstream stages, and its metrics are what `dvc metrics show` reads
// (or fails to read, after `dvc gc` dropped an old version's cached metrics).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import type { LineageCard } from '../../src/core/lineage/types';
import { GitFixture } from '../helpers/gitFixture';
import { runCli, describeRun } from '../helpers/runCli';
import { interopTool } from './tools';
import { assertSameValues, flatten, lineageJson, toolEnv, toolJson, toolOk } from './helpers';

const train = (model: string, tag: string, acc: number) =>
  `mkdir -p ${model.slice(0, model.lastIndexOf('/'))} eval && cat data/features/a.txt > ${model} && echo ${tag} >> ${model} && echo '{"acc":${acc}}' > eval/metrics.json`;

const pipeline = (model: string, tag: string, acc: number) => `stages:
  prepare:
    cmd: tr a-z A-Z < data/raw.csv > data/clean.csv
    deps: [data/raw.csv, src/prepare.py]
    params: [prepare.split]
    outs: [data/clean.csv]
  featurize:
    cmd: mkdir -p data/features && cut -c1-3 data/clean.csv > data/features/a.txt && wc -l < data/clean.csv > data/features/n.txt
    deps: [data/clean.csv]
    params: [featurize.ngrams]
    outs: [data/features]
  train:
    cmd: ${train(model, tag, acc)}
    deps: [data/features, src/train.py]
    params: [train.lr, train.epochs]
    outs: [${model}]
    metrics: [eval/metrics.json]
  report:
    cmd: mkdir -p reports && cat data/other.csv > reports/summary.txt
    deps: [data/other.csv]
    params: [report.style]
    outs: [reports/summary.txt]
`;

const params = (lr: number, style: string) =>
  `prepare:\n  split: 0.2\nfeaturize:\n  ngrams: 2\ntrain:\n  lr: ${lr}\n  epochs: 5\nreport:\n  style: ${style}\nseed: 42\n`;

interface LockEntry {
  path: string;
  md5?: string;
  size?: number;
  nfiles?: number;
}
interface LockStage {
  deps?: LockEntry[];
  outs?: LockEntry[];
  params?: Record<string, Record<string, unknown>>;
}

/** The truth: dvc.lock as DVC wrote it at that revision, parsed by the YAML library, not by us. */
function lockAt(dir: string, rev: string): Record<string, LockStage> {
  return (parse(execFileSync('git', ['show', `${rev}:dvc.lock`], { cwd: dir, encoding: 'utf8' })) as { stages: Record<string, LockStage> })
    .stages;
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** The stages writing the model and everything upstream of them through data deps; every stage without a model path. */
function upstream(stages: Record<string, LockStage>, model: string | null): string[] {
  const writes = (name: string, path: string) => (stages[name].outs ?? []).some((o) => under(path, o.path) || under(o.path, path));
  const producing = model ? Object.keys(stages).filter((n) => writes(n, model)) : [];
  if (producing.length === 0) return Object.keys(stages);
  const seen: string[] = [];
  for (const queue = [...producing]; queue.length > 0;) {
    const name = queue.shift()!;
    if (seen.includes(name)) continue;
    seen.push(name);
    for (const dep of stages[name].deps ?? [])
      if (!dep.path.endsWith('.py')) queue.push(...Object.keys(stages).filter((n) => writes(n, dep.path)));
  }
  return seen;
}

const byPath = <T extends { path: string }>(rows: T[]) => [...rows].sort((a, b) => a.path.localeCompare(b.path));

describe('interop: the lineage card of each version against dvc.lock, GTO and DVC', function () {
  this.timeout(600000);
  let repo: GitFixture;
  const dvc = (...args: string[]) => toolOk('dvc', args, repo.dir, toolEnv());
  const gto = (...args: string[]) => toolOk('gto', args, repo.dir, toolEnv());

  before(() => {
    interopTool('dvc');
    interopTool('gto');
    repo = GitFixture.create();
    dvc('init', '-q');
    repo.write({
      'data/raw.csv': 'id,text\n1,good\n2,bad\n',
      'data/other.csv': 'x,y\n',
      'src/prepare.py': 'prep\n',
      'src/train.py': 'train\n',
    });
    dvc('add', '-q', 'data/raw.csv');
    const versions = [
      { version: 'v1.0.0', model: 'models/model.pkl', build: 'one', lr: 0.1, style: 'dark', acc: 0.8, declared: true },
      { version: 'v1.1.0', model: 'models/v2/model.pkl', build: 'two', lr: 0.05, style: 'dark', acc: 0.9, declared: true },
      // HEAD: the declaration is gone and an unrelated stage's param moved; the model is v1.1.0's.
      { version: 'v1.2.0', model: 'models/v2/model.pkl', build: 'two', lr: 0.05, style: 'light', acc: 0.9, declared: false },
    ];
    for (const v of versions) {
      repo.write({ 'dvc.yaml': pipeline(v.model, v.build, v.acc), 'params.yaml': params(v.lr, v.style) });
      if (v.declared) repo.write({ 'artifacts.yaml': `clf:\n  type: model\n  path: ${v.model}\n` });
      else repo.remove('artifacts.yaml');
      dvc('repro', '-q');
      repo.commit(`train ${v.version}`);
      gto('register', 'clf', 'HEAD', '--version', v.version);
    }
    // Keeps only HEAD's objects: v1.0.0's model and cached metrics are no longer on this machine.
    dvc('gc', '-w', '-f', '-q');
  });
  after(() => repo?.cleanup());

  const card = (spec: string) => lineageJson<LineageCard>(['lineage', spec, '--json'], repo.dir);

  it('the registry is what `gto show --json` prints', () => {
    const ours = runCli(['registry', '--json'], { repo: repo.dir, env: toolEnv() });
    assert.equal(ours.status, 0, describeRun(ours));
    assert.equal(ours.stdout, gto('show', '--json'));
  });

  it('each version: path and commit as GTO enriches it, data rows, model hash and params as its dvc.lock records them', () => {
    const shown = JSON.parse(gto('show', 'clf', '--json')) as {
      version: string;
      commit_hexsha: string;
      enrichments: { enrichments: { source: string; artifact: { path: string } }[] }[];
    }[];
    assert.equal(shown.length, 3);
    for (const v of shown) {
      const c = card(`clf@${v.version}`);
      const gtoPath = v.enrichments[0]?.enrichments.find((e) => e.source === 'gto')?.artifact.path ?? null;
      assert.equal(c.model.commit, v.commit_hexsha, v.version);
      assert.equal(c.model.path, gtoPath, `${v.version}: the path GTO reads at the version's commit`);
      const lock = lockAt(repo.dir, v.commit_hexsha);
      const stages = upstream(lock, gtoPath);
      const rows = new Map<string, { path: string; version: string | null; size: number | null; nfiles: number | null }>();
      for (const name of stages) {
        for (const d of lock[name].deps ?? [])
          if (!d.path.endsWith('.py') && !rows.has(d.path))
            rows.set(d.path, { path: d.path, version: d.md5 ?? null, size: d.size ?? null, nfiles: d.nfiles ?? null });
      }
      assertSameValues(
        `${v.version} data rows vs git show ${v.commit_hexsha.slice(0, 8)}:dvc.lock`,
        byPath([...rows.values()]),
        byPath((c.data?.deps ?? []).map((d) => ({ path: d.path, version: d.version, size: d.size, nfiles: d.nfiles }))),
      );
      const outs = gtoPath
        ? stages.flatMap((n) =>
            (lock[n].outs ?? []).filter((o) => o.path === gtoPath).map((o) => ({ path: o.path, stage: n, version: o.md5, size: o.size })),
          )
        : [];
      assertSameValues(
        `${v.version} model hash vs dvc.lock`,
        outs,
        (c.artifact?.outs ?? []).map((o) => ({ path: o.path, stage: o.stage, version: o.version, size: o.size })),
      );
      const expected: Record<string, Record<string, unknown>> = {};
      for (const name of stages)
        for (const [file, values] of Object.entries(lock[name].params ?? {})) Object.assign((expected[file] ??= {}), flatten(values));
      assertSameValues(`${v.version} hyperparameters vs dvc.lock params`, expected, c.hyperparameters?.params ?? {});
    }
    const [v1, v2, head] = ['v1.0.0', 'v1.1.0', 'v1.2.0'].map((v) => card(`clf@${v}`));
    assert.equal(v1.data?.deps.length, 3, "the model's upstream: raw, clean, features");
    assert.equal(head.data?.scope, 'all-stages');
    assert.equal(head.data?.deps.length, 4, "no declared path at HEAD: every stage's data");
    assert.deepEqual([v1.artifact?.outs[0]?.inCache, v2.artifact?.outs[0]?.inCache], ['no', 'yes'], "dvc gc -w dropped v1.0.0's model");
    assert.ok(!('report.style' in (v2.hyperparameters?.params['params.yaml'] ?? {})), "another stage's param");
  });

  it('metrics: what `dvc metrics show --all-tags` reads, and DVC\'s "no storage files" as a fetch-it-with-dvc-pull gap', () => {
    const shown = toolJson<Record<string, { data: Record<string, { data?: unknown; error?: unknown }> }>>(
      'dvc',
      ['metrics', 'show', '--all-tags', '--json'],
      repo.dir,
      toolEnv(),
    );
    for (const version of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
      const theirs = shown[`clf@${version}`].data['eval/metrics.json'];
      const c = card(`clf@${version}`);
      if (theirs.error) {
        assert.equal(c.metrics, null, version);
        const gap = c.completeness.missing.find((m) => m.question === 'metrics');
        assert.match(gap?.reason ?? '', /eval\/metrics\.json .* in the DVC cache, not on this machine/, version);
        assert.match(gap?.action ?? '', /dvc pull/, version);
      } else {
        const ours = Object.fromEntries((c.metrics?.rows ?? []).filter((r) => r.file === 'eval/metrics.json').map((r) => [r.key, r.value]));
        assertSameValues(`${version} metrics vs dvc metrics show`, flatten(theirs.data), ours);
      }
    }
    assert.ok(shown['clf@v1.0.0'].data['eval/metrics.json'].error, "the case this test is about: DVC cannot read v1.0.0's metrics either");
  });
});
