// `lineage` (dist/cli.js): loads the bundle that holds the command on the line. esbuild.mjs
// builds one bundle per command group (commandLine.ts), so starting a command compiles only
// that command's code, not every command's.

import { join } from 'node:path';
import { bundleOf } from './commandLine';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is chosen at run time
require(join(__dirname, 'cli', `${bundleOf(process.argv.slice(2))}.js`));
