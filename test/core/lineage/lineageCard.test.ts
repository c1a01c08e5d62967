import { strict as assert } from 'node:assert';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { buildLineageCard, completenessLine } from '../../../src/core/lineage/card';
import { lineageCardMarkdown } from '../../../src/core/lineage/markdown';
import { lineageCardText } from '../../../src/core/lineage/text';
import { captureBaseEnvironment } from '../../../src/core/repro/envRecord';
import { finishRun, startRun } from '../../../src/core/repro/runRecords';
import type { ExternalRun } from '../../../src/core/runs/types';
import type { Store } from '../../../src/core/store/store';
import { md5, writeLineageProject, type LineageRepo } from './lineageFixture';

function run(commit: string, extra: Partial<ExternalRun> = {}): ExternalRun {
  return {
    source: 'mlflow',
    location: 'mlruns',
    id: 'r1',
    experimentId: '0',
    experiment: 'Default',
    name: 'brave-owl',
    status: 'finished',
    startTime: 1,
    endTime: 2,
    user: 'ada',
    git: { commit, branch: 'main', remote: null },
    params: { lr: '0.05' },
    metrics: { val_acc: 0.91 },
    series: {},
    tags: {},
    environment: { python: '3.11.9', os: 'Linux', gpu: { count: 1, name: 'A100' }, requirements: ['numpy==2.0.0', 'scikit-learn==1.5.1'] },
    models: [],
    artifacts: [],
    parentId: null,
    labels: [],
    ...extra,
  };
}

