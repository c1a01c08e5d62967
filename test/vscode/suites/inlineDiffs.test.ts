// Inline diffs in params/metrics editors, the status bar and the badges, on the demo repository
// in a real extension host. Expected values come from elsewhere: the Metric Diff's rows (the
// index and diff core), `git show` of the baseline's files and a history walk with git itself;
// the hint texts are spelled out here, not produced by the extension's formatters.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  closeMetricDiffTabs,
  demoFolder,
  eventually,
  findTab,
  isMetricDiffTab,
  lineageApi,
  setLineageSetting,
  type DiffRowLike,
  type DiffStateLike,
  type LineageApi,
  type TreeProvider,
} from './inHost';
import type { EditorFeaturesTestApi } from '../../../src/extension/registerEditorFeatures';
import type { RenderedState } from '../../../src/extension/inline/inlineDecorations';

type Api = Omit<LineageApi, 'runsTree'> & {
  editor: EditorFeaturesTestApi;
  runsTree: TreeProvider<{ kind: string; key?: string; label?: string }>;
};

const root = () => demoFolder().uri.fsPath;
const git = (...args: string[]) => execFileSync('git', ['-C', root(), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const uriOf = (rel: string) => vscode.Uri.file(join(root(), rel));

/** DVC's table rounding, written out: 5 decimals, trailing zeros dropped. */
const num = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(5)) || v.toPrecision(3)));
const deltaText = (d: number) => (d > 0 ? `▲ +${num(d)}` : `▼ ${num(d)}`);
/** Markdown as a person reads it: appendText turns spaces into &nbsp; and escapes punctuation. */
const plain = (md: string) => md.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

