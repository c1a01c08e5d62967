import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLineageCardHtml, makeNonce } from '../../src/extension/lineage/html';
import { parseLineageMessage } from '../../src/extension/lineage/messages';
import { cardView, linkAllowed, linksOf } from '../../src/extension/lineage/cardView';
import type { LineageCard } from '../../src/core/lineage/types';

const ROOT = join(__dirname, '..', '..', '..');
const SHA = 'a'.repeat(40);

function card(extra: Partial<LineageCard> = {}): LineageCard {
  return {
    schema: 1,
    model: {
      artifact: 'clf<img src=x>',
      version: 'v1.1.0',
      commit: SHA,
      path: 'models/model',
      type: 'model',
      stages: ['prod'],
      previousVersion: { version: 'v1.0.0', commit: 'b'.repeat(40) },
    },
    code: {
      commit: SHA,
      refs: ['main'],
      branches: ['main'],
      author: 'Ada',
      authorEmail: 'ada@example.com',
      date: 1735689600,
      subject: '<b>bold</b>',
      body: null,
      dirty: false,
      dirtySource: 'lineage repro of train',
    },
    data: {
      producedBy: ['train'],
      scope: 'model',
      note: null,
      deps: [
        {
          path: 'data/raw.csv',
          stage: 'prepare',
          producedBy: null,
          version: 'c'.repeat(32),
          hashKind: 'md5',
          dvcFile: { path: 'data/raw.csv.dvc', md5: 'c'.repeat(32) },
          size: 2048,
          nfiles: null,
          isDir: false,
          inCache: 'no',
          cacheDetail: 'not in the local DVC cache',
        },
      ],
    },
    artifact: {
      declaredIn: 'artifacts.yaml',
      outs: [
        {
          path: 'models/model',
          stage: 'train<i>',
          dvcFile: null,
          version: 'd'.repeat(32) + '.dir',
          hashKind: 'md5',
          size: 4096,
          nfiles: 2,
          isDir: true,
          inCache: 'yes',
          cacheDetail: 'all 2 files in the local DVC cache',
          file: null,
        },
      ],
    },
    hyperparameters: {
      scope: 'model',
      stages: ['train'],
      params: { 'params.yaml': { 'train.lr': 0.1 } },
      note: 'As dvc.lock records them for train.',
      runs: [],
    },
    metrics: {
      previous: { version: 'v1.0.0', commit: 'b'.repeat(40) },
      runs: [],
      rows: [{ file: 'metrics.json', key: 'acc', value: 0.9, previous: 0.8, delta: 0.1, verdict: 'better' }],
    },
    environment: null,
    completeness: {
      answered: 4,
      total: 5,
      missing: [
        { question: 'environment', reason: 'no record', action: 'reproduce with ML Lineage (lineage repro) or log it with MLflow' },
      ],
    },
    mlmodel: {
      file: 'models/model/MLmodel',
      source: 'dvc-cache',
      runId: null,
      modelUuid: null,
      artifactPath: null,
      createdAt: null,
      mlflowVersion: null,
      modelSizeBytes: null,
      flavors: [{ name: 'sklearn', details: [['sklearn_version', '1.5.1']] }],
      signature: { inputs: [{ name: 'x', type: 'double', required: true, shape: null, default: null }], outputs: null, params: null },
      problems: [],
    },
    problems: [],
    ...extra,
  };
}