describe('lineage card: the five answers for a model version', () => {
  let repo: GitFixture;
  let project: LineageRepo;
  let store: Store;

  before(async () => {
    repo = GitFixture.create();
    project = writeLineageProject(repo);
    repo.git('branch', 'feature/x', project.shas[0]);
    // A release tag, a registration and stage events (GTO's tags) on the first version's commit.
    repo.git('tag', 'v1.0.0', project.shas[0]);
    for (const [name, message] of [
      ['sentiment@v1.0.0', 'Registering'],
      ['sentiment#prod#1', 'Assigning'],
      ['sentiment#prod!#2', 'Unassigning'],
      ['sentiment@v0.9.0!', 'Deregistering'],
    ]) {
      repo.git('tag', '-a', '-m', message, name, project.shas[0]);
    }
    store = (await indexFolder(repo.dir)).store;
  });
  after(() => {
    store.close();
    repo.cleanup();
  });

  it('answers code: commit, refs, branches containing it, author, date, message', async () => {
    const card = await buildLineageCard(project.refs[0], { store, root: repo.dir });
    assert.ok(card.code);
    assert.equal(card.code.commit, project.shas[0]);
    assert.equal(card.code.subject, 'Train v1 with lr 0.1');
    assert.equal(card.code.author, 'Test User');
    assert.equal(card.code.authorEmail, 'test@example.com');
    assert.equal(card.code.date, 1735689660);
    // Branches, then tags; stage events and deregistrations are not names of the commit.
    assert.deepEqual(card.code.refs, ['feature/x', 'sentiment@v1.0.0', 'v1.0.0']);
    assert.deepEqual(card.code.branches.sort(), ['feature/x', 'main']);
    assert.equal(card.code.dirty, null, 'no run record: unknown');
  });

  it('answers data: the deps upstream of the stage writing the model, code excluded, with versions, sizes, .dvc files and cache state', async () => {
    const card = await buildLineageCard(project.refs[1], { store, root: repo.dir });
    assert.ok(card.data);
    assert.equal(card.data.scope, 'model');
    assert.deepEqual(card.data.producedBy, ['train']);
    assert.deepEqual(
      card.data.deps.map((d) => d.path),
      ['data/clean', 'data/raw.csv'],
      'src/*.py are code, not data',
    );
    const [clean, raw] = card.data.deps;
    assert.equal(clean.producedBy, 'prepare');
    assert.equal(clean.isDir, true);
    assert.equal(clean.nfiles, 2);
    assert.equal(clean.inCache, 'no');
    assert.equal(raw.producedBy, null);
    assert.equal(raw.stage, 'prepare');
    assert.equal(raw.version, md5(project.raw[1]));
    assert.equal(raw.hashKind, 'md5');
    assert.equal(raw.size, project.raw[1].length);
    assert.deepEqual(raw.dvcFile, { path: 'data/raw.csv.dvc', md5: md5(project.raw[1]) });
    assert.equal(raw.inCache, 'yes');
  });

  it('says a data version is missing from the DVC cache once its object is gone (legacy layout still found)', async () => {
    const hash = md5(project.raw[0]);
    const rel = `.dvc/cache/files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`;
    repo.remove(rel);
    try {
      const card = await buildLineageCard(project.refs[0], { store, root: repo.dir });
      assert.equal(card.data?.deps.find((d) => d.path === 'data/raw.csv')?.inCache, 'no');
      repo.write({ [`.dvc/cache/${hash.slice(0, 2)}/${hash.slice(2)}`]: project.raw[0] });
      const again = await buildLineageCard(project.refs[0], { store, root: repo.dir });
      assert.equal(again.data?.deps.find((d) => d.path === 'data/raw.csv')?.inCache, 'yes', 'DVC 2.x layout');
    } finally {
      repo.write({ [rel]: project.raw[0] });
    }
  });

  it('answers hyperparameters and metrics, with deltas and verdicts against the previous version', async () => {
    const card = await buildLineageCard(project.refs[1], { store, root: repo.dir });
    // What dvc.lock records for the model's stages: not epochs, which no stage tracks.
    assert.deepEqual(card.hyperparameters?.params, { 'params.yaml': { 'train.lr': 0.05 } });
    assert.deepEqual(card.hyperparameters?.stages, ['train']);
    assert.deepEqual(card.metrics?.previous, { version: 'v1.0.0', commit: project.shas[0] });
    const acc = card.metrics?.rows.find((r) => r.key === 'accuracy');
    assert.equal(acc?.value, 0.9);
    assert.equal(acc?.previous, 0.8);
    assert.ok(Math.abs((acc?.delta ?? 0) - 0.1) < 1e-12);
    assert.equal(acc?.verdict, 'better');
    assert.equal(card.metrics?.rows.find((r) => r.key === 'loss')?.verdict, 'better', 'lower loss is better');
    const first = await buildLineageCard(project.refs[0], { store, root: repo.dir });
    assert.equal(first.metrics?.rows.find((r) => r.key === 'accuracy')?.previous, undefined, 'no previous version: no delta');
  });

  it('reads the MLmodel flavors and signature from the DVC cache when the model folder is a DVC out', async () => {
    const card = await buildLineageCard(project.refs[1], { store, root: repo.dir });
    assert.ok(card.mlmodel);
    assert.equal(card.mlmodel.source, 'dvc-cache');
    assert.equal(card.mlmodel.file, 'models/model/MLmodel');
    assert.equal(card.mlmodel.modelUuid, 'v2');
    assert.deepEqual(
      card.mlmodel.flavors.map((f) => f.name),
      ['python_function', 'sklearn'],
    );
    assert.deepEqual(
      card.mlmodel.signature?.inputs?.map((f) => [f.name, f.type, f.required]),
      [
        ['sepal length (cm)', 'double', true],
        ['tags', 'array<string>', false],
      ],
    );
  });

  it('takes environment from a linked MLflow run when no repro record exists, and links only runs of that commit', async () => {
    const card = await buildLineageCard(project.refs[1], {
      store,
      root: repo.dir,
      runs: [run(project.shas[1]), run(project.shas[0], { id: 'other' })],
    });
    assert.equal(card.completeness.answered, 5);
    assert.equal(card.environment?.records.length, 1);
    const env = card.environment!.records[0];
    assert.equal(env.source, 'mlflow');
    assert.deepEqual(env.facts, [
      ['python', '3.11.9'],
      ['os', 'Linux'],
      ['gpu.count', '1'],
      ['gpu.name', 'A100'],
    ]);
    assert.deepEqual(env.packages, ['numpy==2.0.0', 'scikit-learn==1.5.1']);
    assert.deepEqual(
      card.hyperparameters?.runs.map((r) => [r.id, r.params]),
      [['r1', { lr: '0.05' }]],
    );
    assert.deepEqual(
      card.metrics?.runs.map((r) => r.metrics),
      [{ val_acc: 0.91 }],
    );
  });

  it("prefers the lineage repro record of the model's stage, and takes the dirty state from it", async () => {
    const env = await captureBaseEnvironment(repo.dir, 'python src/train.py', repo.dir);
    env.git.dirty = true;
    env.git.changed = ['src/train.py'];
    const id = startRun(store, '', 'train', env, Date.UTC(2025, 0, 2));
    finishRun(store, id, {
      status: 'ok',
      exitCode: 0,
      endedAt: Date.UTC(2025, 0, 2, 0, 1),
      outs: [{ path: 'models/model', md5: `${project.modelDirMd5[1]}.dir` }],
      project: '',
      stage: 'train',
    });
    const card = await buildLineageCard(project.refs[1], { store, root: repo.dir, runs: [run(project.shas[1])] });
    assert.equal(card.environment?.records[0].source, 'repro');
    assert.match(card.environment!.records[0].label, /stage train/);
    assert.ok(card.environment!.records[0].facts.some(([k, v]) => k === 'command' && v === 'python src/train.py'));
    assert.equal(card.code?.dirty, true);
    assert.match(card.code?.dirtySource ?? '', /lineage repro of train .*src\/train\.py/);
    const other = await buildLineageCard(project.refs[0], { store, root: repo.dir });
    assert.equal(other.environment, null, "v1's outs were not made by that run");
  });

  it('says what is missing, why, and what to do', async () => {
    const card = await buildLineageCard(project.refs[0], { store, root: repo.dir });
    assert.equal(card.completeness.answered, 4);
    assert.deepEqual(
      card.completeness.missing.map((m) => m.question),
      ['environment'],
    );
    assert.match(
      completenessLine(card),
      /^4 of 5 answered — environment unknown: no lineage repro record .*; reproduce with ML Lineage \(lineage repro\) or log it with MLflow$/,
    );
  });

  it('renders Markdown with file-derived text escaped, and text with control characters made visible', async () => {
    const card = await buildLineageCard(project.refs[1], { store, root: repo.dir });
    card.code!.subject = 'Fix <script>alert(1)</script> | *bold* [link](http://x)';
    card.problems.push('evil\u001b[31m red');
    const md = lineageCardMarkdown(card);
    assert.ok(md.includes('Fix \\<script\\>alert(1)\\</script\\> \\| \\*bold\\* \\[link\\](http://x)'));
    assert.ok(!md.includes('<script>'));
    for (const heading of ['### Code', '### Data', '### Hyperparameters', '### Metrics', '### Environment', '### MLflow model'])
      assert.ok(md.includes(heading), heading);
    assert.match(md, /\| metrics\.json \| accuracy \| 0\.9 \| 0\.8 \| ▲ \+0\.1 ✅ \|/);
    const text = lineageCardText(card);
    assert.ok(!text.includes('\u001b'));
    assert.ok(text.includes('evil\\x1b[31m red'));
    assert.match(text, /answered/);
  });
});

