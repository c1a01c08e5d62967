import { strict as assert } from 'node:assert';
import { ObjectReader } from '../../../src/core/git/catFile';
import { gitBlobId } from '../../../src/core/git/objectId';
import { GitFixture } from '../../helpers/gitFixture';

describe('ObjectReader (one long-lived cat-file process)', () => {
  it('reads many blobs pipelined, in order, including empty, binary and missing ones', async () => {
    const repo = GitFixture.create();
    const contents: Record<string, Buffer> = {
      'a.txt': Buffer.from('hello\n'),
      'empty.txt': Buffer.alloc(0),
      'bin.dat': Buffer.from([0, 1, 2, 10, 13, 10, 255]),
      'nl.txt': Buffer.from('\n\n\n'),
    };
    for (let i = 0; i < 300; i++) contents[`many/${i}.json`] = Buffer.from(JSON.stringify({ i }));
    repo.commit('files', contents);
    const reader = new ObjectReader(repo.dir);
    try {
      const names = Object.keys(contents);
      const oids = names.map((n) => gitBlobId(contents[n]));
      const missing = 'f'.repeat(40);
      const [read, infos] = await Promise.all([reader.read([...oids, missing]), reader.info([...oids, missing])]);
      names.forEach((n, i) => {
        const got = read[i];
        assert.ok(!('missing' in got), n);
        assert.deepEqual(got.bytes, contents[n], n);
        const info = infos[i];
        assert.ok(!('missing' in info) && info.size === contents[n].length && info.type === 'blob');
      });
      assert.deepEqual(read[names.length], { missing: true });
      // Also by revision:path, and a second round on the same process.
      const [byPath] = await reader.read(['HEAD:a.txt']);
      assert.ok(!('missing' in byPath) && byPath.bytes.toString() === 'hello\n');
      await assert.rejects(reader.read(['HEAD:a.txt\nHEAD:nl.txt']), /newline/);
    } finally {
      reader.close();
      repo.cleanup();
    }
  });
});
