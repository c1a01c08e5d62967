import { strict as assert } from 'node:assert';
import { describeLoops, folderUnder, groupEdges, loops, readTree, reachable, type SourceFile } from './importGraph';

// The layers (docs/architecture.md): the adapters (src/cli, src/extension) reach the engine
// through src/core/workspace, and otherwise only through pure modules: code that reads no
// file, runs no process and touches no store. Core folders import each other without a loop.

const files = readTree('src', 'webview');
const all = [...files.values()];

/** Packages that do I/O: a module reaching one of them is not pure. */
const IO_PACKAGES = new Set([
  'fs',
  'node:fs',
  'node:fs/promises',
  'fs/promises',
  'child_process',
  'node:child_process',
  'better-sqlite3',
  'node:sqlite',
  'simple-git',
  'node:net',
  'node:http',
  'node:https',
]);
/** The index itself: a module reaching it reads or writes the store, whatever it imports. */
const IO_FOLDERS = ['src/core/store/'];

function impurity(path: string): string | undefined {
  for (const reached of reachable(files, path)) {
    const io = IO_FOLDERS.find((f) => reached.startsWith(f));
    if (io) return `${reached} (${io.slice(0, -1)})`;
    const pkg = files.get(reached)?.packages.find((p) => IO_PACKAGES.has(p));
    if (pkg) return `${reached} imports ${pkg}`;
  }
  return undefined;
}

/** What an adapter file imports from core that is neither the seam nor pure, with why. */
function seamViolations(adapterFiles: SourceFile[]): string[] {
  return adapterFiles.flatMap((file) =>
    file.imports
      .filter((target) => target.startsWith('src/core/'))
      .flatMap((target) => {
        if (target === 'src/core/workspace/internal.ts') return [`${file.path} -> ${target} (the store behind the seam)`];
        if (target.startsWith('src/core/workspace/')) return [];
        const why = impurity(target);
        return why ? [`${file.path} -> ${target}: reaches ${why}`] : [];
      }),
  );
}

const SQL = /\.(sql|prepare|exec)\(\s*[`'"]|[`'"]\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b/;
const adapters = all.filter((f) => f.path.startsWith('src/cli/') || f.path.startsWith('src/extension/'));

describe('layers', () => {
  it('the CLI and the extension reach core only through src/core/workspace and pure modules', () => {
    assert.deepEqual(seamViolations(adapters), []);
  });

  it('no SQL in the CLI or the extension', () => {
    assert.deepEqual(
      adapters.filter((f) => SQL.test(f.text)).map((f) => f.path),
      [],
    );
  });

  it('the extension runs no process and no git of its own', () => {
    const offenders = adapters
      .filter((f) => f.path.startsWith('src/extension/'))
      .flatMap((f) => f.packages.filter((p) => /^(node:)?child_process$|^simple-git$/.test(p)).map((p) => `${f.path} imports ${p}`));
    assert.deepEqual(offenders, []);
  });

  it('the demo and synthetic generators are not in the extension bundle, and core does not import them', () => {
    const fromExtension = [...reachable(files, 'src/extension/main.ts')].filter((p) => p.startsWith('src/demo/'));
    const fromCore = all
      .filter((f) => f.path.startsWith('src/core/'))
      .flatMap((f) => f.imports.filter((t) => t.startsWith('src/demo/')).map((t) => `${f.path} -> ${t}`));
    assert.deepEqual([...fromExtension, ...fromCore], []);
  });

  it('src/core imports neither adapter', () => {
    const offenders = all
      .filter((f) => f.path.startsWith('src/core/'))
      .flatMap((f) => f.imports.filter((t) => t.startsWith('src/cli/') || t.startsWith('src/extension/')).map((t) => `${f.path} -> ${t}`));
    assert.deepEqual(offenders, []);
  });

  it('no import loop between the folders of src/core', () => {
    assert.deepEqual(describeLoops(groupEdges(all, folderUnder('src/core'))), []);
  });

  it('no import loop between the files of src/core', () => {
    assert.deepEqual(describeLoops(groupEdges(all, (p) => (p.startsWith('src/core/') ? p : undefined))), []);
  });

  // main.ts wires everything together; these files are the parts of that wiring kept beside it.
  const COMPOSITION = new Set(['main.ts', 'testApi.ts', 'registerCharts.ts', 'registerEditorFeatures.ts'].map((f) => `src/extension/${f}`));

  it('no import loop between the folders of src/extension (its own files count as one more folder, the wiring aside)', () => {
    const folder = folderUnder('src/extension');
    assert.deepEqual(describeLoops(groupEdges(all, (p) => (COMPOSITION.has(p) ? undefined : folder(p)))), []);
  });

  it('no import loop between the files of src/extension', () => {
    assert.deepEqual(describeLoops(groupEdges(all, (p) => (p.startsWith('src/extension/') ? p : undefined))), []);
  });

  it('a webview page imports no other page: what several use is in webview/shared, which uses no page', () => {
    const page = folderUnder('webview');
    const crossing = all
      .filter((f) => f.path.startsWith('webview/'))
      .flatMap((f) =>
        f.imports
          .filter((t) => page(t) !== undefined && page(t) !== page(f.path) && page(t) !== 'webview/shared')
          .map((t) => `${f.path} -> ${t}`),
      );
    assert.deepEqual(crossing, []);
  });

  describe('the checks can fail', () => {
    const fake = (path: string, imports: string[], packages: string[] = [], text = ''): SourceFile => ({ path, imports, packages, text });

    it('a loop between two folders is found', () => {
      const tree = [
        fake('src/core/a/x.ts', ['src/core/b/y.ts']),
        fake('src/core/b/y.ts', ['src/core/a/z.ts']),
        fake('src/core/a/z.ts', []),
      ];
      assert.equal(loops(groupEdges(tree, folderUnder('src/core'))).length, 1);
      assert.equal(loops(groupEdges(tree, (p) => p)).length, 0, 'no file loop there');
    });

    it('an adapter importing the store, or a module that reaches git, is named', () => {
      const store = files.get('src/core/store/store.ts');
      assert.ok(store, 'the store module exists where the rule looks for it');
      assert.equal(seamViolations([fake('src/cli/x.ts', ['src/core/store/store.ts'])]).length, 1);
      assert.equal(seamViolations([fake('src/cli/x.ts', ['src/core/query/revisions.ts'])]).length, 1, 'query/revisions runs git rev-parse');
      assert.equal(seamViolations([fake('src/cli/x.ts', ['src/core/workspace/internal.ts'])]).length, 1);
      assert.deepEqual(seamViolations([fake('src/cli/x.ts', ['src/core/diff/format.ts', 'src/core/workspace/values.ts'])]), []);
    });

    it('SQL in an adapter is seen', () => {
      assert.ok(SQL.test("store.sql('SELECT 1')"));
      assert.ok(SQL.test('const q = `SELECT sha FROM revision`'));
      assert.ok(!SQL.test("'Select a revision to compare'"));
    });
  });
});
