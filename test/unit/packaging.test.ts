// `npm run package` (scripts/package.mjs) makes a .vsix offline; this runs it into a temp folder
// (about 5 s) and reads the archive: what runs is in it, sources and tools are not.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..', '..');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
}

/** The entries of a zip archive, from its central directory. */
function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      offset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

function zipRead(zip: Buffer, entry: ZipEntry): Buffer {
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  return entry.method === 8 ? inflateRawSync(data) : Buffer.from(data);
}

describe('packaging (npm run package)', function () {
  this.timeout(120000);
  let dir: string;
  let zip: Buffer;
  let names: string[];
  let entries: ZipEntry[];
  let log: string;

  before(function () {
    if (!existsSync(join(ROOT, 'node_modules', '@vscode', 'vsce'))) return this.skip();
    dir = mkdtempSync(join(tmpdir(), 'lineage-vsix-'));
    const out = join(dir, 'ml-lineage.vsix');
    log = execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    zip = readFileSync(out);
    entries = zipEntries(zip);
    names = entries.map((e) => e.name);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the manifest, the bundles, the webview pages and styles, and every walkthrough file', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const required = ['extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/dist/extension.js'];
    for (const page of ['metricDiff', 'metricHistory', 'plots', 'pipelineDag']) required.push(`extension/dist/webview/${page}.js`);
    for (const sheet of ['webviewBase', 'metricDiff', 'charts', 'pipelineDag', 'lineageCard'])
      required.push(`extension/media/${sheet}.css`);
    const steps = (manifest.contributes.walkthroughs as { steps: { media: Record<string, string> }[] }[]).flatMap((w) => w.steps);
    for (const step of steps) {
      for (const file of Object.values(step.media).filter((v) => /\.(png|md|svg)$/.test(v))) required.push(`extension/${file}`);
    }
    const missing = required.filter((r) => !names.includes(r));
    assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}`);
  });

  it('carries better-sqlite3 in the bundle and native binaries named as the driver seam looks for them', () => {
    const bundle = zipRead(
      zip,
      entries.find((e) => e.name === 'extension/dist/extension.js')!,
    ).toString('utf8');
    assert.ok(bundle.includes('nativeBinding'), 'better-sqlite3 is not bundled into dist/extension.js');
    assert.ok(!/require\("better-sqlite3"\)/.test(bundle), 'dist/extension.js still requires better-sqlite3 from node_modules');
    const natives = names.filter((n) => n.startsWith('extension/native/'));
    for (const n of natives) assert.match(n, /^extension\/native\/better_sqlite3-(linux|darwin|win32)-(x64|arm64|arm)-abi\d+\.node$/);
    if (existsSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) {
      assert.ok(
        natives.includes(`extension/native/better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`),
        `natives: ${natives.join(', ')}`,
      );
    }
  });

  it('leaves out sources, tests, tools, maps, node_modules and README screenshots; stays small', () => {
    const unwanted = names.filter(
      (n) =>
        /^extension\/(src|test|out|webview|scripts|\.tools|\.bench|\.demo|test-output|node_modules)\//.test(n) ||
        /\.(map|ts)$/.test(n) ||
        n.includes('media/screenshots/') ||
        n.endsWith('dist/cli.js'),
    );
    assert.deepEqual(unwanted, []);
    assert.ok(zip.length < 8 * 1024 * 1024, `${(zip.length / 1048576).toFixed(2)} MB`);
    assert.match(log, /\[package\] .*\.vsix: \d+\.\d\d MB/);
  });
});
