#!/usr/bin/env node
// The core suite (mocha's default spec: test/unit, test/core, test/cli, compiled in out/) a
// second time, on node:sqlite, the driver desktop VS Code ends up with: forced with
// LINEAGE_SQLITE_DRIVER, under the editor tier's Node 24 (node:sqlite needs Node 22.13+ and the
// system Node may be 20). The project's better-sqlite3 is built for the system Node's ABI: with
// node:sqlite forced it is never loaded, and tests of better-sqlite3 itself skip with a reason.
// The driver parity test loads the tools' ABI 137 better-sqlite3 beside node:sqlite and compares
// their answers; LINEAGE_REQUIRE_BOTH_DRIVERS turns its skip into a failure here.
// Arguments go to mocha (e.g. --grep store). Needs `npm run compile-tests` first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeTools, node24Env, projectRoot } from '../scripts/vscode/tools.mjs';

const say = (m) => process.stdout.write(`[node:sqlite] ${m}\n`);
const started = Date.now();
const tools = await ensureNodeTools();
const env = node24Env(tools, {
  LINEAGE_SQLITE_DRIVER: 'node:sqlite',
  LINEAGE_SQLITE_BINDING: tools.sqliteBinding,
  LINEAGE_REQUIRE_BOTH_DRIVERS: '1',
});
say(`core suite on Node ${tools.nodeVersion} with LINEAGE_SQLITE_DRIVER=node:sqlite`);
const mochaStart = Date.now();
const run = spawnSync(tools.nodeBin, [join(projectRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...process.argv.slice(2)], {
  cwd: projectRoot,
  env,
  stdio: 'inherit',
});
if (run.error) throw run.error;
say(
  `mocha ${((Date.now() - mochaStart) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${run.status ?? run.signal})`,
);
process.exit(run.status ?? 1);
