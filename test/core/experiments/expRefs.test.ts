// Experiment refs and names as DVC lays them out and checks them (refs.py, utils.py).

import { strict as assert } from 'node:assert';
import { checkRefFormat, expNameProblem, expRefName, isInternalExpRef, parseExpRefName } from '../../../src/core/experiments/expRefs';
import { freshExpName, isGeneratedName, randomExpName, WORD_COUNTS } from '../../../src/core/experiments/expNames';

const BASE = '545d9f856a8eb712e96332d1e99b55b9e3f84c8f';

describe('experiment refs and names', () => {
  it('lays refs out as refs/exps/<baseline[:2]>/<baseline[2:]>/<name> and reads them back', () => {
    assert.equal(expRefName({ baseline: BASE, name: 'ours' }), 'refs/exps/54/5d9f856a8eb712e96332d1e99b55b9e3f84c8f/ours');
    assert.deepEqual(parseExpRefName('refs/exps/54/5d9f856a8eb712e96332d1e99b55b9e3f84c8f/ours'), { baseline: BASE, name: 'ours' });
    for (const internal of [
      'refs/exps/exec/EXEC_APPLY',
      'refs/exps/apply/stash',
      'refs/exps/celery/stash',
      'refs/exps/stash',
      'refs/exps/temp/x',
    ]) {
      assert.ok(isInternalExpRef(internal), internal);
      assert.equal(parseExpRefName(internal), undefined);
    }
    assert.equal(parseExpRefName('refs/exps/54/5d9f/a/b'), undefined, "a nested name is not DVC's");
  });

  it("checks names as dulwich's check_ref_format and DVC's no-slash rule do", () => {
    for (const ok of ['ours', 'exp-1', 'a.b', '@', 'UPPER_case', 'x@y']) assert.equal(expNameProblem(BASE, ok), undefined, ok);
    for (const bad of [
      'a/b',
      'bad name',
      'x.lock',
      '.hidden',
      'a..b',
      'end.',
      'a@{1}',
      'q?',
      'tab\there',
      'a~1',
      'c^',
      'd:e',
      'f*',
      'g[',
      'back\\slash',
      '',
    ]) {
      assert.ok(expNameProblem(BASE, bad), JSON.stringify(bad));
    }
    assert.equal(checkRefFormat('@'), false);
    assert.equal(checkRefFormat('refs/heads/ok'), true);
  });

  it("generates adjective-noun names from DVC's word lists, avoiding taken ones", () => {
    assert.deepEqual(WORD_COUNTS, { adjectives: 139, nouns: 149 });
    assert.equal(
      randomExpName(() => 0),
      'agile-acre',
    );
    assert.equal(
      randomExpName(() => 0.999999),
      'zesty-yoke',
    );
    for (let i = 0; i < 50; i++) assert.ok(isGeneratedName(randomExpName()));
    let draws = 0;
    assert.equal(
      freshExpName(
        (n) => n === 'agile-acre',
        () => (draws++ < 2 ? 0 : 0.999999),
      ),
      'zesty-yoke',
    );
  });
});
