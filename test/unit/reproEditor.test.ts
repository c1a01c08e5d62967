// The pure parts of the editor's repro: state words, the Task's terminal transcript, the DAG
// graph built from stage statuses, the DAG webview's HTML and message checks.
import { strict as assert } from 'node:assert';
import type { StageChanges, StageStatus } from '../../src/core/repro/types';
import { buildDagGraph, fitText, sameShape, stateUpdates, summaryOf, type GraphStage } from '../../src/extension/repro/dagGraph';
import { buildPipelineDagHtml, makeNonce, parseDagMessage } from '../../src/extension/repro/dagHtml';
import { crlf, exitCodeOf, ReproTranscript } from '../../src/extension/repro/reproTranscript';
import { changeSummary, stageKeyLines, stageState, stateText, statusDocument } from '../../src/extension/repro/stageText';

const changes = (c: Partial<StageChanges> = {}): StageChanges => ({
  deps: {},
  outs: {},
  changedCommand: false,
  alwaysChanged: false,
  neverRun: false,
  ...c,
});
function status(name: string, c: Partial<StageChanges> = {}, extra: Partial<StageStatus> = {}): StageStatus {
  const ch = changes(c);
  const upToDate = !ch.changedCommand && !ch.alwaysChanged && !Object.keys(ch.deps).length && !Object.keys(ch.outs).length;
  return {
    project: '',
    name,
    address: name,
    file: 'dvc.yaml',
    upToDate,
    frozen: false,
    changes: ch,
    cmd: `run ${name}`,
    wdir: '.',
    line: 2,
    deps: [],
    outs: [],
    ...extra,
  };
}

