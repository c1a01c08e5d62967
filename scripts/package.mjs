#!/usr/bin/env node
// `npm run package [-- --target linux-x64] [-- --out file.vsix]`: the .vsix, offline.
//   1. a production build (minified, no source maps) into a staging folder; the extension
//      bundle carries better-sqlite3's JavaScript, so the package has no node_modules;
//   2. the native SQLite binaries into native/ as better_sqlite3-<platform>-<arch>-abi<N>.node,
//      the names the driver seam looks for (src/core/store/driver.ts): the project's own build
//      (for this Node's ABI), the Node 24 build of the editor tier (.tools/better-sqlite3), and
//      any *.node in LINEAGE_NATIVE_DIR named that way (e.g. Electron builds made in CI);
//      with --target only that platform's binaries;
//   3. a check that every image README.md shows by a relative path is in the package;
//   4. `vsce package --no-dependencies` in the staging folder (.vscodeignore applies there too).
// Staging keeps vsce from walking the project (.tools alone holds 600 MB of files).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const target = option('--target');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(option('--out') ?? join(root, `${pkg.name}-${pkg.version}${target ? `-${target}` : ''}.vsix`));
const say = (m) => process.stdout.write(`[package] ${m}\n`);

const TARGETS = {
  'win32-x64': ['win32', 'x64'],
  'win32-arm64': ['win32', 'arm64'],
  'linux-x64': ['linux', 'x64'],
  'linux-arm64': ['linux', 'arm64'],
  'linux-armhf': ['linux', 'arm'],
  'darwin-x64': ['darwin', 'x64'],
  'darwin-arm64': ['darwin', 'arm64'],
  'alpine-x64': ['linux', 'x64'],
  'alpine-arm64': ['linux', 'arm64'],
};
if (target && !TARGETS[target]) throw new Error(`unknown --target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);

/** Native binaries to ship: [file name the driver looks for, source path]. */
function nativeBinaries() {
  const found = new Map();
  const own = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(own)) found.set(`better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`, own);
  const tools = join(process.env.LINEAGE_TOOLS_DIR ?? join(root, '.tools'), 'better-sqlite3');
  if (existsSync(tools)) {
    for (const dir of readdirSync(tools)) {
      const m = /-abi(\d+)-/.exec(dir);
      const file = join(tools, dir, 'better_sqlite3.node');
      if (m && existsSync(file)) found.set(`better_sqlite3-linux-x64-abi${m[1]}.node`, file);
    }
  }
  const extra = process.env.LINEAGE_NATIVE_DIR;
  if (extra && existsSync(extra)) {
    for (const name of readdirSync(extra))
      if (/^better_sqlite3-[a-z0-9]+-[a-z0-9]+-abi\d+\.node$/.test(name)) found.set(name, join(extra, name));
  }
  const [platform, arch] = target ? TARGETS[target] : [];
  return [...found].filter(([name]) => !target || name.startsWith(`better_sqlite3-${platform}-${arch}-`));
}

/**
 * Every image README.md shows by a relative path (`![alt](path)` or `<img src="path">`) must be
 * in the package, as `vsce ls` lists it under .vscodeignore, or the extension's page shows a
 * broken image. Absolute URLs (https:, data:) are not checked.
 */
function checkReadmeImages(vsce, staging) {
  const packaged = new Set(
    execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: staging, encoding: 'utf8' })
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  );
  const readme = readFileSync(join(staging, 'README.md'), 'utf8');
  const images = [
    ...readme.matchAll(/!\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+["'][^"']*["'])?\s*\)|<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi),
  ].map((m) => m[1] ?? m[2]);
  const missing = images
    .filter((src) => !/^[a-z][a-z0-9+.-]*:/i.test(src))
    .filter((src) => !packaged.has(posix.normalize(decodeURI(src.split(/[?#]/)[0])).replace(/^(\.\/|\/)+/, '')));
  if (missing.length > 0) {
    throw new Error(
      `README.md shows images the .vsix does not carry: ${missing.join(', ')}. Link files that are packaged (media/walkthrough/) or absolute https:// URLs.`,
    );
  }
  say(`README images: ${images.length}, all in the package or absolute`);
}

mkdirSync(dirname(out), { recursive: true });
const staging = mkdtempSync(join(tmpdir(), 'lineage-package-'));
const started = Date.now();
try {
  say(`production build into ${staging}`);
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production', `--outdir=${join(staging, 'dist')}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(join(staging, 'dist', 'cli.js'), { force: true });
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore']) {
    if (existsSync(join(root, file))) copyFileSync(join(root, file), join(staging, file));
  }
  // The screenshots under media/screenshots are for the docs on the repository page, not the package.
  cpSync(join(root, 'media'), join(staging, 'media'), {
    recursive: true,
    filter: (src) => !/[\\/]media[\\/]screenshots([\\/]|$)|\.gitkeep$/.test(src),
  });
  mkdirSync(join(staging, 'native'));
  const natives = nativeBinaries();
  for (const [name, from] of natives) copyFileSync(from, join(staging, 'native', name));
  if (natives.length === 0) say('warning: no better-sqlite3 binary found; the extension will use node:sqlite where the runtime has it');
  // Walkthrough media named in package.json must be there.
  for (const step of (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps)) {
    for (const file of [step.media?.image, step.media?.markdown, step.media?.svg].filter((f) => typeof f === 'string')) {
      if (!existsSync(join(staging, file))) throw new Error(`walkthrough step ${step.id}: ${file} is missing`);
    }
  }
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  checkReadmeImages(vsce, staging);
  const args = [
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
    '--out',
    out,
    ...(target ? ['--target', target] : []),
  ];
  execFileSync(process.execPath, [vsce, ...args], { cwd: staging, stdio: ['ignore', 'inherit', 'inherit'] });
  const size = statSync(out).size;
  say(
    `${out}: ${(size / 1048576).toFixed(2)} MB (${size} bytes); native: ${natives.map(([n]) => n).join(', ') || 'none'}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(staging, { recursive: true, force: true });
}
