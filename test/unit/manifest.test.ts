import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/extension/commands';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('package.json manifest', () => {
  it('declares exactly the commands of the typed command table', () => {
    const declared = (manifest.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMANDS).sort());
  });

  it('is a real extension manifest with the CLI bin', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.bin.lineage, './dist/cli.js');
    assert.ok(manifest.publisher && manifest.engines.vscode);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const c of manifest.contributes.commands as { category?: string }[]) assert.equal(c.category, 'Lineage');
    for (const script of ['build', 'watch', 'test', 'bench', 'package']) assert.ok(manifest.scripts[script], script);
  });

  it('keeps better-sqlite3 at major version 12 (13 needs Node 22)', () => {
    assert.match(manifest.dependencies['better-sqlite3'], /^\^?12\./);
  });
});