describe('Inline diffs, status bar and badges (demo repository)', function () {
  this.timeout(120000);
  let api: Api;
  let baseline: string;
  let rows: DiffStateLike;
  const opened: vscode.TextDocument[] = [];

  const metricRows = (file: string) => rows.rows.filter((r) => r.file === file);
  async function open(rel: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
    const doc = await vscode.workspace.openTextDocument(uriOf(rel));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (!opened.includes(doc)) opened.push(doc);
    return { doc, editor };
  }
  /** The hints drawn for the document's current version against the test's baseline. */
  const rendered = (doc: vscode.TextDocument, what = 'hints for the current version', check: (r: RenderedState) => boolean = () => true) =>
    eventually(
      () => {
        const r = api.editor.inlineDiffs.rendered(doc.uri);
        return r && r.version === doc.version && check(r) && r;
      },
      `${what} of ${doc.uri.path}`,
      30000,
    );
  /** Documents to put back (unsaved) after each test, whatever it asserted. */
  const restore = new Map<vscode.TextDocument, string>();
  afterEach(async () => {
    for (const [doc, text] of restore) if (!doc.isClosed && doc.getText() !== text) await setText(doc, text);
    restore.clear();
  });
  async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
    if (!restore.has(doc)) restore.set(doc, doc.getText());
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  }
  const lineOf = (doc: vscode.TextDocument, needle: string) =>
    doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes(needle));
  const lensTitles = async (uri: vscode.Uri) =>
    ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
      (l) => l.command?.command === 'lineage.compareWithBaseline' || l.command?.title.startsWith('ML Lineage'),
    );
  const hoverText = async (uri: vscode.Uri, pos: vscode.Position) =>
    ((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [])
      .flatMap((h) => h.contents.map((c) => plain(typeof c === 'string' ? c : c.value)))
      .join('\n');

  before(async function () {
    const found = await lineageApi<Api>('editor', 'diffSource', 'whenIndexed', 'refresh');
    if (!found) return this.skip();
    api = found as Api;
    await api.whenIndexed();
    // A baseline the workspace (main) beats on some metrics and loses to on others.
    const branches = git('for-each-ref', '--format=%(refname:short)', 'refs/heads')
      .split('\n')
      .filter((b) => b && b !== 'main');
    for (const b of branches) {
      const state = await api.diffSource.load(b, 'workspace');
      const m = state.rows.filter((r) => r.kind === 'metric' && r.file === 'eval/metrics.json');
      if (m.some((r) => r.verdict === 'better') && m.some((r) => r.verdict === 'worse')) {
        baseline = b;
        rows = state;
        break;
      }
    }
    assert.ok(baseline, `no demo branch has both better and worse metrics than main: ${branches.join(', ')}`);
    await setLineageSetting('baselineBranch', baseline);
  });

  after(async () => {
    // Nothing of this suite may reach the disk: a dirty editor left open would be saved by the
    // first "Save?" prompt a later check answers.
    for (const doc of opened) {
      if (doc.isClosed) continue;
      try {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      } catch (error) {
        console.error(`could not revert ${doc.uri.fsPath}: ${(error as Error).message}`);
      }
    }
    await closeMetricDiffTabs();
    await setLineageSetting('inlineDiffs.enabled', undefined).catch(() => undefined);
    if (baseline) await setLineageSetting('baselineBranch', undefined);
  });

  it("eval/metrics.json: a hint per changed metric with the index's exact old value, delta and verdict", async () => {
    const { doc } = await open('eval/metrics.json');
    const r = await rendered(doc, 'hints vs the baseline', (x) => x.baseline === baseline && x.hints.length > 0);
    const changed = metricRows('eval/metrics.json').filter((x) => x.changed);
    assert.deepEqual(r.hints.map((h) => h.key).sort(), changed.map((x) => x.key).sort(), 'one hint per changed metric');
    for (const row of changed) {
      const hint = r.hints.find((h) => h.key === row.key)!;
      assert.equal(hint.base, row.old, `${row.key}: baseline value`);
      assert.equal(hint.value, row.new, `${row.key}: value`);
      assert.equal(hint.delta, row.delta, `${row.key}: delta, unrounded`);
      assert.equal(hint.status, row.verdict, `${row.key}: better/worse by direction`);
      assert.equal(hint.text, `${deltaText(row.delta!)} vs ${baseline} (${num(row.old as number)})`);
      const line = lineOf(doc, `"${row.key}"`);
      assert.deepEqual([hint.line, hint.character], [line, doc.lineAt(line).text.length], `${row.key}: at the end of its line`);
    }
    // The file on disk and in git at the baseline agree with what the hints say.
    const atBase = JSON.parse(git('show', `${baseline}:eval/metrics.json`)) as Record<string, number>;
    assert.equal(r.hints.find((h) => h.key === 'accuracy')!.base, atBase.accuracy);
  });

  it('the CodeLens sums it up and opens the Metric Diff of the baseline and the workspace', async () => {
    const { doc } = await open('eval/metrics.json');
    const m = metricRows('eval/metrics.json');
    const better = m.filter((x) => x.verdict === 'better').length;
    const worse = m.filter((x) => x.verdict === 'worse').length;
    const lenses = await eventually(async () => {
      const l = await lensTitles(doc.uri);
      return l.length === 2 && l;
    }, 'two CodeLenses');
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      [`${m.length} metrics vs ${baseline}: ${better} better, ${worse} worse`, 'Open diff'],
    );
    assert.equal(lenses[0].range.start.line, 0);
    await closeMetricDiffTabs();
    await vscode.commands.executeCommand(lenses[1].command!.command, ...(lenses[1].command!.arguments ?? []));
    const tab = await findTab(isMetricDiffTab);
    assert.ok(tab, 'no Metric Diff tab');
    assert.ok(tab.label.includes(`${baseline} ↔ workspace`), tab.label);
    await closeMetricDiffTabs();
  });

  it("hover on a key: its value, the baseline's, and its last 5 values along main with sha, subject and date", async () => {
    const { doc } = await open('eval/metrics.json');
    const line = lineOf(doc, '"accuracy"');
    const text = await hoverText(doc.uri, new vscode.Position(line, doc.lineAt(line).text.indexOf('accuracy') + 2));
    const row = metricRows('eval/metrics.json').find((x) => x.key === 'accuracy')!;
    assert.ok(text.includes(`accuracy:** ${num(row.new as number)}`), text);
    assert.ok(
      text.includes(
        `${baseline} (baseline, ${git('rev-parse', baseline).trim().slice(0, 8)}):** ${num(row.old as number)} (${deltaText(row.delta!)}, ${row.verdict})`,
      ),
      text,
    );
    // The history, independently: git's first-parent walk and each commit's file.
    const expected: { value: number; sha: string; subject: string; date: string }[] = [];
    for (const sha of git('rev-list', '--first-parent', '--max-count=400', 'HEAD').split('\n').filter(Boolean)) {
      let value: number;
      try {
        value = (JSON.parse(git('show', `${sha}:eval/metrics.json`)) as { accuracy?: number }).accuracy!;
      } catch {
        continue;
      }
      if (value === undefined) continue;
      const [subject, time] = git('show', '-s', '--format=%s%x00%at', sha).trim().split('\0');
      const current = expected[expected.length - 1];
      if (current && current.value === value) {
        Object.assign(current, { sha, subject, date: new Date(Number(time) * 1000).toISOString().slice(0, 10) });
        continue;
      }
      if (expected.length === 5) break;
      expected.push({ value, sha, subject, date: new Date(Number(time) * 1000).toISOString().slice(0, 10) });
    }
    assert.equal(expected.length, 5);
    assert.ok(text.includes('Last 5 values on main'), text);
    let at = 0;
    for (const e of expected) {
      const entry = `${e.sha.slice(0, 8)}:** ${num(e.value)} · ${e.subject} · ${e.date}`;
      const found = text.indexOf(entry, at);
      assert.ok(found >= 0, `history entry ${JSON.stringify(entry)} (in order) missing from:\n${text}`);
      at = found;
    }
  });

  it('an unsaved edit: the hint follows the buffer (not the file) and the text is parsed once for the version', async () => {
    const { doc } = await open('eval/metrics.json');
    await rendered(doc, 'the first drawing');
    const original = readFileSync(doc.uri.fsPath, 'utf8');
    const base = metricRows('eval/metrics.json').find((x) => x.key === 'accuracy')!.old as number;
    const parsesBefore = api.editor.inlineDiffs.parses(doc.uri);
    const edited = { ...JSON.parse(original), accuracy: 0.9513 };
    await setText(doc, JSON.stringify(edited, null, 4) + '\n');
    assert.equal(doc.isDirty, true);
    const r = await rendered(doc, 'hints for the edit', (x) => x.hints.some((h) => h.key === 'accuracy' && h.value === 0.9513));
    const hint = r.hints.find((h) => h.key === 'accuracy')!;
    assert.equal(hint.delta, 0.9513 - base);
    assert.equal(hint.text, `${deltaText(0.9513 - base)} vs ${baseline} (${num(base)})`);
    assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), original, 'nothing was written to disk');
    // Decorations, CodeLens and hover all ask; the version is parsed once.
    await lensTitles(doc.uri);
    await hoverText(doc.uri, new vscode.Position(lineOf(doc, '"accuracy"'), 6));
    assert.equal(api.editor.inlineDiffs.parses(doc.uri), parsesBefore + 1);
    await setText(doc, original);
  });

  it('a metric only in the buffer is "new", one only on the baseline is counted as removed', async () => {
    const { doc } = await open('eval/metrics.json');
    const original = readFileSync(doc.uri.fsPath, 'utf8');
    const { recall: _gone, ...rest } = JSON.parse(original) as Record<string, number>;
    await setText(doc, JSON.stringify({ ...rest, calibration_error: 0.031 }, null, 4) + '\n');
    const r = await rendered(doc, 'hints with a new key', (x) => x.hints.some((h) => h.key === 'calibration_error'));
    const added = r.hints.find((h) => h.key === 'calibration_error')!;
    assert.deepEqual([added.status, added.text, added.base, added.delta], ['new', `new vs ${baseline}`, undefined, undefined]);
    assert.equal(
      r.hints.some((h) => h.key === 'recall'),
      false,
    );
    const lens = await eventually(async () => {
      const l = await lensTitles(doc.uri);
      return l[0]?.command?.title.includes('1 new, 1 removed') && l[0];
    }, 'a CodeLens with the new and removed keys');
    assert.match(
      lens.command!.title,
      new RegExp(`^6 metrics vs ${baseline.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\d+ better, \\d+ worse, 1 new, 1 removed$`),
    );
    assert.ok(String(lens.command!.tooltip).includes(`Only on ${baseline}: recall`), String(lens.command!.tooltip));
    await setText(doc, original);
  });

  it('a non-numeric value is "changed" without a delta', async () => {
    const { doc } = await open('eval/metrics.json');
    const original = readFileSync(doc.uri.fsPath, 'utf8');
    const base = metricRows('eval/metrics.json').find((x) => x.key === 'accuracy')!.old as number;
    await setText(doc, JSON.stringify({ ...JSON.parse(original), accuracy: 'high' }, null, 4) + '\n');
    const r = await rendered(doc, 'a changed text value', (x) => x.hints.some((h) => h.key === 'accuracy' && h.value === 'high'));
    const hint = r.hints.find((h) => h.key === 'accuracy')!;
    assert.deepEqual([hint.status, hint.delta, hint.text], ['changed', undefined, `changed vs ${baseline} (was ${num(base)})`]);
    await setText(doc, original);
  });

  it('text that does not parse: no hints, no exception, a diagnostic at the error line that goes once fixed', async () => {
    const { doc } = await open('eval/metrics.json');
    const original = readFileSync(doc.uri.fsPath, 'utf8');
    const broken = original.replace('"f1":', '"oops": ,\n    "f1":');
    await setText(doc, broken);
    const r = await rendered(doc, 'no hints for broken text', (x) => x.hints.length === 0);
    assert.match(r.reason ?? '', /does not parse/);
    const diag = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'ML Lineage'),
      'an ML Lineage diagnostic',
    );
    assert.equal(diag.range.start.line, lineOf(doc, '"oops"'));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /eval\/metrics\.json does not parse/);
    const lenses = await lensTitles(doc.uri);
    assert.match(lenses[0]?.command?.title ?? '', /no inline diffs, the file does not parse \(line \d+\)/);
    assert.equal(await hoverText(doc.uri, new vscode.Position(1, 6)).then((t) => t.includes('baseline')), false);
    await setText(doc, original);
    await rendered(doc, 'hints again', (x) => x.hints.length > 0);
    await eventually(
      () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'ML Lineage'),
      'the diagnostic to be cleared',
    );
  });

  it('nested YAML metrics (eval/scores.yaml) and tracked params (params.yaml) get hints at their keys', async () => {
    const { doc: scores } = await open('eval/scores.yaml');
    const expected = metricRows('eval/scores.yaml').filter((x) => x.changed);
    if (expected.length) {
      const r = await rendered(scores, 'scores.yaml hints', (x) => x.hints.length === expected.length);
      for (const row of expected) {
        const hint = r.hints.find((h) => h.key === row.key)!;
        assert.ok(hint, `no hint for ${row.key}`);
        assert.equal(hint.delta, row.delta);
        assert.equal(hint.status, row.verdict);
      }
      // models.small.accuracy sits under "small:" — the second "accuracy" line.
      const lines = scores.getText().split('\n');
      const small = lines.findIndex((l) => l.trim() === 'small:');
      const smallHint = r.hints.find((h) => h.key === 'models.small.accuracy');
      if (smallHint)
        assert.equal(
          smallHint.line,
          lines.findIndex((l, i) => i > small && l.trim().startsWith('accuracy:')),
        );
    }
    const { doc: params } = await open('params.yaml');
    const paramRows = rows.rows.filter((x) => x.kind === 'param' && x.file === 'params.yaml' && x.changed);
    const r = await rendered(params, 'params.yaml hints', (x) => x.hints.length === paramRows.length);
    for (const row of paramRows) {
      const hint = r.hints.find((h) => h.key === row.key)!;
      assert.ok(hint, `no hint for param ${row.key}`);
      assert.equal(hint.status, 'changed', 'params have no better/worse');
      assert.equal(hint.delta, row.delta);
      assert.ok(
        params
          .lineAt(hint.line)
          .text.trimStart()
          .startsWith(`${row.key.split('.').pop()}:`),
        `${row.key} hint on line ${hint.line}`,
      );
    }
  });

  it('a 5 MB params file (unsaved): hints only for the visible lines, one parse per version, scrolling does not parse', async function () {
    const { doc, editor } = await open('dvclive/params.yaml');
    await rendered(doc, 'the first drawing');
    const original = doc.getText();
    const parts = [original.trimEnd(), ''];
    let size = original.length;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const group = `group${i}:\n  lr: 0.00${i % 10}\n  name: "x${i}"\n  layers: [1, 2, 3]\n  nested:\n    a: ${i}\n    b: true\n`;
      parts.push(group);
      size += group.length;
    }
    const text = parts.join('\n');
    const parsesBefore = api.editor.inlineDiffs.parses(doc.uri);
    const started = Date.now();
    await setText(doc, text);
    const r = await rendered(doc, 'hints of the 5 MB file', (x) => x.totalKeys > 100000);
    const firstMs = Date.now() - started;
    const visible = editor.visibleRanges.reduce((n, v) => n + v.end.line - v.start.line + 1, 0);
    assert.ok(r.hints.length > 0 && r.hints.length <= visible + 2 * 30 + 10, `${r.hints.length} hints for ${visible} visible lines`);
    assert.ok(r.hints.length < 250, `${r.hints.length} hints`);
    assert.ok(
      r.hints.every((h) => r.lines.some(([a, b]) => h.line >= a && h.line <= b)),
      'every hint is on a visible (or margin) line',
    );
    assert.equal(api.editor.inlineDiffs.parses(doc.uri), parsesBefore + 1, 'one parse for the version');
    // Scroll to the middle: hints there, no new parse.
    const middle = Math.floor(doc.lineCount / 2);
    editor.revealRange(new vscode.Range(middle, 0, middle, 0), vscode.TextEditorRevealType.InCenter);
    const scrolled = await rendered(doc, 'hints after scrolling', (x) => x.lines.some(([a, b]) => middle >= a && middle <= b));
    assert.ok(
      scrolled.hints.some((h) => Math.abs(h.line - middle) < 60),
      'hints near the middle',
    );
    assert.ok(scrolled.hints.length < 250);
    assert.equal(api.editor.inlineDiffs.parses(doc.uri), parsesBefore + 1, 'scrolling reuses the parsed version');
    this.test!.title += ` [${(size / 1048576).toFixed(1)} MB, ${r.totalKeys} keys: parse ${r.parseMs?.toFixed(0)} ms, draw ${r.hints.length} hints ${r.ms.toFixed(1)} ms, edit→hints ${firstMs} ms; after scroll ${scrolled.hints.length} hints in ${scrolled.ms.toFixed(1)} ms]`;
    await setText(doc, original);
    await rendered(doc, 'the small file again', (x) => x.totalKeys < 100);
  });

  it('status bar: headline metric of the workspace and its delta vs the baseline; the baseline item switches it', async () => {
    const [rootNode] = (await api.runsTree.getChildren()) ?? [];
    const key = rootNode?.key;
    assert.ok(key, 'the Runs tree has a headline key');
    const headlineRow = rows.rows.filter((x) => x.kind === 'metric' && x.key === key).sort((a, b) => a.file.localeCompare(b.file))[0];
    assert.ok(headlineRow, `no Metric Diff row for ${key}`);
    const bar = await eventually(() => {
      const s = api.editor.statusBar();
      return s.baseline.text.includes(baseline) && s.headline.text.startsWith('$(graph)') && s;
    }, 'the status bar');
    const delta = headlineRow.delta;
    assert.equal(
      bar.headline.text,
      `$(graph) ${key} ${num(headlineRow.new as number)}${delta !== undefined ? ` ${delta === 0 ? '±0' : deltaText(delta)}` : ''}`,
    );
    assert.equal(bar.headline.command, 'lineage.compareWithBaseline');
    assert.ok(plain(bar.headline.tooltip).includes(`${baseline} (baseline):** ${num(headlineRow.old as number)}`), bar.headline.tooltip);
    assert.equal(bar.baseline.text, `$(git-compare) vs ${baseline}`);
    assert.equal(bar.baseline.command, 'lineage.setBaselineBranch');
    // The baseline setting drives both items and every hint.
    await setLineageSetting('baselineBranch', 'main');
    await eventually(() => api.editor.statusBar().baseline.text === '$(git-compare) vs main', 'the baseline item to follow the setting');
    await setLineageSetting('baselineBranch', baseline);
    await eventually(() => api.editor.statusBar().baseline.text === `$(git-compare) vs ${baseline}`, 'the baseline item back');
  });

  it('badges: the Explorer marks eval/metrics.json with its moves; Runs branches get ▲/▼ by direction', async () => {
    const m = metricRows('eval/metrics.json');
    const better = m.filter((x) => x.verdict === 'better').length;
    const worse = m.filter((x) => x.verdict === 'worse').length;
    const d = await eventually(() => {
      const x = api.editor.fileDecoration(uriOf('eval/metrics.json'));
      return x?.tooltip?.includes(baseline) && x;
    }, 'an Explorer decoration');
    assert.equal(d.badge, '±');
    assert.equal(d.tooltip, `${better + worse} metrics changed vs ${baseline}: ${better} better, ${worse} worse`);
    assert.equal(api.editor.fileDecoration(uriOf('src/train.py')), undefined);
    const [rootNode] = (await api.runsTree.getChildren()) ?? [];
    const refs = (await api.runsTree.getChildren(rootNode)) ?? [];
    let badged = 0;
    for (const node of refs) {
      const item = await api.runsTree.getTreeItem(node);
      if (!item.resourceUri) continue;
      const badge = api.editor.runDecoration(item.resourceUri);
      assert.ok(badge && (badge.badge === '▲' || badge.badge === '▼'), JSON.stringify(badge));
      const arrow = typeof item.description === 'string' && /▲|▼/.exec(item.description)?.[0];
      const lowerIsBetter = /loss|error|latency|time|rmse|mae/i.test(node.key ?? '');
      if (arrow) assert.equal(badge.badge === arrow, !lowerIsBetter, `${item.label}: ${item.description} / ${badge.badge}`);
      badged++;
    }
    assert.ok(badged >= 1, 'no Runs item has a badge');
  });

  it('Lineage: Toggle Inline Diffs (lineage.inlineDiffs.enabled) turns hints, CodeLens and hover off, and on again', async () => {
    const { doc } = await open('eval/metrics.json');
    await vscode.commands.executeCommand('lineage.toggleInlineDiffs');
    assert.equal(vscode.workspace.getConfiguration('lineage').get('inlineDiffs.enabled'), false);
    await rendered(doc, 'no hints when turned off', (x) => x.hints.length === 0);
    assert.deepEqual(await lensTitles(doc.uri), []);
    assert.equal((await hoverText(doc.uri, new vscode.Position(lineOf(doc, '"accuracy"'), 6))).includes('baseline'), false);
    assert.equal(api.editor.fileDecoration(uriOf('eval/metrics.json')), undefined, 'no Explorer badge either');
    await vscode.commands.executeCommand('lineage.toggleInlineDiffs');
    await rendered(doc, 'hints again', (x) => x.hints.length > 0);
    await setLineageSetting('inlineDiffs.enabled', undefined);
  });

  it('status bar while indexing: a spinner with the commit count, then the headline again', async () => {
    const seen = new Set<string>();
    const poll = setInterval(() => seen.add(api.editor.statusBar().headline.text), 20);
    // How long the commits phase lasted: the status bar redraws at most every 100 ms, so a
    // phase shorter than a few redraws may never show its count (a loaded CI machine varies).
    const engines = (
      api as unknown as { repro: { engines: { list(): { onDidProgress: vscode.Event<{ phase: string } | undefined> }[] } } }
    ).repro.engines.list();
    const commitTimes: number[] = [];
    const subs = engines.map((e) =>
      e.onDidProgress((p) => {
        if (p?.phase === 'commits') commitTimes.push(Date.now());
      }),
    );
    try {
      await vscode.commands.executeCommand('lineage.rebuildIndex');
      await eventually(() => api.editor.statusBar().headline.text.startsWith('$(graph)'), 'the headline after the rebuild');
    } finally {
      clearInterval(poll);
      subs.forEach((s) => s.dispose());
    }
    const spinning = [...seen].filter((t) => t.startsWith('$(sync~spin) Indexing'));
    assert.ok(spinning.length > 0, `no spinner seen: ${JSON.stringify([...seen])}`);
    assert.ok(commitTimes.length > 0, 'the rebuild indexed commits');
    const phaseMs = commitTimes[commitTimes.length - 1] - commitTimes[0];
    if (phaseMs >= 300)
      assert.ok(
        spinning.some((t) => /^\$\(sync~spin\) Indexing \d+\/\d+$/.test(t)),
        `no count during a ${phaseMs} ms commits phase: ${JSON.stringify(spinning)}`,
      );
  });
});

export type { DiffRowLike };
