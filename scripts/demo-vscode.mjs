#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code (code-server) on the demo ML repository.
// Builds the extension, writes the demo repository to .demo/ml-project, stages the extension
// into an isolated extensions folder, starts code-server on 127.0.0.1 and prints the URL.
// Runs until Ctrl-C. Options: --port N (default 8080, else a free one), --no-build,
// --keep-repo (reuse an existing .demo/ml-project and its index).
// First run installs Node 24 and code-server into .tools/ (a few minutes, once).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startCodeServer, writeUserSettings } from './vscode/codeServer.mjs';
import { stageExtension } from './vscode/stageExtension.mjs';
import { ensureTools, projectRoot } from './vscode/tools.mjs';

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const say = (m) => process.stdout.write(`[demo] ${m}\n`);

const tools = await ensureTools();
if (!argv.includes('--no-build')) {
  say('building the extension (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}
const demoRoot = join(projectRoot, '.demo');
const repo = join(demoRoot, 'ml-project');
if (!argv.includes('--keep-repo') || !existsSync(repo)) {
  rmSync(repo, { recursive: true, force: true });
  execFileSync(process.execPath, [join(projectRoot, 'dist', 'cli.js'), 'demo-repo', repo], { stdio: ['ignore', 'inherit', 'inherit'] });
}
// The editor's state lives next to the demo, fresh on every start, so the demo looks the same each time.
const userDataDir = join(demoRoot, 'code-server', 'user-data');
const extensionsDir = join(demoRoot, 'code-server', 'extensions');
rmSync(join(demoRoot, 'code-server'), { recursive: true, force: true });
mkdirSync(extensionsDir, { recursive: true });
writeUserSettings(userDataDir, { 'workbench.colorTheme': 'Default Dark Modern' });
const staged = stageExtension({ extensionsDir, sqliteBinding: tools.sqliteBinding, abi: tools.abi });
say(`extension staged in ${staged}`);

const port = await freePort(Number(option('--port') ?? process.env.PORT ?? 8080));
const server = await startCodeServer({
  tools,
  port,
  userDataDir,
  extensionsDir,
  workspace: repo,
  logFile: join(demoRoot, 'code-server', 'code-server.log'),
});
process.stdout.write(
  `\n  ML Lineage in VS Code (code-server ${tools.codeServerBin.includes('code-server-') ? tools.codeServerBin.split('code-server-')[1].split('/')[0] : ''}) on the demo repository:\n\n    ${server.workbenchUrl}\n\n  Logs: ${join(demoRoot, 'code-server', 'code-server.log')}. Ctrl-C stops it.\n\n`,
);

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  say('stopping code-server');
  await server.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
const exitCode = await server.exited;
if (!stopping) {
  say(`code-server exited (${exitCode}); see ${join(demoRoot, 'code-server', 'code-server.log')}`);
  process.exit(1);
}
