// The README's settings and commands tables are made from package.json by
// scripts/readmeTables.mjs; this runs its check against the real files, and shows on copies in a
// temporary folder that the check fails when package.json changes and passes once rewritten.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface TablesResult {
  ok: boolean;
  changed: string[];
  message: string;
}
interface ReadmeTables {
  readmeTables(options: { readmePath: string; packagePath: string; check?: boolean }): TablesResult;
  settingsTable(pkg: unknown): string;
  commandsTable(pkg: unknown): string;
}

// An ES module loaded from this CommonJS test: require() of ESM needs Node 20.19+ or 22.12+.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- tsc would turn import() into require() anyway
const tables = require(join(ROOT, 'scripts', 'readmeTables.mjs')) as ReadmeTables;

describe('README tables (scripts/readmeTables.mjs)', () => {
  let dir: string;
  let readmePath: string;
  let packagePath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-readme-'));
    readmePath = join(dir, 'README.md');
    packagePath = join(dir, 'package.json');
    copyFileSync(join(ROOT, 'README.md'), readmePath);
    copyFileSync(join(ROOT, 'package.json'), packagePath);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('README.md matches package.json (else run node scripts/readmeTables.mjs)', () => {
    const result = tables.readmeTables({ readmePath: join(ROOT, 'README.md'), packagePath: join(ROOT, 'package.json'), check: true });
    assert.ok(result.ok, result.message);
  });

  it('lists every setting and every command of package.json', () => {
    const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
    const settings = tables.settingsTable(pkg);
    for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(settings.includes(`| \`${key}\` |`), key);
    const commands = tables.commandsTable(pkg);
    for (const c of pkg.contributes.commands as { command: string }[]) assert.ok(commands.includes(`| \`${c.command}\` |`), c.command);
  });

  it('reports a README out of date when a setting changes, and passes once rewritten', () => {
    const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
    pkg.contributes.configuration.properties['lineage.commitsPerPage'].default = 75;
    writeFileSync(packagePath, JSON.stringify(pkg, null, 2));
    const stale = tables.readmeTables({ readmePath, packagePath, check: true });
    assert.equal(stale.ok, false);
    assert.deepEqual(stale.changed, ['settings']);
    assert.match(stale.message, /README\.md is out of date: the settings table .*`node scripts\/readmeTables\.mjs`/);
    assert.equal(readFileSync(readmePath, 'utf8'), readFileSync(join(ROOT, 'README.md'), 'utf8'), '--check must not write');

    const rewritten = tables.readmeTables({ readmePath, packagePath });
    assert.ok(rewritten.ok);
    assert.match(readFileSync(readmePath, 'utf8'), /\| `lineage\.commitsPerPage` \| `75` \|/);
    assert.ok(tables.readmeTables({ readmePath, packagePath, check: true }).ok);
  });

  it('reports a new command, and a README whose markers are missing', () => {
    const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
    pkg.contributes.commands.push({ command: 'lineage.somethingNew', title: 'Something New', category: 'Lineage' });
    writeFileSync(packagePath, JSON.stringify(pkg, null, 2));
    const stale = tables.readmeTables({ readmePath, packagePath, check: true });
    assert.equal(stale.ok, false);
    assert.deepEqual(stale.changed, ['commands']);

    writeFileSync(readmePath, readFileSync(readmePath, 'utf8').replace('<!-- commands:end -->', ''));
    const broken = tables.readmeTables({ readmePath, packagePath, check: true });
    assert.equal(broken.ok, false);
    assert.match(broken.message, /<!-- commands:start --> and <!-- commands:end -->/);
  });

  it('the command line exits 1 with the reason when README.md is out of date, 0 when it is not', () => {
    const script = join(ROOT, 'scripts', 'readmeTables.mjs');
    const current = spawnSync(process.execPath, [script, '--check', '--readme', readmePath, '--package', packagePath], {
      encoding: 'utf8',
    });
    assert.equal(current.status, 0, current.stderr);
    const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
    pkg.contributes.commands[0].title = 'Refresh Everything';
    writeFileSync(packagePath, JSON.stringify(pkg, null, 2));
    const stale = spawnSync(process.execPath, [script, '--check', '--readme', readmePath, '--package', packagePath], { encoding: 'utf8' });
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /README\.md is out of date: the commands table \(from contributes\.commands\) differs from package\.json/);
    const bad = spawnSync(process.execPath, [script, '--bogus'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown argument --bogus/);
  });
});
