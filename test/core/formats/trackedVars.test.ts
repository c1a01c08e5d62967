// What a stage reads through `${}` is recorded per file and key, as DVC's tracked_vars
// (dvc/parsing/context.py Context._track_data), which `dvc params diff` lists for files no
// stage tracks as params. Checked against DVC 3.67 on the same dvc.yaml (test/interop/dvcParamsRule).

import { strict as assert } from 'node:assert';
import { parseDvcYaml, type RawDvcYaml } from '../../../src/core/formats/dvcYaml';
import { renderPipeline } from '../../../src/core/formats/dvcYamlRender';
import { parseStructured } from '../../../src/core/formats/structured';
import type { Files } from '../../../src/core/formats/dvcYamlContext';
import { walkOrder } from '../../../src/core/indexer/planner';

function render(yaml: string, files: Record<string, string>) {
  const parsed = parseDvcYaml(yaml);
  assert.ok(parsed.ok);
  const inputs: Files = new Map();
  for (const [path, text] of Object.entries(files)) {
    const r = parseStructured(text, path);
    assert.ok(r.ok);
    inputs.set(path, r.value);
  }
  const def = renderPipeline(parsed.value as RawDvcYaml, inputs);
  assert.deepEqual(def.errors, []);
  return Object.fromEntries(def.stages.map((s) => [s.name, s.trackedVars ?? []]));
}

describe('tracked vars: the keys each stage reads through ${}', () => {
  it('values and list items from params.yaml and vars files, with list indexes made non-negative', () => {
    const yaml =
      'vars:\n  - inline: 9\n  - ../shared.yaml\nstages:\n  s:\n    wdir: w\n    vars:\n      - stage.yaml\n    cmd: echo ${lst[-1]} ${d.e.f} ${d.e} ${inline} ${v1} ${sv}\n    outs:\n    - out-${d.g}\n';
    const tracked = render(yaml, {
      'params.yaml': 'lst: [10, 20, 30]\nd: {e: {f: 1.0}, g: 2}\n',
      '../shared.yaml': 'v1: 1\nv2: 2\n',
      'w/stage.yaml': 'sv: 7\n',
    });
    // Mappings (${d.e}) and inline vars are not tracked; stage vars resolve from the stage's wdir.
    assert.deepEqual(tracked.s, [
      { file: 'params.yaml', keys: ['lst.2', 'd.e.f', 'd.g'] },
      { file: '../shared.yaml', keys: ['v1'] },
      { file: 'w/stage.yaml', keys: ['sv'] },
    ]);
  });

  it('foreach and matrix items taken from a params file keep naming its keys; generated keys do not count', () => {
    const yaml =
      'stages:\n  fe:\n    foreach: ${models}\n    do:\n      cmd: echo ${item.lr}\n  fd:\n    foreach: ${fams}\n    do:\n      cmd: echo ${key} ${item.h}\n  mx:\n    matrix:\n      g: ${grid}\n      k: [a, b]\n    cmd: echo ${item.g} ${item.k}\n  lit:\n    foreach: [x, y]\n    do:\n      cmd: echo ${item}\n';
    const tracked = render(yaml, { 'params.yaml': 'models: [{lr: 1}, {lr: 2}]\nfams: {x: {h: 1}}\ngrid: [5, 6]\n' });
    assert.deepEqual(tracked['fe@0'], [{ file: 'params.yaml', keys: ['models.0.lr'] }]);
    assert.deepEqual(tracked['fe@1'], [{ file: 'params.yaml', keys: ['models.1.lr'] }]);
    assert.deepEqual(tracked['fd@x'], [{ file: 'params.yaml', keys: ['fams.x.h'] }]);
    assert.deepEqual(tracked['mx@6-b'], [{ file: 'params.yaml', keys: ['grid.1'] }]);
    assert.deepEqual(tracked['lit@x'], []);
  });
});

describe('walkOrder: dvc.yaml files in the order DVC walks a commit', () => {
  it('each folder before its sub-folders, folders in Git tree order', () => {
    assert.deepEqual(walkOrder(['b/dvc.yaml', 'a/c/dvc.yaml', 'a/dvc.yaml', 'dvc.yaml', 'a-b/dvc.yaml']), [
      'dvc.yaml',
      'a-b/dvc.yaml',
      'a/dvc.yaml',
      'a/c/dvc.yaml',
      'b/dvc.yaml',
    ]);
  });
});
