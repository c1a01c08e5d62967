// The `lineage` program: the entry of each CLI bundle (dist/cli/<group>.js, see esbuild.mjs),
// which dist/cli.js picks by the command on the line.

import { main, reportError } from './main';
import { guardTerminalOutput } from './terminal';

const argv = process.argv.slice(2);
// Every command's --json is its whole stdout; anything else written is for a person.
guardTerminalOutput({ json: argv.includes('--json') });
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = reportError(error);
  },
);
