// The README's "main job": build the demo ML repository, index it, and show what the
// engine answers about it. Everything runs through the real CLI (dist/cli.js).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.demo/ml-project');
const cli = resolve('dist/cli.js');
const run = (args, title) => {
  process.stdout.write(`\n$ lineage ${args.join(' ')}${title ? `    # ${title}` : ''}\n`);
  process.stdout.write(execFileSync(process.execPath, [cli, '--repo', dir, ...args], { encoding: 'utf8' }));
};

if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
process.stdout.write(execFileSync(process.execPath, [cli, 'demo-repo', dir], { encoding: 'utf8' }));
run(['index'], 'cold index of the whole history');
run(['index'], 'incremental: nothing new');
run(['exps'], 'DVC experiments by baseline');
const exp = execFileSync('git', ['-C', dir, 'for-each-ref', '--count=1', '--format=%(refname)', 'refs/exps'], { encoding: 'utf8' }).trim();
run(['metrics', 'diff', 'main', exp], 'main vs an experiment');
run(['metrics', 'diff', 'main', exp, '--json'], 'the same, as DVC prints it');
run(['params', 'diff', 'v1.0.0', 'main', '--md'], 'a pull-request comment');
run(['log', '--metric', 'accuracy', '-n', '8'], 'one metric along main');
process.stdout.write(`\nThe demo repository is at ${dir}; open it in VS Code with the extension installed.\n`);
