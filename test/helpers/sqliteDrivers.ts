// Which SQLite drivers this test process can open, for tests that name a driver. The core
// suite runs twice: on Node 20 with the seam's usual choice (better-sqlite3), and on Node 24
// with LINEAGE_SQLITE_DRIVER=node:sqlite (test/runCoreOnNodeSqlite.mjs), where the project's
// better-sqlite3 build (Node 20's ABI) cannot load and is never required.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVER_ENV, openDatabase, type SqliteDriverName } from '../../src/core/store/driver';
import { loadNodeSqlite } from '../../src/core/store/nodeSqlite';

export const ROOT = join(__dirname, '..', '..', '..');
const PACKAGE_BUILD = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
export const NATIVE_NAME = `better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`;

/** The driver Store.open picks in this run. */
export function expectedDriver(): SqliteDriverName {
  return process.env[DRIVER_ENV] === 'node:sqlite' ? 'node:sqlite' : 'better-sqlite3';
}

/** Tests of better-sqlite3 specifics skip in the node:sqlite run, where it is never loaded. */
export function betterSqlite3Forbidden(): boolean {
  return process.env[DRIVER_ENV] === 'node:sqlite';
}

/** Skips a test of better-sqlite3 itself in the node:sqlite run, with the reason in its title. */
export function skipInNodeSqliteRun(ctx: Mocha.Context, why: string): void {
  if (!betterSqlite3Forbidden()) return;
  if (ctx.test) ctx.test.title += ` (skipped with ${DRIVER_ENV}=node:sqlite: ${why})`;
  ctx.skip();
}

/**
 * A better-sqlite3 binary for this runtime's ABI: LINEAGE_SQLITE_BINDING, the package's own build
 * (made by npm install for the Node that ran it), or the one the editor-tier tools compile
 * for Node 24 (scripts/vscode/tools.mjs, `<tools>/better-sqlite3/<version>-abi<N>-…/`).
 */
function bindingCandidates(): string[] {
  const list = [process.env.LINEAGE_SQLITE_BINDING, PACKAGE_BUILD];
  const tools = join(process.env.LINEAGE_TOOLS_DIR ?? join(ROOT, '.tools'), 'better-sqlite3');
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version as string;
  if (existsSync(tools)) {
    for (const dir of readdirSync(tools)
      .filter((d) => d.startsWith(`${version}-abi${process.versions.modules}-`))
      .sort()
      .reverse())
      list.push(join(tools, dir, 'better_sqlite3.node'));
  }
  return list.filter((p): p is string => Boolean(p && existsSync(p)));
}

export interface DriverAvailability {
  /** Per driver: the options that open it, or why it does not load here. */
  open: Partial<Record<SqliteDriverName, { driver: SqliteDriverName; extensionRoot?: string }>>;
  missing: string[];
  /** The throw-away folder holding the native/ copies: remove it when done. */
  scratch: string;
}

/** Tries each driver once on a throw-away file; better-sqlite3 through an extension-like native/ folder. */
export function availableDrivers(): DriverAvailability {
  const scratch = mkdtempSync(join(tmpdir(), 'lineage-drivers-'));
  const result: DriverAvailability = { open: {}, missing: [], scratch };
  const nodeSqlite = loadNodeSqlite();
  if (nodeSqlite instanceof Error) result.missing.push(`node:sqlite (${nodeSqlite.message.split('\n')[0]})`);
  else result.open['node:sqlite'] = { driver: 'node:sqlite' };
  const tried: string[] = [];
  for (const [i, binding] of bindingCandidates().entries()) {
    const root = join(scratch, `ext${i}`);
    mkdirSync(join(root, 'native'), { recursive: true });
    copyFileSync(binding, join(root, 'native', NATIVE_NAME));
    try {
      openDatabase(join(scratch, 'probe.sqlite'), { driver: 'better-sqlite3', extensionRoot: root }).close();
      result.open['better-sqlite3'] = { driver: 'better-sqlite3', extensionRoot: root };
      break;
    } catch (error) {
      tried.push(`${binding}: ${(error as Error).message.split('\n')[0].slice(0, 200)}`);
    }
  }
  if (!result.open['better-sqlite3'])
    result.missing.push(
      `better-sqlite3 (no binary for ABI ${process.versions.modules} loads${tried.length ? `: ${tried.join('; ')}` : ''})`,
    );
  return result;
}
