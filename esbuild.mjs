// Bundles the extension host code, the CLI and each webview. better-sqlite3 is a native
// addon and stays external; `vscode` is provided by the editor at run time.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';

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
    // The demo repository generator, loaded by the extension only when "Create Demo Repository"
    // runs (src/extension/demoGenerator.ts), so dist/extension.js does not carry it.
    ...common,
    entryPoints: ['src/demo/editorBundle.ts'],
    outfile: `${outdir}/demo.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // `lineage`: a small dispatcher that loads the bundle of the command on the line.
    ...common,
    entryPoints: ['src/cli/cli.ts'],
    outfile: `${outdir}/cli.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

// One CLI bundle per command group (src/cli/commandLine.ts COMMAND_BUNDLES, plus `base` for help
// and errors): main.ts leaves out every other group's code under LINEAGE_CLI_BUNDLE, so a warm
// command compiles only what it uses. Whole bundles rather than shared chunks: esbuild splits
// only ES modules, whose loader cost more start-up time than the code it saved.
const CLI_BUNDLES = [
  'base',
  'index',
  'show',
  'diff',
  'log',
  'exps',
  'status',
  'repro',
  'env',
  'runs',
  'lineage',
  'exp',
  'registry',
  'demo',
];

// Code that runs only when there is work to do (the full index run, the MLflow and W&B readers)
// is imported dynamically; in the CLI each such module is a bundle of its own under cli/lazy/,
// required on first use, so a warm command does not even compile it. A lazy bundle carries its
// own copy of what it shares with the command: nothing crosses between the two by class except
// GitError, which main.ts recognises by name.
const CLI_LAZY = {
  'src/core/indexer/indexRun.ts': 'indexRun',
  'src/core/mlflow/mlflowFileStore.ts': 'mlflowFileStore',
  'src/core/mlflow/mlflowSqlite.ts': 'mlflowSqlite',
  'src/core/mlflow/mlflowRest.ts': 'mlflowRest',
  'src/core/wandb/wandbRuns.ts': 'wandbRuns',
  'src/core/git/brancher.ts': 'brancher',
};
const lazyModules = (self) => ({
  name: 'lineage-cli-lazy',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = CLI_LAZY[`${relative('.', resolve(args.resolveDir, args.path)).split('\\').join('/')}.ts`];
      if (!name || name === self) return undefined;
      return { path: self ? `./${name}.js` : `./lazy/${name}.js`, external: true };
    });
  },
});
const cliOptions = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'warning' };
for (const name of CLI_BUNDLES) {
  builds.push({
    ...cliOptions,
    entryPoints: ['src/cli/bin.ts'],
    outfile: `${outdir}/cli/${name}.js`,
    define: { 'process.env.LINEAGE_CLI_BUNDLE': JSON.stringify(name) },
    plugins: [lazyModules()],
  });
}
for (const [entry, name] of Object.entries(CLI_LAZY)) {
  builds.push({ ...cliOptions, entryPoints: [entry], outfile: `${outdir}/cli/lazy/${name}.js`, plugins: [lazyModules(name)] });
}

/** Files in the CLI's folder that no bundle writes any more (an earlier layout's) are removed. */
function pruneCli() {
  const files = (dir, names) => new Set(['lazy', ...names.flatMap((name) => [`${name}.js`, `${name}.js.map`])]);
  for (const [dir, current] of [
    [`${outdir}/cli`, files('cli', CLI_BUNDLES)],
    [`${outdir}/cli/lazy`, files('lazy', Object.values(CLI_LAZY))],
  ]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) if (!current.has(entry)) rmSync(`${dir}/${entry}`, { recursive: true, force: true });
  }
}

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
  pruneCli();
}
