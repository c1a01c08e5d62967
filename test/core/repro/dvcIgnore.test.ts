import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DvcIgnore, patternToRegex, rebaseRule } from '../../../src/core/repro/dvcIgnore';

const ROOT_RULES = [
  '# comment',
  '*.tmp',
  '!keep.tmp',
  '/anchored.txt',
  'build/',
  'docs/*.md',
  '**/deep/*.bin',
  'a/**/z.txt',
  '\\#hash.txt',
  '\\!bang.txt',
  '[abc].txt',
  '[!0-9]x.dat',
  'file?.log',
  'u?.txt',
  '*/',
  '  lead.txt  ',
  'bad[range',
];
const SUB_RULES = ['*.log', '/only_here.txt', 'nested/dir/', '!important.log', '**/x.y', 'mid/*.c'];

// [path, is a folder, ignored]: DvcIgnoreFilter.is_ignored_dir / is_ignored_file of dvc 3.67.1
// (pathspec 1.1.1) with the two .dvcignore files above (root and sub/). Note `*/` ignores
// nothing: DVC re.match()es pathspec's "/" regex against relative paths.
const EXPECTED: [string, boolean, boolean][] = [
  ['foo.tmp', false, true],
  ['dir/foo.tmp', false, true],
  ['keep.tmp', false, false],
  ['dir/keep.tmp', false, false],
  ['anchored.txt', false, true],
  ['dir/anchored.txt', false, false],
  ['build', true, true],
  ['build', false, false],
  ['x/build', true, true],
  ['build/out.o', false, true],
  ['docs/a.md', false, true],
  ['docs/x/a.md', false, false],
  ['x/docs/a.md', false, false],
  ['deep/a.bin', false, true],
  ['q/deep/a.bin', false, true],
  ['deep/x/a.bin', false, false],
  ['a/z.txt', false, true],
  ['a/b/c/z.txt', false, true],
  ['b/a/z.txt', false, false],
  ['#hash.txt', false, true],
  ['!bang.txt', false, true],
  ['a.txt', false, true],
  ['b.txt', false, true],
  ['d.txt', false, false],
  ['[abc].txt', false, false],
  ['1x.dat', false, false],
  ['ax.dat', false, true],
  ['file1.log', false, true],
  ['file12.log', false, false],
  ['u😀.txt', false, true],
  ['u😀😀.txt', false, false],
  ['lead.txt', false, true],
  ['x/lead.txt', false, true],
  ['bad[range', false, false],
  ['some/dir', true, false],
  ['some/file', false, false],
  ['sub/a.log', false, true],
  ['sub/deeper/a.log', false, true],
  ['a.log', false, false],
  ['sub/important.log', false, false],
  ['sub/only_here.txt', false, true],
  ['sub/d/only_here.txt', false, false],
  ['only_here.txt', false, false],
  ['sub/nested/dir', true, true],
  ['sub/nested/dir/f', false, true],
  ['sub/nested/dir', false, false],
  ['sub/x/nested/dir', true, false],
  ['sub/q/x.y', false, true],
  ['sub/x.y', false, true],
  ['x.y', false, false],
  ['sub/mid/a.c', false, true],
  ['sub/q/mid/a.c', false, false],
  ['mid/a.c', false, false],
  ['.git', true, true],
  ['.git', false, true],
  ['x/.git', false, true],
  ['x/.git/config', false, true],
  ['.dvc', true, true],
  ['.dvc', false, false],
  ['x/.dvc/config', false, true],
  ['.hg/x', false, true],
  ['.hg', false, false],
];

describe('repro/dvcIgnore: .dvcignore as DVC applies it', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-dvcignore-'));
    writeFileSync(join(root, '.dvcignore'), ROOT_RULES.join('\n') + '\n');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', '.dvcignore'), SUB_RULES.join('\r\n') + '\r\n');
    mkdirSync(join(root, 'sr', '.dvc'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('decides every path of the table like DVC', () => {
    const ignore = new DvcIgnore(root);
    const wrong = EXPECTED.filter(([path, isDir, expected]) => ignore.isIgnored(path, isDir) !== expected);
    assert.deepEqual(wrong, []);
  });

  it('ignores DVC sub-repositories (a folder holding .dvc) and everything in them', () => {
    const ignore = new DvcIgnore(root);
    assert.equal(ignore.isIgnored('sr', true), true);
    assert.equal(ignore.isIgnored('sr/data.csv', false), true);
    assert.equal(ignore.isIgnored('srx/data.csv', false), false);
  });

  it('rebases a subfolder rule like dvc.pathspec_math.change_rule', () => {
    // Values printed by change_rule(rule, 'sub/d') in dvc 3.67.1.
    const cases: [string, string][] = [
      ['*.log', 'sub/d/**/*.log'],
      ['/only_here.txt', 'sub/d/only_here.txt'],
      ['nested/dir/', 'sub/d/nested/dir/'],
      ['!important.log', '!/sub/d/**/important.log'],
      ['**/x.y', 'sub/d/**/x.y'],
      ['mid/*.c', 'sub/d/mid/*.c'],
      ['logs/', 'sub/d/**/logs/'],
      ['!/a/b', '!/sub/d/a/b'],
      ['\\#x', 'sub/d/**/#x'],
      ['foo/**', 'sub/d/foo/**'],
    ];
    for (const [rule, expected] of cases) assert.equal(rebaseRule(rule, 'sub/d'), expected, rule);
  });

  it('drops blank lines, comments and rules with an unterminated range, like pathspec', () => {
    assert.equal(patternToRegex(''), undefined);
    assert.equal(patternToRegex('# note'), undefined);
    assert.equal(patternToRegex('/'), undefined);
    assert.equal(patternToRegex('bad[range'), undefined);
    assert.deepEqual(patternToRegex('!x'), ['^(?:[^\\n]+/)?x(?:/|(?=\\n?$))', false]);
  });

  it('does not read a .dvcignore that an outer rule ignores (dvc 3.67.1 agrees)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-dvcignore2-'));
    try {
      writeFileSync(join(dir, '.dvcignore'), 'inner/.dvcignore\n');
      mkdirSync(join(dir, 'inner'));
      writeFileSync(join(dir, 'inner', '.dvcignore'), '*.csv\n');
      assert.equal(new DvcIgnore(dir).isIgnored('inner/a.csv', false), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