describe('lineage card: a bare repository answers little, and says so', () => {
  it('answers code only, with a reason and an action for each of the other four', async () => {
    const repo = GitFixture.create();
    const sha = repo.commit('Add a notebook', { 'train.ipynb': '{}' });
    const { store } = await indexFolder(repo.dir);
    try {
      const card = await buildLineageCard(
        { artifact: 'm', version: 'v0.1.0', commit: sha, path: 'model.bin', type: null, stages: [], previousVersion: null },
        { store, root: repo.dir },
      );
      assert.equal(card.completeness.answered, 1);
      const byQuestion = Object.fromEntries(card.completeness.missing.map((m) => [m.question, m]));
      assert.deepEqual(Object.keys(byQuestion), ['data', 'hyperparameters', 'metrics', 'environment']);
      assert.match(byQuestion.data.reason, /no dvc\.lock at [0-9a-f]{8}/);
      assert.match(byQuestion.data.action, /dvc add/);
      assert.match(byQuestion.hyperparameters.action, /params\.yaml/);
      assert.match(byQuestion.metrics.action, /metrics/);
      assert.equal(card.mlmodel, null);
      assert.deepEqual(card.problems, []);
      const lost = await buildLineageCard(
        { artifact: 'm', version: 'v9', commit: 'f'.repeat(40), path: 'model.bin', type: null, stages: [], previousVersion: null },
        { store, root: repo.dir },
      );
      assert.equal(lost.completeness.answered, 0);
      assert.deepEqual(lost.completeness.missing[0], {
        question: 'code',
        reason: 'commit ffffffff is not in this clone',
        action: 'fetch the commit (git fetch) and index it (lineage index)',
      });
      assert.match(lost.problems[0], /^Commit ffffffff of m@v9 is not in this clone/);
      await assert.rejects(
        buildLineageCard(
          { artifact: 'm', version: 'v', commit: 'HEAD', path: null, type: null, stages: [], previousVersion: null },
          { store, root: repo.dir },
        ),
        /not a full commit id/,
      );
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});