describe('lineage card webview HTML', () => {
  it('is the shared shell: strict nonce CSP, one script, no data in the markup', () => {
    const nonce = makeNonce();
    const html = buildLineageCardHtml({
      cspSource: 'vscode-src',
      scriptUri: 'https://r/dist/webview/lineageCard.js',
      styleUri: 'https://r/media/lineageCard.css',
      nonce,
    });
    assert.ok(html.includes(`content="default-src 'none'; script-src 'nonce-${nonce}'; style-src vscode-src 'nonce-${nonce}'"`));
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://r/dist/webview/lineageCard.js">`));
    assert.ok(!/unsafe-inline|unsafe-eval|style=/.test(html));
    assert.throws(() => buildLineageCardHtml({ cspSource: 'x; script-src *', scriptUri: '', styleUri: '', nonce }), /cspSource/);
  });

  it('the page sets file-derived text with textContent only (no innerHTML in its source or bundle)', function () {
    const source = readFileSync(join(ROOT, 'webview', 'lineageCard', 'view.ts'), 'utf8');
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(source));
    let bundle: string;
    try {
      bundle = readFileSync(join(ROOT, 'dist', 'webview', 'lineageCard.js'), 'utf8');
    } catch {
      return this.skip(); // not built in this checkout
    }
    assert.ok(!/\beval\(|new Function\(/.test(bundle));
  });
});

describe('lineage card webview model and messages', () => {
  it('turns a card into five sections, a completeness line and the MLmodel tables, keeping file text as plain strings', () => {
    const view = cardView(card());
    assert.equal(view.title, 'clf<img src=x> v1.1.0');
    assert.deepEqual(
      view.sections.map((s) => [s.question, s.answered]),
      [
        ['code', true],
        ['data', true],
        ['hyperparameters', true],
        ['metrics', true],
        ['environment', false],
      ],
    );
    assert.deepEqual(view.sections[4].missing, {
      reason: 'no record',
      action: 'reproduce with ML Lineage (lineage repro) or log it with MLflow',
    });
    assert.match(view.completeness, /^4 of 5 answered — environment unknown: no record; reproduce with ML Lineage/);
    const metric = view.sections[3].tables[0];
    assert.deepEqual(metric.columns, ['Metric', 'Value', 'v1.0.0', 'Change']);
    assert.deepEqual(
      metric.rows[0].map((c) => c.text),
      ['acc', '0.9', '0.8', '▲ +0.1'],
      "better or worse is the cell's color, not an emoji",
    );
    assert.equal(metric.rows[0][3].tone, 'better');
    assert.equal(view.sections[1].tables[0].rows[0][3].text, 'no');
    assert.equal(view.sections[0].tables[0].rows[1][1].text, '<b>bold</b>');
    assert.deepEqual(
      view.mlmodel?.tables.map((t) => t.caption),
      ['Flavors', 'Signature inputs'],
    );
    // The model's own version (its out in dvc.lock) and where its commit declares it, as text.
    const version = view.sections[0].tables[0].rows.find((r) => r[0].text === 'Model version');
    assert.equal(version?.[1].text, `${'d'.repeat(32)}.dir, 4.0 KiB, 2 files · out of stage train<i> in dvc.lock`);
    assert.equal(version?.[1].tone, 'ok');
    assert.equal(view.sections[2].note, 'As dvc.lock records them for train.');
  });

  it('acts only on links the card holds', () => {
    const view = cardView(card());
    const kinds = linksOf(view).map((l) => `${l.kind}:${'path' in l ? l.path : ''}`);
    assert.ok(kinds.includes('revealCommit:'));
    assert.ok(kinds.includes('fileAtCommit:data/raw.csv.dvc'));
    assert.ok(kinds.includes('fileAtCommit:metrics.json'));
    assert.ok(kinds.includes('fileAtCommit:artifacts.yaml'), "the declaration opens as it was at the version's commit");
    assert.ok(kinds.includes('workspaceFile:data/raw.csv'));
    assert.ok(linkAllowed(view, { kind: 'fileAtCommit', path: 'params.yaml' }));
    assert.ok(!linkAllowed(view, { kind: 'fileAtCommit', path: 'secret.txt' }));
    assert.ok(!linkAllowed(view, { kind: 'workspaceFile', path: 'metrics.json' }), 'a path is allowed only with the kind it was given');
  });

  it('drops malformed and dangerous messages', () => {
    assert.deepEqual(parseLineageMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseLineageMessage({ type: 'copyMarkdown' }), { type: 'copyMarkdown' });
    assert.deepEqual(parseLineageMessage({ type: 'open', link: { kind: 'fileAtCommit', path: 'dvc.yaml' } }), {
      type: 'open',
      link: { kind: 'fileAtCommit', path: 'dvc.yaml' },
    });
    assert.deepEqual(parseLineageMessage({ type: 'open', link: { kind: 'revealCommit', path: 'x' } }), {
      type: 'open',
      link: { kind: 'revealCommit' },
    });
    for (const path of ['../etc/passwd', '/etc/passwd', 'a/../../b', '-x', 'a\nb', '', 7]) {
      assert.equal(parseLineageMessage({ type: 'open', link: { kind: 'workspaceFile', path } }), undefined, JSON.stringify(path));
    }
    assert.equal(parseLineageMessage({ type: 'open', link: { kind: 'command', path: 'x' } }), undefined);
    assert.equal(parseLineageMessage({ type: 'nope' }), undefined);
    assert.equal(parseLineageMessage('ready'), undefined);
    assert.equal(parseLineageMessage(null), undefined);
  });
});
