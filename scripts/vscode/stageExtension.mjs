// Copies the built extension into an isolated extensions folder as
// `<publisher>.<name>-<version>`, the way VS Code lays out an installed extension: only what
// runs (package.json, dist/, media/, README.md) plus better-sqlite3's JavaScript and the
// binary compiled for the editor's Node ABI under native/ (src/core/store/driver.ts picks
// it). Nothing links back into the project, so the project's node_modules (built for the
// system Node) cannot leak in.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './tools.mjs';

export function extensionManifest() {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
}

export function extensionId() {
  const pkg = extensionManifest();
  return `${pkg.publisher}.${pkg.name}`;
}

/**
 * @param {{ extensionsDir: string, sqliteBinding: string, abi: string, platform?: string, arch?: string }} options
 * @returns {string} the staged extension folder
 */
export function stageExtension({ extensionsDir, sqliteBinding, abi, platform = 'linux', arch = 'x64' }) {
  const pkg = extensionManifest();
  if (!existsSync(join(projectRoot, pkg.main))) throw new Error(`${pkg.main} is missing: run npm run build first`);
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // Source maps stay: stack traces from the extension host then name src/ files.
  cpSync(join(projectRoot, 'package.json'), join(target, 'package.json'));
  cpSync(join(projectRoot, 'dist'), join(target, 'dist'), { recursive: true, filter: (src) => !/[\\/]cli\.js(\.map)?$/.test(src) });
  for (const optional of ['media', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (existsSync(join(projectRoot, optional))) cpSync(join(projectRoot, optional), join(target, optional), { recursive: true });
  }
  // better-sqlite3's JS (the binary comes from native/), and the two small packages its
  // default loader needs, so the driver's fallback fails with a clear message, not a crash.
  for (const dep of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    const from = join(projectRoot, 'node_modules', dep);
    if (!existsSync(from)) continue;
    const to = join(target, 'node_modules', dep);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    for (const entry of dep === 'better-sqlite3' ? ['lib', 'LICENSE'] : ['index.js', 'bindings.js', 'LICENSE']) {
      if (existsSync(join(from, entry))) cpSync(join(from, entry), join(to, entry), { recursive: true });
    }
  }
  mkdirSync(join(target, 'native'), { recursive: true });
  cpSync(sqliteBinding, join(target, 'native', `better_sqlite3-${platform}-${arch}-abi${abi}.node`));
  return target;
}

/**
 * A second, test-only extension that runs the mocha suites inside the extension host after
 * ML Lineage is active (src/ has no test hook; code-server does not load
 * extensionDevelopmentPath / extensionTestsPath). Its config.json says what to run and where
 * to write the results.
 * @param {{ extensionsDir: string, config: object }} options
 */
export function stageTestRunner({ extensionsDir, config }) {
  const target = join(extensionsDir, 'ml-lineage.lineage-test-runner-0.0.1');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const manifest = {
    name: 'lineage-test-runner',
    displayName: 'ML Lineage test runner (tests only)',
    publisher: 'ml-lineage',
    version: '0.0.1',
    private: true,
    engines: { vscode: '^1.90.0' },
    main: './main.js',
    activationEvents: ['onStartupFinished'],
    // No extensionDependencies on ML Lineage: if it failed to activate, VS Code would not
    // start the runner and the launcher would wait for nothing; the suites activate it and
    // report the error as a failing test instead.
    capabilities: { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true },
  };
  writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  cpSync(join(dirname(fileURLToPath(import.meta.url)), 'testRunnerExtension', 'main.js'), join(target, 'main.js'));
  writeFileSync(join(target, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // node scripts/vscode/stageExtension.mjs <extensions-dir>: stage the extension only.
  const { ensureTools } = await import('./tools.mjs');
  const tools = await ensureTools();
  const dir = resolve(process.argv[2] ?? join(projectRoot, '.tools', 'extensions'));
  console.log(stageExtension({ extensionsDir: dir, sqliteBinding: tools.sqliteBinding, abi: tools.abi }));
}
