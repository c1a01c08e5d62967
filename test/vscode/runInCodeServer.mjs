#!/usr/bin/env node
// The real-VS-Code tier, run in code-server (see ../../shared/DESIGN.md, "Tests, by tier"):
//   1. tools: Node 24, code-server, better-sqlite3 for Node 24 (cached in .tools/),
//   2. build: `npm run build` + `npm run compile-tests` (skip with --no-build),
//   3. the demo repository (`lineage demo-repo`) in a temporary folder,
//   4. an isolated extensions folder with ML Lineage and the test-runner extension,
//   5. code-server on a free 127.0.0.1 port, the workbench opened in headless Chromium so a
//      window and an extension host exist; the runner extension runs the mocha suites
//      (out/test/vscode/suites/**/*.test.js) in that host and writes results.json,
//   6. checks of what a person sees (visualChecks.mjs), screenshots in test-output/vscode/.
// Exit code 0 when every in-host test and visual check passed, else 1.
// Options: --no-build, --grep <pattern>, --visual <pattern> (only matching visual checks), --keep (keep the temporary folder), --headed-url
// (print the URL and wait for Ctrl-C after the run, to look around), --sqlite-driver <better-sqlite3|node:sqlite>
// (LINEAGE_SQLITE_DRIVER for code-server, inherited by the extension host; artifacts then default to
// test-output/vscode-<driver>/), --node-sqlite-subset (node:sqlite, and only the suites and checks
// that open the store, index the demo, and show the Runs view and the Metric Diff).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { freePort, startCodeServer, writeUserSettings } from '../../scripts/vscode/codeServer.mjs';
import { stageExtension, stageTestRunner } from '../../scripts/vscode/stageExtension.mjs';
import { ensureTools, projectRoot } from '../../scripts/vscode/tools.mjs';
import { visualChecks } from './visualChecks.mjs';
import { openWorkbench, screenshot } from './workbench.mjs';

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
// The node:sqlite pass of `npm test` (about a minute): the whole tier twice would double its ~8
// minutes, so only what reads and writes the store in the host (open, index and rebuild the demo,
// Runs tree, Metric Diff, hostile metric names, Metric History and Plots series, MLflow runs, a
// corrupt or missing index) and the views a person sees from it.
const NODE_SQLITE_SUBSET = {
  grep: '^(ML Lineage in a real VS Code|ML Lineage test API|Metric Diff|Clear states in the Runs tree|A deleted baseline branch|Metric names with markup|Charts|Run series)',
  visual: '^(workbench opens|the Runs view lists|Metric Diff shows rows|the ML Lineage output channel)',
};
const subset = argv.includes('--node-sqlite-subset');
const opts = {
  build: !argv.includes('--no-build'),
  keep: argv.includes('--keep'),
  stay: argv.includes('--headed-url'),
  grep: option('--grep') ?? (subset ? NODE_SQLITE_SUBSET.grep : undefined),
  visual: option('--visual') ?? (subset ? NODE_SQLITE_SUBSET.visual : undefined),
  sqliteDriver: option('--sqlite-driver') ?? (subset ? 'node:sqlite' : undefined),
  resultsTimeoutMs: Number(process.env.LINEAGE_VSCODE_TIMEOUT_MS ?? 300000),
};
// LINEAGE_VSCODE_OUT moves the artifacts (two runs at once would otherwise wipe each other's).
const outDir = process.env.LINEAGE_VSCODE_OUT
  ? resolve(process.env.LINEAGE_VSCODE_OUT)
  : join(projectRoot, 'test-output', opts.sqliteDriver ? `vscode-${opts.sqliteDriver.replace(/[^a-z0-9]+/gi, '-')}` : 'vscode');
// Only code-server (and so the extension host) gets the driver: the CLI below runs on this Node.
const driverEnv = opts.sqliteDriver ? { LINEAGE_SQLITE_DRIVER: opts.sqliteDriver } : {};
const say = (m) => process.stdout.write(`[vscode] ${m}\n`);
const timings = [];
async function step(title, fn) {
  const start = Date.now();
  say(`${title} ...`);
  const value = await fn();
  const seconds = (Date.now() - start) / 1000;
  timings.push([title, seconds]);
  say(`${title}: ${seconds.toFixed(1)} s`);
  return value;
}

function suiteFiles() {
  const root = join(projectRoot, 'out', 'test', 'vscode', 'suites');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true })
    .filter((f) => String(f).endsWith('.test.js'))
    .map((f) => join(root, String(f)))
    .sort();
}

async function waitForResults(file, timeoutMs, server, logFile) {
  const deadline = Date.now() + timeoutMs;
  let serverExit;
  void server.exited.then((code) => {
    serverExit = code;
  });
  let lastLength = 0;
  while (Date.now() < deadline) {
    if (existsSync(logFile)) {
      // Stream the in-host spec log as it grows.
      const text = readFileSync(logFile, 'utf8');
      const complete = text.lastIndexOf('\n') + 1;
      if (complete > lastLength) {
        process.stdout.write(text.slice(lastLength, complete).replace(/^(?=.)/gm, '  │ '));
        lastLength = complete;
      }
    }
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (serverExit !== undefined) throw new Error(`code-server exited (${serverExit}) before the suites finished`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `no results from the in-host suites within ${timeoutMs / 1000} s (is the runner extension active? see test-output/vscode/logs)`,
  );
}

let server;
let browser;
let tmp;
let exitCode = 1;
const cleanups = async () => {
  if (browser) await browser.close().catch(() => {});
  browser = undefined;
  if (server) await server.stop().catch(() => {});
  server = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void cleanups().finally(() => process.exit(130));
  });
}

