// extensionTestsPath for @vscode/test-electron (runTest.ts): VS Code calls run() inside the
// extension host; it runs the same suites code-server runs through the test-runner extension.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: true });
  if (process.env.LINEAGE_TEST_GREP) mocha.grep(process.env.LINEAGE_TEST_GREP);
  const suites = join(__dirname, 'suites');
  for (const file of readdirSync(suites, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(suites, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host tests failed`)) : resolve()));
  });
}
