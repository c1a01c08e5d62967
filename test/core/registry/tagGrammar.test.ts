import { strict as assert } from 'node:assert';
import {
  formatRegistryTag,
  isValidArtifactName,
  isValidStageName,
  isValidVersion,
  parseRegistryTag,
} from '../../../src/core/registry/tagGrammar';
import { bumpVersion, compareSemver } from '../../../src/core/registry/semver';

describe('GTO tag grammar', () => {
  it('parses every action, counters and dir=name', () => {
    assert.deepEqual(parseRegistryTag('clf@v1.2.0'), {
      action: 'register',
      artifact: 'clf',
      version: 'v1.2.0',
      stage: null,
      counter: null,
    });
    assert.deepEqual(parseRegistryTag('clf@v1.2.0-rc.1+b5!'), {
      action: 'deregister',
      artifact: 'clf',
      version: 'v1.2.0-rc.1+b5',
      stage: null,
      counter: null,
    });
    assert.deepEqual(parseRegistryTag('clf#prod#3'), { action: 'assign', artifact: 'clf', version: null, stage: 'prod', counter: 3 });
    assert.deepEqual(parseRegistryTag('clf#prod!#4'), { action: 'unassign', artifact: 'clf', version: null, stage: 'prod', counter: 4 });
    assert.deepEqual(parseRegistryTag('clf@deprecated'), {
      action: 'deprecate',
      artifact: 'clf',
      version: null,
      stage: null,
      counter: null,
    });
    assert.deepEqual(parseRegistryTag('models/nlp=enc#staging#1'), {
      action: 'assign',
      artifact: 'models/nlp:enc',
      version: null,
      stage: 'staging',
      counter: 1,
    });
    assert.equal(parseRegistryTag('team/clf@v0.0.1')?.artifact, 'team/clf');
  });

  it('rejects what GTO rejects', () => {
    for (const tag of [
      'clf@1.0',
      'clf@1.0.0',
      'clf@v1.0',
      'clf#',
      'clf#prod#',
      'clf@',
      'modèle@v1.0.0',
      'clf#pröd#1',
      '-clf@v1.0.0',
      'clf-@v1.0.0',
      'clf@v01.0.0',
      'v1.0.0',
      'clf@created',
      'a=b=c@v1.0.0x',
    ]) {
      assert.equal(parseRegistryTag(tag), null, tag);
    }
  });

  it('formats tags back', () => {
    assert.equal(formatRegistryTag({ action: 'assign', artifact: 'sub:enc', stage: 'prod', counter: 7 }), 'sub=enc#prod#7');
    assert.equal(formatRegistryTag({ action: 'unassign', artifact: 'clf', stage: 'prod', counter: 2 }), 'clf#prod!#2');
    assert.equal(formatRegistryTag({ action: 'deregister', artifact: 'clf', version: 'v1.0.0', counter: null }), 'clf@v1.0.0!');
    assert.equal(formatRegistryTag({ action: 'deprecate', artifact: 'clf', counter: null }), 'clf@deprecated');
  });

  it('validates user input', () => {
    for (const bad of ['--upload-pack=x', 'a b', '', 'a\nb', 'é', 'a..b', '-a', 'a-']) assert.equal(isValidArtifactName(bad), false, bad);
    for (const good of ['clf', 'a', 'sub:enc', 'models/nlp:enc', 'my_model-2']) assert.equal(isValidArtifactName(good), true, good);
    assert.equal(isValidStageName('prod'), true);
    assert.equal(isValidStageName('pr od'), false);
    assert.equal(isValidStageName('prod!'), false);
    assert.equal(isValidVersion('v1.2.3'), true);
    assert.equal(isValidVersion('1.2.3'), false);
    assert.equal(isValidVersion('v1.2'), false);
  });

  it('orders and bumps semantic versions', () => {
    const sorted = ['v1.0.0', 'v0.9.0', 'v1.0.0-rc.1', 'v1.0.0-alpha', 'v1.0.0-rc.10', 'v1.0.0-rc.2', 'v10.0.0', 'v2.0.0'].sort(
      compareSemver,
    );
    assert.deepEqual(sorted, ['v0.9.0', 'v1.0.0-alpha', 'v1.0.0-rc.1', 'v1.0.0-rc.2', 'v1.0.0-rc.10', 'v1.0.0', 'v2.0.0', 'v10.0.0']);
    assert.equal(bumpVersion(null), 'v0.0.1');
    assert.equal(bumpVersion('v1.2.3'), 'v1.2.4');
    assert.equal(bumpVersion('v1.2.3-rc.1', 'minor'), 'v1.3.0');
    assert.equal(bumpVersion('v1.2.3', 'major'), 'v2.0.0');
  });
});
