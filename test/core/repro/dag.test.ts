import { strict as assert } from 'node:assert';
import { GitFixture } from '../../helpers/gitFixture';
import { loadWorkspacePipelines } from '../../../src/core/repro/workspacePipelines';
import { buildDag, planStages, resolveTargets } from '../../../src/core/repro/dag';

function dagOf(files: Record<string, string>) {
  const repo = GitFixture.create().write(files);
  const loaded = loadWorkspacePipelines(repo.dir);
  return { dag: buildDag(loaded.projects), problems: loaded.problems, repo };
}

describe('repro DAG', () => {
  it('links stages across dvc.yaml files through outs and deps, upstream first', () => {
    const { dag } = dagOf({
      'sub/dvc.yaml': 'stages:\n  use:\n    cmd: cat ../data/prepared/a.txt\n    deps: [../data/prepared]\n',
      'dvc.yaml':
        'stages:\n  train:\n    cmd: t\n    deps: [data/prepared/a.txt]\n    outs: [model.bin]\n  prepare:\n    cmd: p\n    deps: [raw.csv]\n    outs: [data/prepared]\n',
    });
    assert.deepEqual(
      dag.stages.map((s) => s.address),
      ['prepare', 'train', 'sub/dvc.yaml:use'],
    );
    assert.deepEqual(dag.byAddress.get('sub/dvc.yaml:use')!.upstream, ['prepare']);
    assert.deepEqual(dag.byAddress.get('prepare')!.downstream.sort(), ['sub/dvc.yaml:use', 'train']);
    assert.equal(dag.problems.length, 0);
  });

  it('reports a cycle with both stage names and marks its stages broken', () => {
    const { dag } = dagOf({
      'dvc.yaml':
        'stages:\n  a:\n    cmd: x\n    deps: [b.txt]\n    outs: [a.txt]\n  b:\n    cmd: y\n    deps: [a.txt]\n    outs: [b.txt]\n  c:\n    cmd: z\n    outs: [c.txt]\n',
    });
    assert.equal(dag.problems.length, 1);
    assert.match(dag.problems[0].message, /stages: a, b \(cycle 'a' -> 'b' -> 'a'\)|stages: b, a \(cycle 'b' -> 'a' -> 'b'\)/);
    assert.equal(dag.problems[0].file, 'dvc.yaml');
    assert.ok(dag.broken.has('a') && dag.broken.has('b') && !dag.broken.has('c'));
  });

  it('reports two stages writing one out, naming both', () => {
    const { dag } = dagOf({
      'dvc.yaml': 'stages:\n  one:\n    cmd: x\n    outs: [models]\n  two:\n    cmd: y\n    outs: [models/m.pkl]\n',
    });
    assert.equal(dag.problems.length, 1);
    assert.match(dag.problems[0].message, /The output paths 'models'\('one'\) and 'models\/m.pkl'\('two'\) overlap/);
    assert.ok(dag.broken.has('one') && dag.broken.has('two'));
  });

  it('refuses outs and deps outside the repository', () => {
    const { dag } = dagOf({ 'dvc.yaml': 'stages:\n  bad:\n    cmd: x\n    deps: [/etc/passwd]\n    outs: [../escape.txt]\n' });
    const bad = dag.byAddress.get('bad')!;
    assert.equal(bad.outs.length, 0);
    assert.equal(bad.refused.length, 2);
    assert.match(bad.refused.join(' '), /outside the repository/);
  });

  it('plans upstream by default, downstream on request, only the target with single-item', () => {
    const { dag } = dagOf({
      'dvc.yaml':
        'stages:\n  a:\n    cmd: x\n    outs: [a]\n  b:\n    cmd: x\n    deps: [a]\n    outs: [b]\n  c:\n    cmd: x\n    deps: [b]\n    outs: [c]\n  d:\n    cmd: x\n    outs: [d]\n',
    });
    const names = (s: { address: string }[]) => s.map((x) => x.address);
    assert.deepEqual(names(planStages(dag, ['b'], {})), ['a', 'b']);
    assert.deepEqual(names(planStages(dag, ['b'], { downstream: true })), ['b', 'c']);
    assert.deepEqual(names(planStages(dag, ['b'], { singleItem: true })), ['b']);
    assert.deepEqual(names(planStages(dag, [], {})), ['a', 'b', 'c', 'd']);
    assert.deepEqual(resolveTargets(dag, ['dvc.yaml:c', 'nope', './c', 'dvc.yaml:zz']), {
      addresses: ['c'],
      unknown: ['nope', 'dvc.yaml:zz'],
    });
  });

  it('names foreach stages by their generated names and resolves the group name to all of them', () => {
    const { dag } = dagOf({
      'dvc.yaml': 'stages:\n  train:\n    foreach: [small, large]\n    do:\n      cmd: echo ${item}\n      outs: ["${item}.bin"]\n',
    });
    assert.deepEqual(resolveTargets(dag, ['train']).addresses, ['train@small', 'train@large']);
  });

  it('keeps an unparsable dvc.lock as a problem that names the file and line', () => {
    const { problems } = dagOf({ 'dvc.yaml': 'stages:\n  a:\n    cmd: x\n', 'dvc.lock': 'schema: "2.0"\nstages:\n  a: [unclosed\n' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'dvc.lock');
    assert.ok(problems[0].line);
    assert.match(problems[0].message, /will not be overwritten/);
  });
});
