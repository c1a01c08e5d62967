// The command line before the command: global options and which command runs. Shared by
// main.ts and the tiny dispatcher that starts `lineage` (cli.ts), which uses it to load only
// the bundle of that command (esbuild.mjs builds one per entry of COMMAND_BUNDLES). No imports:
// the dispatcher must stay small.

export interface CommandLine {
  repo?: string;
  store?: string;
  /** --no-index: answer from the index as it is. */
  index: boolean;
  /** --debug anywhere on the line. */
  debug: boolean;
  /** The first word after the global options (undefined when there is none). */
  command?: string;
  rest: string[];
  /** An option that needs a value had none: its name. */
  missingValue?: string;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const line: CommandLine = { index: true, debug: argv.includes('--debug'), rest: [] };
  const args = argv.filter((a) => a !== '--debug');
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--repo' || a === '--store') {
      const v = args[++i];
      if (v === undefined) return { ...line, missingValue: a };
      if (a === '--repo') line.repo = v;
      else line.store = v;
    } else if (a.startsWith('--repo=')) line.repo = a.slice(7);
    else if (a.startsWith('--store=')) line.store = a.slice(8);
    else if (a === '--no-index') line.index = false;
    else break;
  }
  return { ...line, command: args[i], rest: args.slice(i + 1) };
}

/** The registry's commands (the keys of REGISTRY_HELP in registryCommand.ts; a test keeps them equal). */
export const REGISTRY_COMMANDS: readonly string[] = ['registry', 'register', 'assign', 'unassign', 'rollback', 'deprecate'];

/**
 * Which bundle serves a command word: commands sharing a module share a bundle. `base` (help,
 * --version, an unknown command, bad global options) holds no command at all.
 */
export const COMMAND_BUNDLES: Readonly<Record<string, string>> = {
  index: 'index',
  show: 'show',
  metrics: 'diff',
  params: 'diff',
  log: 'log',
  exps: 'exps',
  status: 'status',
  repro: 'repro',
  env: 'env',
  runs: 'runs',
  lineage: 'lineage',
  exp: 'exp',
  'demo-repo': 'demo',
  ...Object.fromEntries(REGISTRY_COMMANDS.map((c) => [c, 'registry'])),
};

export function bundleOf(argv: readonly string[]): string {
  const line = parseCommandLine(argv);
  if (line.missingValue || line.command === undefined || !Object.hasOwn(COMMAND_BUNDLES, line.command)) return 'base';
  return COMMAND_BUNDLES[line.command];
}
