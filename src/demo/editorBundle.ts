// Entry of dist/demo.js: the demo repository writer the editor loads on demand (its "Create
// Demo Repository" command, src/extension/demoGenerator.ts), bundled apart from the extension.
export { generateDemoRepo as writeDemoRepository } from './demoRepo';
