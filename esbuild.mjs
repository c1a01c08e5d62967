// Bundles the extension host code, the CLI and each webview. better-sqlite3 is a native
// addon and stays external; `vscode` is provided by the editor at run time.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --outdir=<dir>: where the bundles go (scripts/package.mjs builds into its staging folder).
const outdir = (process.argv.find((a) => a.startsWith('--outdir=')) ?? '--outdir=dist').slice('--outdir='.length);

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/main.ts'],
    outfile: `${outdir}/extension.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The .vsix has no node_modules: its bundle carries better-sqlite3's JavaScript, whose
    // binary the driver seam loads from native/ by path (src/core/store/driver.ts).
    external: production ? ['vscode'] : ['vscode', 'better-sqlite3'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: `${outdir}/cli.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: { js: '#!/usr/bin/env node' },
  },
];

// One browser bundle per webview folder (webview/<name>/main.ts).
if (existsSync('webview')) {
  for (const entry of readdirSync('webview', { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(`webview/${entry.name}/main.ts`)) {
      builds.push({
        ...common,
        entryPoints: [`webview/${entry.name}/main.ts`],
        outfile: `${outdir}/webview/${entry.name}.js`,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
      });
    }
  }
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