const started = Date.now();
try {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tools = await step('tools', ensureTools);
  if (opts.build) {
    await step('build (npm run build, npm run compile-tests)', () => {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
      execFileSync('npm', ['run', '--silent', 'compile-tests'], { cwd: projectRoot, stdio: 'inherit' });
    });
  }
  const files = suiteFiles();
  if (!files.length) throw new Error('no compiled suites in out/test/vscode/suites: run npm run compile-tests');

  tmp = mkdtempSync(join(tmpdir(), 'lineage-vscode-'));
  const demo = join(tmp, 'ml-project');
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  const resultsFile = join(tmp, 'results.json');
  const logFile = join(outDir, 'mocha.log');
  await step('demo repository (lineage demo-repo)', () => {
    execFileSync(process.execPath, [join(projectRoot, 'dist', 'cli.js'), 'demo-repo', demo], { stdio: ['ignore', 'inherit', 'inherit'] });
  });
  const demoBranches = execFileSync('git', ['-C', demo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  await step('stage extensions', () => {
    writeUserSettings(userDataDir);
    say(`  ${stageExtension({ extensionsDir, sqliteBinding: tools.sqliteBinding, abi: tools.abi })}`);
    say(
      `  ${stageTestRunner({
        extensionsDir,
        config: {
          mochaPath: join(projectRoot, 'node_modules', 'mocha'),
          files,
          resultsFile,
          logFile,
          timeoutMs: 60000,
          grep: opts.grep,
          env: { LINEAGE_TEST_DEMO_REPO: demo, ...driverEnv },
        },
      })}`,
    );
  });
  const port = await freePort();
  server = await step(`start code-server on 127.0.0.1:${port}`, () =>
    startCodeServer({ tools, port, userDataDir, extensionsDir, workspace: demo, logFile: join(outDir, 'code-server.log'), env: driverEnv }),
  );
  let page;
  await step('open the workbench in Chromium', async () => {
    ({ browser, page } = await openWorkbench(server.workbenchUrl, { consoleLog: join(outDir, 'browser-console.log') }));
  });
  const results = await step('in-host mocha suites', () => waitForResults(resultsFile, opts.resultsTimeoutMs, server, logFile));

  const visual = [];
  await step('visual checks and screenshots', async () => {
    // --visual <pattern>: only the checks whose name matches (all by default).
    for (const check of visualChecks.filter((c) => !opts.visual || new RegExp(opts.visual, 'i').test(c.name))) {
      try {
        const r = await check.run({ page, outDir, demo, demoBranches });
        visual.push({ name: check.name, ...r });
      } catch (error) {
        const shot = await screenshot(page, outDir, `failed-${check.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(
          () => undefined,
        );
        visual.push({ name: check.name, status: 'failed', detail: error.message, shots: shot ? [shot] : [] });
        await page.keyboard.press('Escape').catch(() => {});
      }
    }
  });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ ...results, visual, timings }, null, 2));

  // The report.
  const failures = [
    ...results.failures.map((f) => ({ title: f.fullTitle, message: f.error?.stack ?? f.error?.message })),
    ...visual.filter((v) => v.status === 'failed').map((v) => ({ title: `[visual] ${v.name}`, message: v.detail })),
  ];
  const passing = results.passes.length + visual.filter((v) => v.status === 'passed').length;
  const pending = results.pending.length + visual.filter((v) => v.status === 'skipped').length;
  process.stdout.write(
    `\nVS Code ${results.vscode}, extension host Node ${results.node}${opts.sqliteDriver ? `, LINEAGE_SQLITE_DRIVER=${opts.sqliteDriver}` : ''}\n`,
  );
  for (const v of visual)
    process.stdout.write(
      `  [visual] ${v.status === 'passed' ? '✔' : v.status === 'skipped' ? '-' : '✖'} ${v.name}${v.detail ? ` (${v.detail})` : ''}${v.shots?.length ? ` → ${v.shots.map((s) => relative(projectRoot, s)).join(', ')}` : ''}\n`,
    );
  process.stdout.write(`\n  ${passing} passing, ${failures.length} failing${pending ? `, ${pending} pending` : ''}\n`);
  failures.forEach((f, i) =>
    process.stdout.write(`\n  ${i + 1}) ${f.title}\n     ${String(f.message).split('\n').slice(0, 8).join('\n     ')}\n`),
  );
  exitCode = failures.length === 0 && results.passes.length > 0 ? 0 : 1;
  if (opts.stay) {
    say(`code-server is still running at ${server.workbenchUrl} — Ctrl-C to stop`);
    await new Promise(() => {});
  }
} catch (error) {
  process.stdout.write(`\n[vscode] ${error.stack ?? error.message}\n`);
  exitCode = 1;
} finally {
  await cleanups();
  if (tmp) {
    const logs = join(tmp, 'user-data', 'logs');
    if (existsSync(logs)) cpSync(logs, join(outDir, 'logs'), { recursive: true });
    if (opts.keep) say(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  say(
    `total ${((Date.now() - started) / 1000).toFixed(1)} s (${timings.map(([t, s]) => `${t.split(' (')[0]} ${s.toFixed(1)} s`).join(', ')}); artifacts in ${relative(projectRoot, outDir)}/`,
  );
}
process.exit(exitCode);
