// The demo repository generator ships as its own bundle (dist/demo.js from src/demo/editorBundle.ts), loaded
// only when "Create Demo Repository" runs: its training scripts, data and run writers stay out
// of the extension bundle every activation loads. The CLI and the tests import src/demo directly.
import * as path from 'node:path';

/** What the command reports of a written demo repository (a subset of src/demo's DemoRepoInfo). */
export interface DemoSummary {
  dir: string;
  commitCount: number;
  branches: string[];
  expRefs: unknown[];
}

export type DemoGenerator = (dir: string) => Promise<DemoSummary>;

/** The generator of the demo bundle beside the extension bundle; throws when the bundle is missing. */
export function loadDemoGenerator(extensionRoot: string): DemoGenerator {
  const file = path.join(extensionRoot, 'dist', 'demo.js');
  // A path computed at run time: the bundler leaves this require alone, so the generator is not bundled here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { writeDemoRepository?: DemoGenerator };
  if (typeof loaded.writeDemoRepository !== 'function') throw new Error(`${file} does not export the demo generator`);
  return loaded.writeDemoRepository;
}
