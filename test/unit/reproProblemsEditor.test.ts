// Pipeline problems in the editor's pure parts: which stage or file a problem belongs to, the
// texts of a refused run (notification, Task terminal), the DAG's summary and problem links.
import { strict as assert } from 'node:assert';
import type { ReproProblem } from '../../src/core/repro/types';
import { buildDagGraph } from '../../src/extension/repro/dagGraph';
import { parseDagMessage } from '../../src/extension/repro/dagHtml';
import {
  fileProblems,
  noticeText,
  pipelineFileOf,
  problemMessage,
  problemsOf,
  problemsSummary,
  problemWhere,
  refusal,
  stageLabel,
  stageProblems,
} from '../../src/extension/repro/problemPlaces';
import { ReproTranscript } from '../../src/extension/repro/reproTranscript';

const stages = [
  { address: 'prepare', name: 'prepare', file: 'dvc.yaml' },
  { address: 'train@0', name: 'train@0', file: 'dvc.yaml' },
  { address: 'sub/dvc.yaml:copy', name: 'copy', file: 'sub/dvc.yaml' },
  { address: 'data.xml.dvc', name: 'data.xml.dvc', file: 'data.xml.dvc' },
];
const p = (x: Partial<ReproProblem>): ReproProblem => ({ file: 'dvc.yaml', message: 'bad', ...x });

describe('pipeline problems: where the editor shows them', () => {
  it('puts a problem under its pipeline file: dvc.yaml, the dvc.yaml beside a dvc.lock, a .dvc file, a params file by its stage', () => {
    assert.equal(pipelineFileOf(p({ file: 'sub/dvc.yaml' })), 'sub/dvc.yaml');
    assert.equal(pipelineFileOf(p({ file: 'sub/dvc.lock' })), 'sub/dvc.yaml');
    assert.equal(pipelineFileOf(p({ file: 'dvc.lock' })), 'dvc.yaml');
    assert.equal(pipelineFileOf(p({ file: 'data.xml.dvc' })), 'data.xml.dvc');
    assert.equal(pipelineFileOf(p({ file: 'sub/params.yaml', stage: 'sub/dvc.yaml:copy' }), stages), 'sub/dvc.yaml');
    assert.equal(pipelineFileOf(p({ file: 'sub/params.yaml', stage: 'sub/dvc.yaml:gone' })), 'sub/dvc.yaml');
    // A params file no stage claims belongs to the folder only.
    assert.equal(pipelineFileOf(p({ file: 'params.yaml' })), undefined);
  });

  it('gives a stage the problems naming it (address, name or foreach key) and its file-level ones', () => {
    const [prepare, train, copy] = stages;
    const byKey = p({ stage: 'train', line: 7 });
    const byAddress = p({ file: 'sub/dvc.yaml', stage: 'sub/dvc.yaml:copy', kind: 'refused' });
    const lock = p({ file: 'dvc.lock', line: 3, message: 'md5 is not an md5' });
    const all = [byKey, byAddress, lock];
    assert.deepEqual(stageProblems(train, all, stages), [byKey, lock]);
    assert.deepEqual(stageProblems(prepare, all, stages), [lock]);
    assert.deepEqual(stageProblems(copy, all, stages), [byAddress]);
    // A stage that could not be rendered is not listed: its problem stays under the file's node,
    // and the file cannot be evaluated, so no stage of it keeps a state read from it.
    const unrendered = p({ stage: 'evaluate', line: 12, kind: 'invalid' });
    assert.deepEqual(fileProblems('dvc.yaml', [...all, unrendered], stages), [lock, unrendered]);
    assert.deepEqual(fileProblems('sub/dvc.yaml', all, stages), []);
    assert.deepEqual(stageProblems(prepare, [unrendered], stages), [unrendered]);
    assert.deepEqual(stageProblems(copy, [unrendered], stages), []);
    // A refusal stays on its stage.
    assert.deepEqual(stageProblems(prepare, [p({ stage: 'train@0', kind: 'refused' })], stages), []);
  });

  it('words a problem for rows, diagnostics and notifications', () => {
    const x = p({ file: 'sub/dvc.yaml', line: 3, column: 5, stage: 'sub/dvc.yaml:train', message: "Could not find 'lr'" });
    assert.equal(problemWhere(x), 'sub/dvc.yaml:3:5');
    assert.equal(problemMessage(x), "stage 'sub/dvc.yaml:train': Could not find 'lr'");
    assert.equal(stageLabel('sub/dvc.yaml:train'), 'train');
    assert.equal(stageLabel('train'), 'train');
    assert.equal(problemsSummary([x]), "sub/dvc.yaml:3:5: stage 'sub/dvc.yaml:train': Could not find 'lr'");
    assert.equal(problemsSummary([x, x, x]), "sub/dvc.yaml:3:5: stage 'sub/dvc.yaml:train': Could not find 'lr' (+2 more)");
    assert.equal(problemsSummary([p({ message: 'y'.repeat(500) }), x], 40), `dvc.yaml: ${'y'.repeat(19)}… (+1 more)`);
    // Notification text parses [label](command:…) as a link: file-derived text must not.
    assert.equal(noticeText('a [x](command:workbench.action.quit)\nb'), 'a [x]\u200b(command:workbench.action.quit) b');
  });

  it('reads the problems off an engine error, or none', () => {
    const problems = [p({})];
    assert.deepEqual(problemsOf(Object.assign(new Error('x'), { problems })), problems);
    assert.deepEqual(problemsOf(new Error('x')), []);
    assert.deepEqual(problemsOf(undefined), []);
    assert.deepEqual(refusal(problems).problems, problems);
  });
});

describe('a refused run: Task terminal and DAG', () => {
  it('prints every problem with its place, outside the problem matcher (diagnostics have them)', () => {
    const t = new ReproTranscript(() => undefined);
    const out = t.refused([
      p({ line: 2, column: 3, stage: 'a', message: 'out . is the repository root', kind: 'refused' }),
      p({ file: 'dvc.lock', message: 'bad\nyaml' }),
    ]);
    assert.equal(
      out,
      "\x1b[31m✖ Reproduce refused: the pipelines have 2 problems. Nothing was run or removed.\x1b[0m\r\n  dvc.yaml:2:3: stage 'a': out . is the repository root\r\n  dvc.lock: bad yaml\r\n",
    );
    assert.ok(!out.split('\r\n').some((l) => /^(ERROR|WARNING): /.test(l)));
  });

  it('counts problems in the DAG summary and accepts only well-formed openProblem messages', () => {
    const g = buildDagGraph(
      'demo',
      [{ address: 'a', state: 'error', detail: 'error: x', title: 'a', deps: [], outs: [] }],
      ['dvc.yaml:1: x', 'dvc.lock: y'],
      true,
    );
    assert.equal(g.summary, '1 stage: 1 with errors; 2 problems');
    assert.deepEqual(parseDagMessage({ type: 'openProblem', index: 1 }), { type: 'openProblem', index: 1 });
    for (const bad of [
      { type: 'openProblem' },
      { type: 'openProblem', index: -1 },
      { type: 'openProblem', index: 1.5 },
      { type: 'openProblem', index: '1' },
    ]) {
      assert.equal(parseDagMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
