// Several processes opening one fresh index at once (the editor, a terminal, a task) must all
// end with the same migrated store; before, one died with "table meta already exists".

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/core/store/store';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';

const STORE_JS = join(__dirname, '..', '..', '..', 'src', 'core', 'store', 'store.js');

function openInChild(file: string): Promise<{ code: number | null; err: string }> {
  const script = `const { Store } = require(${JSON.stringify(STORE_JS)}); const s = Store.open(${JSON.stringify(file)}); s.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe('store migrations under concurrency', function () {
  this.timeout(60000);

  it('four processes migrating one fresh store at once all succeed, and the schema is complete', async () => {
    for (let round = 0; round < 3; round++) {
      const file = join(mkdtempSync(join(tmpdir(), 'lineage-race-')), 'index.sqlite');
      const results = await Promise.all([0, 1, 2, 3].map(() => openInChild(file)));
      for (const r of results) assert.equal(r.code, 0, r.err);
      const store = Store.open(file, { readonly: true });
      try {
        assert.equal(Number((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version), SCHEMA_VERSION);
      } finally {
        store.close();
      }
    }
  });
});
