// DVC reads the repository root's params.yaml whole (dvc/repo/params/show.py adds it as a
// wholly tracked default file), tracked by a stage or not, with or without a dvc.yaml; any
// other params file (a sub-project's params.yaml included) only through the keys stages track.

import { strict as assert } from 'node:assert';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { openRepo } from '../../../src/core/git/repo';
import { indexRepository } from '../../../src/core/indexer/indexer';
import { Store } from '../../../src/core/store/store';
import { diffValues } from '../../../src/core/diff/diff';
import { fileValuesAt, trackedFiles, valuesOfText } from '../../../src/core/query/baselineValues';
import { problemsAt, valuesAt } from '../../../src/core/query/values';
import { WORKSPACE } from '../../../src/core/indexer/writeRevision';

const ROOT_PIPELINE = 'stages:\n  train:\n    cmd: python train.py\n    params:\n    - train.lr\n';
const SUB_PIPELINE = 'stages:\n  fit:\n    cmd: python fit.py\n    params:\n    - x\n';

describe('the root params.yaml is read whole, as DVC reads it (real Git repository and index)', () => {
  let repo: GitFixture;
  let store: Store;
  const shas: Record<string, string> = {};

  before(async () => {
    repo = GitFixture.create();
    shas.bare = repo.commit('Params before any pipeline', { 'params.yaml': 'train:\n  lr: 0.1\nunused: 1\n' });
    shas.staged = repo.commit('Pipelines', {
      'dvc.yaml': ROOT_PIPELINE,
      'params.yaml': 'train:\n  lr: 0.1\n  epochs: 3\nunused: 1\n',
      'sub/dvc.yaml': SUB_PIPELINE,
      'sub/params.yaml': 'x: 1\ny: 2\n',
    });
    // No stage names the root params.yaml any more, and it is gone.
    repo.git('rm', '-q', 'params.yaml');
    shas.removed = repo.commit('No root params', { 'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n' });
    repo.write({ 'params.yaml': 'train:\n  lr: 0.1\n  epochs: 3\n  tags: [a, b]\nunused: 2\n', 'sub/params.yaml': 'x: 1\ny: 3\nz: 4\n' });
    ({ store } = await indexFolder(repo.dir));
  });

  after(() => {
    store?.close();
    repo?.cleanup();
  });

  it('without any dvc.yaml, every key of params.yaml', () => {
    assert.deepEqual(valuesAt(store, shas.bare, 'params'), { values: { 'params.yaml': { 'train.lr': 0.1, unused: 1 } }, problems: [] });
  });

  it('keys no stage tracks next to tracked ones; a sub-project params.yaml only through its stages', () => {
    assert.deepEqual(valuesAt(store, shas.staged, 'params').values, {
      'params.yaml': { 'train.lr': 0.1, 'train.epochs': 3, unused: 1 },
      'sub/params.yaml': { x: 1 },
    });
  });

  it('a revision without the root params.yaml, which no stage names, shows nothing for it and no problem', () => {
    assert.deepEqual(valuesAt(store, shas.removed, 'params').values, { 'sub/params.yaml': { x: 1 } });
    assert.deepEqual(problemsAt(store, shas.removed), []);
  });

  it('params diff of the workspace shows new untracked keys, lists included, like dvc params diff', () => {
    const d = diffValues(valuesAt(store, shas.staged, 'params').values, valuesAt(store, WORKSPACE, 'params').values);
    assert.deepEqual(d, {
      'params.yaml': { 'train.tags': { old: null, new: ['a', 'b'] }, unused: { old: 1, new: 2, diff: 1 } },
    });
  });

  it('inline diffs: the root params.yaml is tracked whole, a sub-project one by its keys', () => {
    const files = trackedFiles(store);
    assert.deepEqual(files.get('params.yaml'), { path: 'params.yaml', role: 'params', selector: null });
    assert.deepEqual(files.get('sub/params.yaml'), { path: 'sub/params.yaml', role: 'params', selector: ['x'] });
    const root = files.get('params.yaml')!;
    assert.deepEqual(fileValuesAt(store, shas.staged, root.path, root.role, root.selector), {
      status: 'ok',
      values: { 'train.lr': 0.1, 'train.epochs': 3, unused: 1 },
    });
    assert.deepEqual(valuesOfText('train:\n  lr: 0.2\nextra: yes\n', root.path, root.role, root.selector), {
      ok: true,
      value: { 'train.lr': 0.2, extra: 'yes' },
    });
  });

  it('an index written when only tracked keys counted (the stages\u2019 keys stored on params.yaml) reads it whole too', async () => {
    // Rewrites the stored selector the way the planner wrote it before this rule: no other way
    // to get an index from an older build inside a test.
    store.sql(`UPDATE revision_file SET selector = '["train.lr"]' WHERE path = 'params.yaml' AND role = 'params'`).run();
    try {
      assert.deepEqual(valuesAt(store, shas.staged, 'params').values['params.yaml'], { 'train.lr': 0.1, 'train.epochs': 3, unused: 1 });
      assert.equal(trackedFiles(store).get('params.yaml')!.selector, null);
    } finally {
      store.sql(`UPDATE revision_file SET selector = 'null' WHERE path = 'params.yaml' AND role = 'params'`).run();
    }
  });

  it('an index from before this rule (schema 4, no root params.yaml row where no stage named it) is re-walked by migration 5', async () => {
    const file = `${repo.dir}-v4.sqlite`;
    const old = (await indexFolder(repo.dir, {}, file)).store;
    // Makes the file what schema 4 left: the row for the commit without a pipeline is missing.
    old.sql(`DELETE FROM revision_file WHERE path = 'params.yaml' AND rev_id = (SELECT id FROM revision WHERE sha = ?)`).run(shas.bare);
    old.db.exec('PRAGMA user_version = 4');
    const blobs = (old.sql('SELECT COUNT(*) AS n FROM blob').get() as { n: number }).n;
    old.close();
    const migrated = Store.open(file);
    try {
      assert.equal(
        valuesAt(migrated, shas.bare, 'params').values['params.yaml'],
        undefined,
        'the migration forgets history before it is walked again',
      );
      const report = await indexRepository(await openRepo(repo.dir), migrated);
      assert.ok(report.commitsIndexed >= 3, JSON.stringify(report));
      // Parsed blobs are kept: no new blob row. (Migration 7 renders pipelines again, which
      // reads dvc.yaml files again, so the parse count is not 0.)
      assert.equal((migrated.sql('SELECT COUNT(*) AS n FROM blob').get() as { n: number }).n, blobs);
      assert.deepEqual(valuesAt(migrated, shas.bare, 'params').values['params.yaml'], { 'train.lr': 0.1, unused: 1 });
    } finally {
      migrated.close();
    }
  });

  it('stays incremental: a new commit is indexed alone and reuses the parsed params.yaml blob', async () => {
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'Workspace committed');
    const head = repo.git('rev-parse', 'HEAD');
    const report = await indexRepository(await openRepo(repo.dir), store);
    assert.equal(report.commitsIndexed, 1);
    assert.equal(report.blobsParsed, 0, 'the workspace already parsed these exact bytes');
    assert.deepEqual(valuesAt(store, head, 'params').values['params.yaml'], {
      'train.lr': 0.1,
      'train.epochs': 3,
      'train.tags': ['a', 'b'],
      unused: 2,
    });
  });
});
