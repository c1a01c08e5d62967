import { strict as assert } from 'node:assert';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { buildLineageCard, completenessLine } from '../../../src/core/lineage/card';
import { noPathNote } from '../../../src/core/lineage/declAt';
import { lineageCardMarkdown } from '../../../src/core/lineage/markdown';
import { lineageCardText } from '../../../src/core/lineage/text';
import { readGitRegistry } from '../../../src/core/registry/gitRegistry';
import { resolveModelRef } from '../../../src/core/registry/resolve';
import type { ModelVersionRef } from '../../../src/core/registry/types';
import type { Store } from '../../../src/core/store/store';
import { writeHistoryProject, type HistoryRepo } from './historyFixture';
import { cacheObject, md5 } from './lineageFixture';

const UPSTREAM = ['data/features', 'data/clean.csv', 'data/raw.csv'];
const EVERY_STAGE = [
  'data/raw.csv',
  'data/clean.csv',
  'data/features',
  'data/other.csv',
  'data/extra.json',
  'data/live.csv',
  'data/ref.csv',
];

describe("lineage card: everything from the version's commit, as the history changes", () => {
  let repo: GitFixture;
  let project: HistoryRepo;
  let store: Store;
  const refs: Record<string, ModelVersionRef> = {};

  before(async () => {
    repo = GitFixture.create();
    project = writeHistoryProject(repo);
    store = (await indexFolder(repo.dir)).store;
    // As the CLI and the Models view get them: from the registry, which reads HEAD's declarations.
    const state = await readGitRegistry(repo.dir);
    for (const v of ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0']) refs[v] = resolveModelRef(state, `clf@${v}`);
  });
  after(() => {
    store.close();
    repo.cleanup();
  });

  it("takes the path from the version's commit: declared at v1, moved at v2, though HEAD declares none", async () => {
    assert.equal(refs['v1.0.0'].path, null, 'HEAD no longer declares clf');
    const v1 = await buildLineageCard(refs['v1.0.0'], { store, root: repo.dir });
    assert.equal(v1.model.path, 'models/model.pkl');
    assert.equal(v1.model.type, 'model');
    assert.equal(v1.artifact?.declaredIn, 'artifacts.yaml');
    assert.equal(v1.data?.scope, 'model');
    assert.deepEqual(v1.data?.producedBy, ['train']);
    assert.deepEqual(
      v1.data?.deps.map((d) => d.path),
      UPSTREAM,
      "the model's upstream only, not report's or monitor's data",
    );
    const v2 = await buildLineageCard(refs['v1.1.0'], { store, root: repo.dir });
    assert.equal(v2.model.path, 'models/v2/model.pkl');
    assert.deepEqual(
      v2.data?.deps.map((d) => d.path),
      UPSTREAM,
    );
    assert.equal(v2.data?.note, null);
  });

  it("says a version's commit declares no path, or a path no stage writes, and then lists every stage's data", async () => {
    const gone = await buildLineageCard(refs['v1.2.0'], { store, root: repo.dir });
    assert.equal(gone.model.path, 'models/gone.onnx');
    assert.equal(gone.data?.scope, 'all-stages');
    assert.match(gone.data?.note ?? '', new RegExp(`No stage in dvc\\.lock at ${project.shas[2].slice(0, 8)} writes models/gone\\.onnx`));
    assert.deepEqual(gone.artifact?.outs, []);
    const head = await buildLineageCard(refs['v1.3.0'], { store, root: repo.dir });
    assert.equal(head.model.path, null);
    assert.equal(head.artifact?.declaredIn, null);
    assert.equal(head.data?.scope, 'all-stages');
    assert.deepEqual(
      head.data?.deps.map((d) => d.path),
      EVERY_STAGE,
    );
    assert.match(head.data?.note ?? '', /declares no path: neither artifacts\.yaml nor a dvc\.yaml at [0-9a-f]{8} declares it/);
    // A caller holding HEAD's path for an older commit is told which one the card read.
    assert.match(
      noPathNote(project.shas[3], null, 'models/v2/model.pkl'),
      /HEAD declares models\/v2\/model\.pkl, but the card reads the version's own commit/,
    );
  });

  it('reads dvc.yaml `artifacts:` of a sub-project at the commit (dir:name, or dir=name as tags spell it)', async () => {
    const base = { ...refs['v1.0.0'], artifact: 'nlp:enc', path: null };
    const at1 = await buildLineageCard(base, { store, root: repo.dir });
    assert.equal(at1.model.path, 'nlp/enc.bin');
    assert.equal(at1.artifact?.declaredIn, 'nlp/dvc.yaml');
    assert.equal((await buildLineageCard({ ...base, artifact: 'nlp=enc' }, { store, root: repo.dir })).model.path, 'nlp/enc.bin');
    const at2 = await buildLineageCard({ ...base, commit: project.shas[1], path: 'nlp/enc.bin' }, { store, root: repo.dir });
    assert.equal(at2.model.path, null, 'removed at v1.1.0: a path passed in from elsewhere does not count');
  });

  it("shows the model's own out: its hash, size and cache state as that commit's dvc.lock records them", async () => {
    const v1 = await buildLineageCard(refs['v1.0.0'], { store, root: repo.dir });
    assert.deepEqual(
      v1.artifact?.outs.map((o) => [o.path, o.stage, o.version, o.hashKind, o.size, o.inCache, o.dvcFile, o.file]),
      [['models/model.pkl', 'train', project.modelMd5[0], 'md5', 'model 1'.length, 'yes', null, null]],
    );
    const v2 = await buildLineageCard(refs['v1.1.0'], { store, root: repo.dir });
    assert.deepEqual(
      v2.artifact?.outs.map((o) => [o.path, o.version, o.inCache]),
      [['models/v2/model.pkl', project.modelMd5[1], 'no']],
    );
    assert.match(
      lineageCardText(v2),
      new RegExp(`model: +${project.modelMd5[1]}, 7 B\\n +out of stage train in dvc\\.lock; not in the local DVC cache`),
    );
    assert.match(
      lineageCardMarkdown(v2),
      new RegExp(`\\| Model version \\| ${project.modelMd5[1]}, 7 B · out of stage train in dvc\\.lock · in local cache: no \\|`),
    );
    assert.equal(JSON.parse(JSON.stringify(v2)).artifact.outs[0].version, project.modelMd5[1], 'in --json');
  });

  it('finds a model tracked by a .dvc file, or inside a folder out', async () => {
    const side = GitFixture.create();
    try {
      const pkl = 'weights';
      cacheObject(side, pkl);
      const listing = cacheObject(side, `[{"md5": "${md5(pkl)}", "relpath": "model.pkl"}]`, '.dir');
      const sha = side.commit('add models', {
        'artifacts.yaml': 'a:\n  path: added/model.bin\nb:\n  path: folder/model.pkl\n',
        'added/model.bin.dvc': `outs:\n- md5: ${md5('bin')}\n  size: 3\n  hash: md5\n  path: model.bin\n`,
        'dvc.yaml': 'stages:\n  pack:\n    cmd: x\n    outs:\n    - folder\n',
        'dvc.lock': `schema: '2.0'\nstages:\n  pack:\n    cmd: x\n    deps: []\n    outs:\n    - path: folder\n      hash: md5\n      md5: ${listing}.dir\n      size: 7\n      nfiles: 1\n`,
      });
      const { store: s } = await indexFolder(side.dir);
      try {
        const ref = (artifact: string): ModelVersionRef => ({
          artifact,
          version: 'v1',
          commit: sha,
          path: null,
          type: null,
          stages: [],
          previousVersion: null,
        });
        const added = await buildLineageCard(ref('a'), { store: s, root: side.dir });
        assert.deepEqual(
          added.artifact?.outs.map((o) => [o.path, o.stage, o.dvcFile, o.version, o.inCache]),
          [['added/model.bin', null, 'added/model.bin.dvc', md5('bin'), 'no']],
        );
        const inFolder = await buildLineageCard(ref('b'), { store: s, root: side.dir });
        assert.deepEqual(
          inFolder.artifact?.outs.map((o) => [o.path, o.stage, o.version, o.isDir, o.file]),
          [['folder', 'pack', `${listing}.dir`, true, { path: 'folder/model.pkl', md5: md5(pkl) }]],
        );
      } finally {
        s.close();
      }
    } finally {
      side.cleanup();
    }
  });

  it("hyperparameters: only what dvc.lock records for the model's stages and their upstream, at that commit", async () => {
    const v1 = await buildLineageCard(refs['v1.0.0'], { store, root: repo.dir });
    assert.equal(v1.hyperparameters?.scope, 'model');
    assert.deepEqual(v1.hyperparameters?.stages, ['train', 'featurize', 'prepare']);
    assert.deepEqual(
      v1.hyperparameters?.params,
      { 'params.yaml': { 'train.lr': 0.1, 'train.epochs': 5, 'featurize.ngrams': 2, 'prepare.split': 0.2 } },
      'no report.style, no seed',
    );
    assert.match(v1.hyperparameters?.note ?? '', /dvc\.lock at [0-9a-f]{8} records them for train, featurize, prepare/);
    const v2 = await buildLineageCard(refs['v1.1.0'], { store, root: repo.dir });
    assert.equal(v2.hyperparameters?.params['params.yaml']['train.lr'], 0.05);
    // Not the model's stages: every stage's tracked params, still not the untracked seed.
    const head = await buildLineageCard(refs['v1.3.0'], { store, root: repo.dir });
    assert.equal(head.hyperparameters?.scope, 'all-stages');
    assert.deepEqual(Object.keys(head.hyperparameters?.params['params.yaml'] ?? {}).sort(), [
      'featurize.ngrams',
      'prepare.split',
      'report.style',
      'train.epochs',
      'train.lr',
    ]);
  });

  it('metrics in a DVC cache that is not here: says so and how to fetch them; read once fetched, without re-indexing', async () => {
    const v1 = await buildLineageCard(refs['v1.0.0'], { store, root: repo.dir });
    assert.equal(v1.metrics?.rows.find((r) => r.key === 'acc')?.value, 0.8, 'read from the local DVC cache by the index');
    const v2 = await buildLineageCard(refs['v1.1.0'], { store, root: repo.dir });
    assert.equal(v2.metrics, null);
    const gap = v2.completeness.missing.find((m) => m.question === 'metrics');
    assert.match(
      gap?.reason ?? '',
      /^eval\/metrics\.json is declared as metrics at [0-9a-f]{8}, but it is a DVC-cached out .* in the DVC cache, not on this machine$/,
    );
    assert.match(gap?.action ?? '', /`dvc pull` with that commit checked out, or `dvc fetch --all-tags --type metrics`/);
    assert.doesNotMatch(completenessLine(v2), /no metrics files/);
    assert.ok(v2.problems.some((p) => /eval\/metrics\.json at [0-9a-f]{8}: .*not in the local cache/.test(p)));
    cacheObject(repo, project.metricsText[1]);
    const fetched = await buildLineageCard(refs['v1.1.0'], { store, root: repo.dir });
    const acc = fetched.metrics?.rows.find((r) => r.key === 'acc');
    assert.deepEqual([acc?.value, acc?.previous, acc?.verdict], [0.9, 0.8, 'better']);
    assert.ok(!fetched.problems.some((p) => p.includes('eval/metrics.json')));
  });
});
