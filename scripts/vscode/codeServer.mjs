// Starting and stopping code-server (VS Code in a browser) for the test launcher and
// `npm run demo`: a fresh user-data folder with quiet settings, the isolated extensions
// folder, one 127.0.0.1 port, logs to a file, and a stop() that ends the whole process group
// (the server forks extension hosts and file watchers).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { node24Env } from './tools.mjs';

/** Settings that keep start-up free of prompts, tours and network look-ups. */
export const QUIET_SETTINGS = {
  // ML Lineage declares untrustedWorkspaces: false; a trust prompt would keep it inactive.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
};

export function writeUserSettings(userDataDir, extra = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2) + '\n');
}

/** A port that was free a moment ago (preferred first, else one the OS picks). */
export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      });
    });
  return (preferred !== undefined && (await tryPort(preferred))) || (await tryPort(0));
}

async function waitForHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered on ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/**
 * @param {{ tools: object, port: number, userDataDir: string, extensionsDir: string, workspace: string, logFile?: string, env?: object, inheritOutput?: boolean }} options
 * @returns {Promise<{ url: string, workbenchUrl: string, pid: number, stop: () => Promise<void>, exited: Promise<number|null> }>}
 */
export async function startCodeServer({ tools, port, userDataDir, extensionsDir, workspace, logFile, env = {}, inheritOutput = false }) {
  const entry = realpathSync(tools.codeServerBin);
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    workspace,
  ];
  let out = 'ignore';
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    out = createWriteStream(logFile);
    await new Promise((r) => out.once('open', r));
  }
  // detached: its own process group, so stop() reaches the extension host and watchers too.
  const child = spawn(tools.nodeBin, args, {
    detached: true,
    stdio: ['ignore', inheritOutput ? 'inherit' : out, inheritOutput ? 'inherit' : out],
    env: node24Env(tools, { ...env, CS_DISABLE_GETTING_STARTED_OVERRIDE: '1' }),
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    };
    if (child.exitCode === null && child.signalCode === null) {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    kill('SIGKILL'); // stragglers of the group (extension host, watchers)
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(`${url}healthz`, 60000, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, workbenchUrl: `${url}?folder=${encodeURIComponent(workspace)}`, pid: child.pid, stop, exited };
}
