import { strict as assert } from 'node:assert';
import { parseGtoDeclarations } from '../../../src/core/registry/gtoCommits';
import { parseGtoShortcut } from '../../../src/core/registry/gtoShowModel';

describe('gto show MODEL: shortcuts and declarations as GTO reads them', () => {
  it('parses name, name#stage, name@vX.Y.Z and name@latest as gto/constants.py shortcut_re does', () => {
    assert.deepEqual(parseGtoShortcut('model'), { name: 'model', stage: null, version: null, latest: false });
    assert.deepEqual(parseGtoShortcut('nlp:enc#prod'), { name: 'nlp:enc', stage: 'prod', version: null, latest: false });
    assert.deepEqual(parseGtoShortcut('model@v1.2.0-rc.1'), { name: 'model', stage: null, version: 'v1.2.0-rc.1', latest: false });
    assert.deepEqual(parseGtoShortcut('model@greatest'), { name: 'model', stage: null, version: null, latest: true });
    // Not a shortcut: GTO then looks the whole text up as an artifact name.
    for (const text of ['model@1.2.0', 'model#', 'model#pr od', 'a@v1.0.0#prod'])
      assert.deepEqual(parseGtoShortcut(text), { name: text, stage: null, version: null, latest: false }, text);
  });

  it('reads artifacts.yaml with gto.index.Artifact defaults, in its field order', () => {
    const decls = parseGtoDeclarations('model:\n  path: m.pkl\n  type: model\n  labels: [a]\nbare:\n');
    assert.deepEqual(
      JSON.stringify(decls.get('model')),
      JSON.stringify({ type: 'model', path: 'm.pkl', virtual: true, labels: ['a'], description: '', custom: null }),
    );
    assert.deepEqual(decls.get('bare'), { type: null, path: null, virtual: true, labels: [], description: '', custom: null });
    assert.equal(parseGtoDeclarations('[1, 2').size, 0);
  });
});
