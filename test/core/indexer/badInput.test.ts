import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture, PIPELINE, params, metrics } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { valuesAt, problemsAt } from '../../../src/core/query/values';
import { pipelinesAt } from '../../../src/core/query/history';
import { allProblems } from '../../../src/core/query/problems';
import { listRefRows } from '../../../src/core/query/revisions';
import { FastImportWriter } from '../../../src/demo/fastImport';

describe('bad input never stops the index', () => {
  let repo: GitFixture;
  after(() => repo?.cleanup());

  it('malformed JSON, YAML and TOML at one commit are recorded with file, revision, line and column; the rest indexes', async () => {
    repo = GitFixture.create();
    const pipeline = PIPELINE.replace(
      '    - eval/scores.yaml:\n        cache: false\n',
      '    - eval/scores.yaml:\n        cache: false\n    - eval/extra.toml:\n        cache: false\n',
    );
    const good = repo.commit('good', {
      'dvc.yaml': pipeline,
      'params.yaml': params(0.1),
      'metrics.json': metrics(0.5, 0.5),
      'eval/scores.yaml': 'auc: 0.5\n',
      'eval/extra.toml': 'x = 1\n',
    });
    const bad = repo.commit('bad', {
      'metrics.json': '{\n  "acc": 0.6,\n  "loss": oops\n}\n',
      'eval/scores.yaml': 'auc: [1, 2\n',
      'eval/extra.toml': 'x = = 2\n',
    });
    const fixed = repo.commit('fixed', {
      'metrics.json': metrics(0.7, 0.3),
      'eval/scores.yaml': 'auc: 0.7\n',
      'eval/extra.toml': 'x = 3\n',
    });
    const { store } = await indexFolder(repo.dir);
    try {
      const problems = problemsAt(store, bad);
      const json = problems.find((p) => p.path === 'metrics.json')!;
      assert.equal(json.status, 'error');
      assert.equal(json.line, 3);
      assert.ok(json.column && json.column > 1);
      const yaml = problems.find((p) => p.path === 'eval/scores.yaml')!;
      assert.equal(yaml.status, 'error');
      assert.ok(yaml.line && yaml.line >= 1);
      const toml = problems.find((p) => p.path === 'eval/extra.toml')!;
      assert.equal(toml.line, 1);
      // Neighbouring revisions are complete.
      assert.equal(valuesAt(store, good, 'metrics').values['metrics.json'].acc, 0.5);
      assert.equal(valuesAt(store, fixed, 'metrics').values['eval/extra.toml'].x, 3);
      // The index-wide listing names the first revision of each problem.
      const listed = allProblems(store).find((p) => p.path === 'metrics.json')!;
      assert.equal(listed.firstSeen, bad);
      assert.equal(listed.line, 3);
    } finally {
      store.close();
    }
  });

  it('a 17 MB metrics file and a binary one are skipped with a reason', async () => {
    const r = GitFixture.create();
    const pipeline = PIPELINE.replace('eval/scores.yaml', 'eval/blob.json');
    const sha = r.commit('big', {
      'dvc.yaml': pipeline,
      'metrics.json': `{"pad": "${'x'.repeat(17 * 1024 * 1024)}"}`,
      'eval/blob.json': Buffer.from([0x7b, 0, 1, 2, 0x7d]),
    });
    const { store } = await indexFolder(r.dir);
    try {
      const problems = problemsAt(store, sha);
      assert.match(problems.find((p) => p.path === 'metrics.json')!.message, /MB, over the 16 MB limit/);
      assert.equal(problems.find((p) => p.path === 'metrics.json')!.status, 'skipped');
      assert.match(problems.find((p) => p.path === 'eval/blob.json')!.message, /binary/);
    } finally {
      store.close();
      r.cleanup();
    }
  });

  it('dvc.yaml errors (unknown key, missing cmd, undefined variable, foreach over a scalar) are per stage; other stages survive', async () => {
    const r = GitFixture.create();
    const yaml = `stages:
  ok:
    cmd: echo ok
    metrics:
    - metrics.json:
        cache: false
  typo:
    cmd: echo typo
    outz: [a]
  nocmd:
    deps: [a]
  undefined:
    cmd: echo \${nope.missing}
  loop:
    foreach: 3
    do:
      cmd: echo \${item}
`;
    const sha = r.commit('pipeline', { 'dvc.yaml': yaml, 'metrics.json': metrics(0.5, 0.5) });
    const { store } = await indexFolder(r.dir);
    try {
      const [pipeline] = pipelinesAt(store, sha);
      assert.deepEqual(
        pipeline.def.stages.map((s) => s.name),
        ['ok'],
      );
      const messages = pipeline.def.errors.map((e) => `${e.stage}@${e.line}: ${e.message}`);
      assert.equal(messages.length, 4, messages.join('\n'));
      assert.ok(
        messages.some((m) => m.startsWith('typo@9') && /unknown key 'outz'/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => m.startsWith('nocmd@') && /'cmd' is required/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => m.startsWith('undefined@') && /nope\.missing/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => m.startsWith('loop@') && /expected list\/dictionary/.test(m)),
        messages.join('\n'),
      );
      assert.equal(valuesAt(store, sha, 'metrics').values['metrics.json'].acc, 0.5);
      assert.equal(allProblems(store).filter((p) => p.role === 'pipeline').length, 4);
    } finally {
      store.close();
      r.cleanup();
    }
  });

  it('paths leading outside the repository are refused and never read', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lineage-outside-'));
    writeFileSync(join(outside, 'secret.json'), '{"secret": 42}');
    const r = GitFixture.create();
    const rel = `../${outside.split('/').pop()}/secret.json`;
    const yaml = `stages:\n  s:\n    cmd: echo\n    metrics:\n    - ${rel}:\n        cache: false\n    - ${join(outside, 'secret.json')}:\n        cache: false\n    - metrics.json:\n        cache: false\n`;
    const sha = r.commit('escape', { 'dvc.yaml': yaml, 'metrics.json': metrics(0.5, 0.5) });
    const { store } = await indexFolder(r.dir);
    try {
      for (const rev of [sha, 'workspace']) {
        const refused = problemsAt(store, rev).filter((p) => p.status === 'refused');
        assert.equal(refused.length, 2, `${rev}: ${JSON.stringify(problemsAt(store, rev))}`);
        assert.ok(refused.every((p) => /outside the repository; refused/.test(p.message)));
        assert.ok(!JSON.stringify(valuesAt(store, rev, 'metrics').values).includes('secret'));
      }
    } finally {
      store.close();
      r.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('symlinks leading outside are not followed (workspace), and Git symlinks are never followed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lineage-outside-'));
    writeFileSync(join(outside, 'secret.json'), '{"secret": 42}');
    const r = GitFixture.create();
    r.write({ 'dvc.yaml': PIPELINE, 'eval/scores.yaml': 'auc: 1\n' });
    r.symlink(join(outside, 'secret.json'), 'metrics.json');
    const sha = r.commit('link');
    const { store } = await indexFolder(r.dir);
    try {
      const ws = problemsAt(store, 'workspace').find((p) => p.path === 'metrics.json')!;
      assert.equal(ws.status, 'symlink');
      assert.match(ws.message, /outside the workspace; not followed/);
      const committed = problemsAt(store, sha).find((p) => p.path === 'metrics.json')!;
      assert.equal(committed.status, 'symlink');
      assert.ok(!JSON.stringify(valuesAt(store, 'workspace', 'metrics').values).includes('secret'));
    } finally {
      store.close();
      r.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a broken ref name (spaces) is skipped by git and does not stop the index', async () => {
    const r = GitFixture.create();
    const sha = r.commit('a', { 'dvc.yaml': PIPELINE, 'metrics.json': metrics(0.5, 0.5) });
    writeFileSync(join(r.dir, '.git', 'refs', 'heads', 'bad name'), `${sha}\n`);
    r.git('branch', 'ünïcødé-✓');
    const { store } = await indexFolder(r.dir);
    try {
      const names = listRefRows(store)
        .map((x) => x.short)
        .sort();
      assert.deepEqual(names, ['main', 'ünïcødé-✓']);
    } finally {
      store.close();
      r.cleanup();
    }
  });

  it('a commit with 10,000 changed files indexes (only the files that matter are read)', async function () {
    this.timeout(120000);
    const r = GitFixture.create();
    // fast-import writes the 10,000 files in one process; `git add` of as many takes minutes on a busy machine.
    const writer = new FastImportWriter();
    const who = { name: 'Test User', email: 'test@example.com', time: 1735689600 };
    const first = writer.commit({
      ref: 'refs/heads/main',
      author: who,
      message: 'start',
      parents: [],
      files: { 'dvc.yaml': PIPELINE, 'metrics.json': metrics(0.1, 0.9) },
    });
    const files: Record<string, string> = { 'metrics.json': metrics(0.2, 0.8) };
    for (let i = 0; i < 10000; i++) files[`data/part-${Math.floor(i / 1000)}/file-${i}.json`] = `{"i": ${i}}`;
    const second = writer.commit({
      ref: 'refs/heads/main',
      author: { ...who, time: who.time + 60 },
      message: 'ten thousand files',
      parents: [first],
      files,
    });
    const marks = await writer.run(r.dir);
    const sha = marks.get(second)!;
    assert.equal(r.git('diff-tree', '--no-commit-id', '-r', '--name-only', sha).split('\n').length, 10001);
    const { store, report } = await indexFolder(r.dir);
    try {
      assert.equal(report.commitsIndexed, 2);
      assert.equal(valuesAt(store, sha, 'metrics').values['metrics.json'].acc, 0.2);
    } finally {
      store.close();
      r.cleanup();
    }
  });
});
