// The real-VS-Code tier on a machine that can download VS Code (or has one: VSCODE_EXECUTABLE
// is the path to its executable). Where it cannot, test/vscode/runInCodeServer.mjs runs the
// same suites in code-server. Run: npm run build && npm run compile-tests &&
// node out/test/vscode/runTest.js
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const projectRoot = resolve(__dirname, '..', '..', '..');
  const tmp = mkdtempSync(join(tmpdir(), 'lineage-electron-'));
  try {
    const demo = join(tmp, 'ml-project');
    execFileSync(process.execPath, [join(projectRoot, 'dist', 'cli.js'), 'demo-repo', demo], { stdio: 'inherit' });
    const userDataDir = join(tmp, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    // ML Lineage declares untrustedWorkspaces: false, so a trust prompt would keep it inactive.
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
      }),
    );
    const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || (await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable'));
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: projectRoot,
      extensionTestsPath: join(__dirname, 'electronIndex'),
      launchArgs: [
        demo,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        join(tmp, 'extensions'),
      ],
      extensionTestsEnv: {
        LINEAGE_TEST_DEMO_REPO: demo,
        ...(process.env.LINEAGE_TEST_GREP ? { LINEAGE_TEST_GREP: process.env.LINEAGE_TEST_GREP } : {}),
      },
    });
    return 0;
  } catch (error) {
    console.error(`In-host tests failed: ${(error as Error).message}`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
