import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

describe('layer boundaries', () => {
  it('src/core never imports vscode (the engine runs in the CLI and plain Node)', () => {
    const offenders = tsFiles(join(ROOT, 'src', 'core')).filter((f) =>
      /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('src/core and src/cli never import from src/extension', () => {
    const files = [...tsFiles(join(ROOT, 'src', 'core')), ...tsFiles(join(ROOT, 'src', 'cli'))];
    const offenders = files.filter((f) => /from ['"][./]*\/extension\//.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the boundary check itself sees a vscode import (it can fail)', () => {
    assert.ok(/from ['"]vscode['"]/.test(readFileSync(join(ROOT, 'src', 'extension', 'main.ts'), 'utf8')));
  });
});