describe('stage state words (Pipelines view, CodeLens, DAG)', () => {
  it('summarizes why a stage changed: deps, params keys, outs, command', () => {
    const c = changes({
      deps: { 'data/raw': 'modified', 'params.yaml': { lr: 'modified', epochs: 'new' } },
      outs: { 'model.pkl': 'deleted' },
      changedCommand: true,
    });
    assert.equal(changeSummary(c), 'deps data/raw, params lr, epochs, outs model.pkl, command');
    assert.equal(changeSummary(c, 20), 'deps data/raw, para…');
    assert.equal(stateText(status('train', { deps: { 'data/raw': 'modified' } })), 'changed: deps data/raw');
  });

  it('orders live marks before the files: running, failed, then frozen, never run, up to date', () => {
    const s = status('train', { neverRun: true, deps: { a: 'modified' } });
    assert.equal(stageState(s), 'never-run');
    assert.equal(stateText(s), 'never run');
    assert.equal(stageState(s, { running: true }), 'running');
    assert.equal(stateText(s, { failed: { exitCode: 3, message: 'x' } }), 'failed (exit 3)');
    assert.equal(stateText(status('a', {}, { frozen: true })), 'frozen');
    assert.equal(stateText(status('a')), 'up to date');
    assert.equal(stateText(status('a'), { broken: true }), 'cannot run (see problems)');
    // A problem outranks every state read from the files, and a last failed run.
    const refused = { file: 'dvc.yaml', stage: 'a', message: "DVC file 'dvc.yaml' cannot be an output.", kind: 'refused' as const };
    assert.equal(stageState(status('a'), { problems: [refused], failed: { exitCode: 1, message: 'x' } }), 'error');
    assert.equal(stateText(status('a'), { problems: [refused, refused] }), "refused: DVC file 'dvc.yaml' cannot be an output. (+1 more)");
    assert.equal(stateText(status('a'), { problems: [{ ...refused, kind: 'invalid' }] }, 20), "error: DVC file 'dv…");
    assert.equal(
      stateText(status('b'), { problems: [{ ...refused, kind: 'invalid' }] }),
      "error: stage 'a': DVC file 'dvc.yaml' cannot be an output.",
    );
  });

  it('writes a dvc status-like document', () => {
    const text = statusDocument(
      'T',
      [status('prepare'), status('train', { deps: { 'data/raw': 'modified', 'params.yaml': { lr: 'modified' } }, changedCommand: true })],
      [{ file: 'dvc.yaml', line: 9, message: 'bad' }],
    );
    assert.match(text, /^# T\n/);
    assert.match(text, /train:\n\tchanged deps:\n\t\tmodified:\s+data\/raw\n\t\tparams.yaml:\n\t\t\tmodified:\s+lr\n\tchanged command\n/);
    assert.match(text, /Up to date: prepare/);
    assert.match(text, /^# T\n\nProblems \(1\): reproduce is refused until they are fixed\.\n\tdvc.yaml:9: bad\n/);
    assert.match(statusDocument('T', [status('a')], []), /Data and pipelines are up to date\./);
    // Never "up to date" over a problem, nor the stage's file-derived state over its error.
    const bad = { file: 'dvc.yaml', line: 3, column: 5, stage: 'a', message: "Could not find 'lr'", kind: 'invalid' as const };
    const withProblem = statusDocument('T', [status('a'), status('b')], [bad], (s) => (s.name === 'a' ? { problems: [bad] } : {}));
    assert.doesNotMatch(withProblem, /Data and pipelines are up to date/);
    assert.match(withProblem, /\tdvc.yaml:3:5: stage 'a': Could not find 'lr'\n/);
    assert.match(withProblem, /\na: {2}\(error: Could not find 'lr'\)\n/);
    assert.match(withProblem, /Up to date: b\n$/);
    assert.match(statusDocument('T', [], [bad]), /No pipeline stages could be read\./);
  });

  it('finds stage keys in unsaved dvc.yaml text', () => {
    const text =
      'vars:\n  - x: 1\nstages:\n  # comment\n  prepare:\n    cmd: a\n  "train":\n    foreach: [1]\n    do:\n      cmd: b\nplots:\n  - p\n';
    assert.deepEqual(
      [...stageKeyLines(text)],
      [
        ['prepare', 5],
        ['train', 7],
      ],
    );
  });
});

describe('repro Task transcript (pseudoterminal text)', () => {
  it('uses CRLF, starts event lines on a fresh line after partial output, ends with a summary', () => {
    const t = new ReproTranscript((a) => (a === 'train' ? { file: 'dvc.yaml', line: 7 } : undefined));
    let out = t.header('lineage repro train');
    out += t.event({ type: 'plan', stages: ['prepare', 'train'] });
    out += t.event({ type: 'skip', stage: 'prepare', reason: 'up to date' });
    out += t.event({ type: 'stage', stage: 'train', reasons: ['dep data/raw modified'] });
    out += t.event({ type: 'start', stage: 'train', cmd: 'python train.py', cwd: '/r' });
    out += t.event({ type: 'output', stage: 'train', stream: 'stdout', text: 'epoch 1\nepoch 2' });
    out += t.event({ type: 'failed', stage: 'train', exitCode: 3, message: 'failed to run: python train.py, exited with 3' });
    out += t.summary({ ok: false, ran: [], skipped: ['prepare'], failed: { stage: 'train', exitCode: 3, message: 'x' } }, 3);
    assert.ok(!/[^\r]\n/.test(out), `a bare \\n in ${JSON.stringify(out)}`);
    assert.match(out, /epoch 1\r\nepoch 2\r\nERROR: dvc\.yaml:7: stage 'train' failed \(exit code 3\): failed to run/);
    assert.match(out, /Stage 'train' failed with exit code 3 .*Its dvc\.lock entry is unchanged/);
  });

  it('says only "never run" for a stage without a lock entry', () => {
    const t = new ReproTranscript(() => undefined);
    const line = t.event({ type: 'stage', stage: 'a', reasons: ['never run (no dvc.lock entry)', 'dep x modified', 'out y deleted'] });
    assert.ok(line.includes('(never run (no dvc.lock entry))') && !line.includes('dep x'), JSON.stringify(line));
  });

  it('locates engine errors that start with file:line for the problem matcher', () => {
    const t = new ReproTranscript(() => undefined);
    assert.equal(
      t.error("sub/dvc.yaml:4: pipeline has a cycle: 'a' -> 'b'"),
      "ERROR: sub/dvc.yaml:4: pipeline has a cycle: 'a' -> 'b'\r\n",
    );
    assert.equal(t.error('Another repro is running\nsecond'), 'ERROR: Another repro is running second\r\n');
    const matcher = /^(ERROR|WARNING): ([^\s:][^:]*):(\d+): (.*)$/;
    assert.ok(matcher.test(t.error('dvc.lock:3: bad yaml').trimEnd()));
  });

  it('maps results to exit codes: 0, the command code, 1 without one, 130 cancelled', () => {
    assert.equal(exitCodeOf({ ok: true, ran: ['a'], skipped: [] }), 0);
    assert.equal(exitCodeOf({ ok: false, ran: [], skipped: [], failed: { stage: 'a', exitCode: 7, message: '' } }), 7);
    assert.equal(exitCodeOf({ ok: false, ran: [], skipped: [], failed: { stage: 'a', exitCode: null, message: '' } }), 1);
    assert.equal(exitCodeOf({ ok: false, ran: [], skipped: [], failed: { stage: 'a', exitCode: 0, message: 'out missing' } }), 1);
    assert.equal(exitCodeOf({ ok: false, ran: [], skipped: [], cancelled: true }), 130);
    assert.equal(crlf('a\nb\r\nc'), 'a\r\nb\r\nc');
  });
});

describe('Pipeline DAG graph', () => {
  const stage = (address: string, deps: string[], outs: string[], state: GraphStage['state'] = 'up-to-date'): GraphStage => ({
    address,
    deps,
    outs,
    state,
    detail: state,
    title: address,
  });
  const demo = [
    stage('prepare', ['data/raw.csv', 'src/prepare.py'], ['data/prepared']),
    stage('train', ['data/prepared/train.csv', 'src/train.py'], ['models/model.pkl'], 'changed'),
    stage('evaluate', ['models/model.pkl', 'data/prepared'], ['eval/metrics.json']),
  ];

  it('links outs to the stages that read them (a dep inside an out dir included), inputs as file nodes', () => {
    const g = buildDagGraph('demo', demo, [], true);
    const ids = g.nodes.map((n) => n.id).sort();
    assert.deepEqual(ids, [
      'file:data/prepared',
      'file:data/raw.csv',
      'file:eval/metrics.json',
      'file:models/model.pkl',
      'file:src/prepare.py',
      'file:src/train.py',
      'stage:evaluate',
      'stage:prepare',
      'stage:train',
    ]);
    const edges = g.edges.map((e) => `${e.from} -> ${e.to}`).sort();
    assert.ok(edges.includes('file:data/prepared -> stage:train'), edges.join('\n'));
    assert.ok(edges.includes('stage:prepare -> file:data/prepared'));
    assert.ok(edges.includes('file:models/model.pkl -> stage:evaluate'));
    assert.equal(g.edges.length, 9);
    const y = (id: string) => g.nodes.find((n) => n.id === id)!.y;
    assert.ok(y('stage:prepare') < y('stage:train') && y('stage:train') < y('stage:evaluate'));
    assert.equal(g.summary, '3 stages: 2 up to date, 1 changed');
  });

  it('sends states only when the shape is unchanged', () => {
    const a = buildDagGraph('demo', demo, [], true);
    const b = buildDagGraph(
      'demo',
      demo.map((s) => (s.address === 'train' ? { ...s, state: 'running' as const, detail: 'running…' } : s)),
      [],
      true,
    );
    assert.ok(sameShape(a, b));
    assert.deepEqual(stateUpdates(a, b), [{ id: 'stage:train', state: 'running', detail: 'running…', title: 'train' }]);
    const c = buildDagGraph('demo', [...demo, stage('report', ['eval/metrics.json'], [])], [], true);
    assert.ok(!sameShape(a, c));
  });

  it('shortens long labels in the middle, keeping the file name', () => {
    assert.equal(fitText('short', 10), 'short');
    const long = fitText('data/very/deep/folder/structure/with/a/file_name.csv', 24);
    assert.equal(long.length, 24);
    assert.ok(long.endsWith('file_name.csv') && long.includes('…'), long);
    const g = buildDagGraph('x', [stage('s'.repeat(200), ['d'.repeat(300)], [])], [], false);
    for (const n of g.nodes) assert.ok(n.label.length * 7.2 <= n.width, `${n.label.length} chars in ${n.width}px`);
    assert.equal(summaryOf([]), '0 stages');
  });
});

describe('Pipeline DAG webview HTML and messages', () => {
  it('has a strict nonce CSP and no graph data', () => {
    const nonce = makeNonce();
    const html = buildPipelineDagHtml({
      cspSource: 'https://x.vscode-cdn.net',
      scriptUri: 'https://x/dag.js',
      styleUri: 'https://x/dag.css',
      nonce,
    });
    assert.match(html, new RegExp(`default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net 'nonce-${nonce}'`));
    assert.match(html, new RegExp(`<script nonce="${nonce}" src="https://x/dag.js"></script>`));
    assert.throws(() => buildPipelineDagHtml({ cspSource: "x; script-src 'unsafe-inline'", scriptUri: '', styleUri: '', nonce }));
    assert.throws(() => buildPipelineDagHtml({ cspSource: 'x', scriptUri: '', styleUri: '', nonce: 'short' }));
  });

  it('drops malformed webview messages', () => {
    assert.deepEqual(parseDagMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseDagMessage({ type: 'reveal', address: 'sub/dvc.yaml:train' }), { type: 'reveal', address: 'sub/dvc.yaml:train' });
    for (const bad of [
      null,
      'ready',
      { type: 'reproduce' },
      { type: 'reproduce', address: 3 },
      { type: 'reveal', address: 'a\nb' },
      { type: 'exec', address: 'a' },
      { type: 'reveal', address: 'x'.repeat(5000) },
    ]) {
      assert.equal(parseDagMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
