// The model registry from the editor, in a real extension host on the demo repository: the
// Models view's commands (given arguments, as other commands and scripts call them: quick picks
// cannot be answered in-host) register a version of `classifier` on HEAD, promote it to prod,
// roll prod back, and open its Lineage Card. What they write is read back with git (GTO's tag
// names and messages) and through the Models tree. The demo's registry is shared with the
// suites and visual checks that follow: every tag made here is deleted at the end.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { LineageTestApi } from '../../../src/extension/testApi';
import type { ModelNode } from '../../../src/extension/models/modelNodeTypes';
import type { RegistryWriteResult } from '../../../src/core/registry/types';
import { activateLineage, childItems, demoFolder, eventually, labelOf, lineageApi, type TreeProvider } from './inHost';

type Api = Pick<LineageTestApi, 'modelsTree' | 'lineageCards' | 'whenIndexed' | 'refresh'>;
interface TagRow {
  name: string;
  commit: string;
  subject: string;
}
type VersionNode = Extract<ModelNode, { kind: 'version' }>;

const MODEL = 'classifier';

describe('Model registry from the editor (register, promote, roll back, lineage card)', function () {
  this.timeout(60000);
  let api: Api;
  let tagsBefore: Set<string>;
  const git = (...args: string[]) => execFileSync('git', ['-C', demoFolder().uri.fsPath, ...args], { encoding: 'utf8' });
  const tags = (): TagRow[] =>
    git('for-each-ref', '--sort=creatordate', '--format=%(refname:strip=2)%09%(*objectname)%09%(contents:subject)', 'refs/tags')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, commit, subject] = line.split('\t');
        return { name, commit, subject };
      });
  const newTags = () => tags().filter((t) => !tagsBefore.has(t.name));
  const folder = () => demoFolder().uri.toString();
  const run = <T>(command: string, args: object) => Promise.resolve(vscode.commands.executeCommand<T>(command, args));

  /** The Models view's version nodes of `classifier`, as the tree builds them now. */
  async function versions(): Promise<{ node: VersionNode; item: vscode.TreeItem }[]> {
    const tree = api.modelsTree as unknown as TreeProvider<ModelNode>;
    const model = (await childItems(tree)).find((r) => labelOf(r.item) === MODEL);
    assert.ok(model, `no ${MODEL} in the Models view`);
    return (await childItems(tree, model.node)).filter((r): r is { node: VersionNode; item: vscode.TreeItem } => r.node.kind === 'version');
  }
  const holders = async (stage: string) =>
    (await versions()).filter((v) => v.node.version.stages.includes(stage)).map((v) => v.node.version.version);
  const commitOf = async (version: string) => (await versions()).find((v) => v.node.version.version === version)!.node.version.commit;
  /** The next GTO counter for the model: its `#` tags are numbered across all its stages. */
  const nextCounter = () =>
    1 +
    Math.max(
      0,
      ...tags()
        .map((t) => new RegExp(`^${MODEL}#[^#]+#(\\d+)$`).exec(t.name)?.[1])
        .filter(Boolean)
        .map(Number),
    );

  before(async function () {
    await activateLineage();
    const found = await lineageApi<Api>('modelsTree', 'lineageCards');
    if (!found) return this.skip();
    api = found as Api;
    await api.whenIndexed!();
    tagsBefore = new Set(tags().map((t) => t.name));
  });

  after(async () => {
    if (!tagsBefore) return;
    for (const panel of api.lineageCards()) panel.panel.dispose();
    const made = newTags().map((t) => t.name);
    if (made.length) git('tag', '-d', ...made);
    api.modelsTree.refresh();
    await api.refresh();
  });

  it('the demo registry: prod v1.1.0, staging and champion v1.2.0, legacy-classifier deprecated', async () => {
    assert.deepEqual(await holders('prod'), ['v1.1.0']);
    assert.deepEqual(await holders('staging'), ['v1.2.0']);
    assert.deepEqual(await holders('champion'), ['v1.2.0']);
    const roots = await childItems(api.modelsTree as unknown as TreeProvider<ModelNode>);
    const legacy = roots.find((r) => labelOf(r.item) === 'legacy-classifier');
    assert.ok(legacy, `no legacy-classifier in ${JSON.stringify(roots.map((r) => labelOf(r.item)))}`);
    assert.equal(legacy.item.description, 'deprecated');
    assert.ok(!tags().some((t) => t.name === `${MODEL}@v1.3.0`), 'the demo has classifier v1.3.0 already');
  });

  it('Register New Version… on HEAD writes classifier@v1.3.0 as GTO does, and the tree shows it', async () => {
    const head = git('rev-parse', 'HEAD').trim();
    const result = await vscode.commands.executeCommand<RegistryWriteResult>('lineage.registerModelVersion', {
      folder: folder(),
      artifact: MODEL,
      version: 'v1.3.0',
      rev: 'HEAD',
    });
    assert.deepEqual(result?.actions, [`${MODEL}@v1.3.0`]);
    assert.deepEqual(newTags(), [{ name: `${MODEL}@v1.3.0`, commit: head, subject: `Registering artifact ${MODEL} version v1.3.0` }]);
    assert.equal(git('cat-file', '-t', `refs/tags/${MODEL}@v1.3.0`).trim(), 'tag', 'GTO reads annotated tags only');
    const row = await eventually(
      async () => (await versions()).find((v) => v.node.version.version === 'v1.3.0'),
      'v1.3.0 in the Models view',
    );
    assert.equal(row.node.version.commit, head);
    assert.deepEqual(row.node.version.stages, []);
    assert.equal(labelOf(row.item), 'v1.3.0');
    assert.equal(row.item.description, head.slice(0, 8));
    // Newest first, by semver.
    assert.equal((await versions())[0].node.version.version, 'v1.3.0');
  });

  it('Promote to… prod unassigns the previous holder first (one version per stage), then assigns', async () => {
    const counter = nextCounter();
    const previous = await commitOf('v1.1.0');
    const head = git('rev-parse', 'HEAD').trim();
    const result = await vscode.commands.executeCommand<RegistryWriteResult>('lineage.promoteModelVersion', {
      folder: folder(),
      artifact: MODEL,
      version: 'v1.3.0',
      stage: 'prod',
    });
    const expected = [
      { name: `${MODEL}#prod!#${counter}`, commit: previous, subject: `Unassigning stage 'prod' to artifact '${MODEL}' version 'v1.1.0'` },
      { name: `${MODEL}#prod#${counter + 1}`, commit: head, subject: `Assigning stage prod to artifact ${MODEL} version v1.3.0` },
    ];
    assert.deepEqual(
      result?.actions,
      expected.map((t) => t.name),
    );
    assert.deepEqual(
      newTags().filter((t) => t.name.includes('#')),
      expected,
    );
    await eventually(async () => JSON.stringify(await holders('prod')) === '["v1.3.0"]', 'prod on v1.3.0 alone in the Models view');
    const rows = await versions();
    const v13 = rows.find((v) => v.node.version.version === 'v1.3.0')!;
    assert.equal(v13.item.description, `prod  ${head.slice(0, 8)}`);
    assert.match(String(v13.item.contextValue), /\bstaged\b/);
    // Archived: v1.1.0 holds nothing any more (it had staging before v1.2.0 took it).
    const v11 = rows.find((v) => v.node.version.version === 'v1.1.0')!;
    assert.deepEqual(v11.node.version.stages, []);
    assert.equal(v11.item.description, previous.slice(0, 8));
    // The other stages are untouched.
    assert.deepEqual(await holders('staging'), ['v1.2.0']);
    assert.deepEqual(await holders('champion'), ['v1.2.0']);
  });

  it('Roll Back prod gives it back to v1.1.0 and unassigns v1.3.0', async () => {
    const counter = nextCounter();
    const head = git('rev-parse', 'HEAD').trim();
    const previous = await commitOf('v1.1.0');
    const result = await vscode.commands.executeCommand<RegistryWriteResult>('lineage.rollbackModelStage', {
      folder: folder(),
      artifact: MODEL,
      stage: 'prod',
    });
    assert.match(result?.message ?? '', /^Rolled classifier prod back to v1\.1\.0 \(from v1\.3\.0\)/);
    const expected = [
      { name: `${MODEL}#prod!#${counter}`, commit: head, subject: `Unassigning stage 'prod' to artifact '${MODEL}' version 'v1.3.0'` },
      { name: `${MODEL}#prod#${counter + 1}`, commit: previous, subject: `Assigning stage prod to artifact ${MODEL} version v1.1.0` },
    ];
    assert.deepEqual(
      result?.actions,
      expected.map((t) => t.name),
    );
    assert.deepEqual(newTags().slice(-2), expected);
    await eventually(async () => JSON.stringify(await holders('prod')) === '["v1.1.0"]', 'prod back on v1.1.0 in the Models view');
    const v13 = (await versions()).find((v) => v.node.version.version === 'v1.3.0')!;
    assert.deepEqual(v13.node.version.stages, []);
    assert.ok(!/\bstaged\b/.test(String(v13.item.contextValue)));
  });

  it('bad arguments are refused with a clear error, before any tag is written', async () => {
    const count = tags().length;
    await assert.rejects(
      run('lineage.promoteModelVersion', { folder: folder(), artifact: MODEL, version: 'v1.3.0', stage: '--force' }),
      /stage/i,
    );
    await assert.rejects(run('lineage.promoteModelVersion', { folder: folder(), artifact: MODEL, stage: 'prod' }), /pass "version"/);
    await assert.rejects(
      run('lineage.registerModelVersion', { folder: folder(), artifact: MODEL, version: 'v1.4.0', rev: '-n' }),
      /invalid revision/,
    );
    await assert.rejects(run('lineage.registerModelVersion', { folder: 'file:///nowhere', artifact: MODEL }), /no workspace folder/);
    await assert.rejects(
      run('lineage.promoteModelVersion', { folder: folder(), artifact: 'legacy-classifier', version: 'v0.2.0', stage: 'prod' }),
      /deprecated/,
    );
    assert.equal(tags().length, count);
  });

  it('Show Lineage on the new version opens its card: five questions answered', async () => {
    const head = git('rev-parse', 'HEAD').trim();
    const row = (await versions()).find((v) => v.node.version.version === 'v1.3.0')!;
    // The Models view's context menu passes the version node itself.
    await vscode.commands.executeCommand('lineage.showLineage', row.node);
    const panel = await eventually(
      () => api.lineageCards().find((p) => p.source.title === `${MODEL} v1.3.0`),
      'a Lineage Card panel for classifier v1.3.0',
    );
    await panel.ready;
    const { view, markdown } = await eventually(() => panel.postedState(), 'the card posted to the webview', 30000);
    assert.equal(panel.panel.title, `Lineage: ${MODEL} v1.3.0`);
    assert.equal(view.title, `${MODEL} v1.3.0`);
    assert.deepEqual(
      view.sections.map((s) => s.question),
      ['code', 'data', 'hyperparameters', 'metrics', 'environment'],
    );
    assert.deepEqual(
      view.sections.filter((s) => !s.answered).map((s) => `${s.title}: ${s.missing?.reason}`),
      [],
    );
    assert.equal(view.total, 5);
    assert.equal(view.answered, 5);
    assert.match(view.completeness, /^5 of 5 answered/);
    assert.ok(
      view.facts.some((f) => f.includes(head.slice(0, 8))),
      JSON.stringify(view.facts),
    );
    const code = JSON.stringify(view.sections[0].tables);
    assert.ok(code.includes(head), `the Code section does not name ${head}: ${code.slice(0, 300)}`);
    // Metrics compare with the previous version, v1.2.0.
    assert.match(view.sections[3].title + JSON.stringify(view.sections[3].tables), /v1\.2\.0/);
    assert.match(markdown, /classifier v1\.3\.0/);
    assert.deepEqual(view.problems, []);
  });
});
