// The CLI is one bundle per command group (esbuild.mjs), picked by dist/cli.js from the command
// line: every command reaches the bundle that holds it, and a bundle holds only its own command.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleOf, COMMAND_BUNDLES, parseCommandLine, REGISTRY_COMMANDS } from '../../src/cli/commandLine';
import { REGISTRY_HELP } from '../../src/cli/registryCommand';
import { REPO_ROOT, runCli } from '../helpers/runCli';

const bundleFile = (name: string) => path.join(REPO_ROOT, 'dist', 'cli', `${name}.js`);

describe('CLI bundles', () => {
  it('routes each command line to the bundle holding its command', () => {
    assert.equal(bundleOf(['show']), 'show');
    assert.equal(bundleOf(['--repo', 'x', '--store=y', '--no-index', 'metrics', 'diff', 'HEAD']), 'diff');
    assert.equal(bundleOf(['params', '--help']), 'diff');
    assert.equal(bundleOf(['--debug', 'exps', '--json']), 'exps');
    assert.equal(bundleOf(['assign', 'model', 'prod']), 'registry');
    assert.equal(bundleOf(['demo-repo', 'dir']), 'demo');
    for (const line of [[], ['--help'], ['help'], ['--version'], ['--repo'], ['bogus'], ['toString'], ['--repo', 'show']])
      assert.equal(bundleOf(line), 'base', JSON.stringify(line));
  });

  it('parses global options as main does', () => {
    assert.deepEqual(parseCommandLine(['--repo', 'r', '--debug', 'show', '-a']), {
      index: true,
      debug: true,
      repo: 'r',
      command: 'show',
      rest: ['-a'],
    });
    assert.deepEqual(parseCommandLine(['--store']), { index: true, debug: false, rest: [], missingValue: '--store' });
  });

  it('knows the registry commands registryCommand.ts serves', () => {
    assert.deepEqual([...REGISTRY_COMMANDS].sort(), Object.keys(REGISTRY_HELP).sort());
  });

  it("builds every bundle, the demo generators only into demo-repo's", () => {
    const names = new Set(['base', ...Object.values(COMMAND_BUNDLES)]);
    for (const name of names) {
      assert.ok(existsSync(bundleFile(name)), `${bundleFile(name)} is missing (npm run build)`);
      const text = readFileSync(bundleFile(name), 'utf8');
      assert.equal(text.includes('// src/demo/'), name === 'demo', `${name}: demo generators`);
      assert.equal(text.includes('// src/cli/showCommand.ts'), name === 'show', `${name}: the show command`);
    }
  });

  it("every command's --help comes from the bundle that holds it", () => {
    for (const command of [...Object.keys(COMMAND_BUNDLES)]) {
      const r = runCli([command, '--help']);
      assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: lineage ${command}\\b`), command);
    }
  });

  it('answers help, version and errors from the base bundle', () => {
    assert.equal(runCli(['--version']).stdout, '0.1.0\n');
    assert.match(runCli(['--help']).stdout, /^Usage: lineage /);
    const unknown = runCli(['bogus']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "bogus"/);
    assert.match(runCli(['--repo']).stderr, /--repo needs a value/);
    assert.match(runCli(['assign', '--help']).stdout, /^Usage: lineage assign/);
    assert.match(runCli(['params', '--help']).stdout, /^Usage: lineage params diff/);
  });
});
