// Checks of what a person sees, run by runInCodeServer.mjs after the in-host suites (so the
// demo repository is indexed). Each returns { status: 'passed' | 'skipped', detail?, shots? }
// or throws (a failure). A check whose feature is not built yet returns 'skipped'.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearNotifications, runCommand, screenshot, showViewContainer, treeViewLabels, viewPane, webviewFrame } from './workbench.mjs';
import { chartChecks } from './chartChecks.mjs';
import { inlineDiffsCheck } from './inlineDiffsVisual.mjs';
import { registryChecks } from './registryChecks.mjs';
import { pipelineProblemsCheck } from './pipelineProblemsVisual.mjs';
import { experimentsChecks } from './experimentsVisual.mjs';

export const visualChecks = [
  {
    name: 'workbench opens on the demo repository',
    async run({ page, outDir }) {
      await clearNotifications(page);
      await runCommand(page, 'View: Show Explorer');
      return { status: 'passed', shots: [await screenshot(page, outDir, '01-workbench')] };
    },
  },
  {
    name: 'the Runs view lists the demo branches',
    async run({ page, outDir, demoBranches }) {
      if (!(await showViewContainer(page, 'ML Lineage'))) {
        return {
          status: 'skipped',
          detail: 'no "ML Lineage" activity-bar item or "View: Show ML Lineage" command yet',
          shots: [await screenshot(page, outDir, '02-runs-view')],
        };
      }
      // A tree refresh (an index run ending) can land between folding and reading: try again then.
      let rows = [];
      let missing = demoBranches;
      for (let attempt = 0; attempt < 3 && missing.length; attempt++) {
        if (attempt) await page.waitForTimeout(1000);
        rows = (await treeViewLabels(page, 'Runs')).map((r) => r.trim());
        missing = demoBranches.filter((b) => !rows.includes(b));
      }
      const shots = [await screenshot(page, outDir, '02-runs-view')];
      if (missing.length) throw new Error(`the Runs view does not list ${missing.join(', ')}; rows: ${JSON.stringify(rows.slice(0, 40))}`);
      return { status: 'passed', detail: `${rows.length} rows`, shots };
    },
  },
  {
    name: 'Metric Diff shows rows with colors',
    async run({ page, outDir, demo }) {
      // As a person would: change the workspace's metrics, refresh, compare with the baseline.
      const file = join(demo, 'eval', 'metrics.json');
      const metrics = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(
        file,
        JSON.stringify({ ...metrics, accuracy: metrics.accuracy + 0.0123, f1: metrics.f1 - 0.0087, loss: metrics.loss + 0.021 }, null, 4) +
          '\n',
      );
      if (!(await runCommand(page, 'Lineage: Refresh Index'))) throw new Error('no "Lineage: Refresh Index" command');
      await page.waitForTimeout(2000);
      if (!(await runCommand(page, 'Lineage: Compare with Baseline'))) {
        return { status: 'skipped', detail: 'no "Lineage: Compare with Baseline" command yet' };
      }
      const frame = await webviewFrame(page);
      await frame.locator('.row').first().waitFor({ timeout: 30000 });
      await page.waitForTimeout(500);
      const shots = [await screenshot(page, outDir, '03-metric-diff')];
      const rows = await frame.locator('.row').count();
      const colorOf = (selector) =>
        frame
          .locator(selector)
          .first()
          .evaluate((el) => getComputedStyle(el).color)
          .catch(() => undefined);
      const better = await colorOf('.row.better .col-delta');
      const worse = await colorOf('.row.worse .col-delta');
      const plain = await colorOf('.row:not(.better):not(.worse) .col-delta');
      if (!better || !worse)
        throw new Error(`expected better and worse rows after changing accuracy/f1/loss; ${rows} rows, better ${better}, worse ${worse}`);
      if (better === worse || better === plain || worse === plain)
        throw new Error(`better/worse/unchanged deltas share a color: ${better} / ${worse} / ${plain}`);
      return { status: 'passed', detail: `${rows} rows; better ${better}, worse ${worse}, unchanged ${plain}`, shots };
    },
  },
  {
    name: 'the ML Lineage output channel logs the index run',
    async run({ page, outDir }) {
      // Output channels are listed by name in the Output view's picker; this is the log a
      // person would open when something looks wrong.
      if (!(await runCommand(page, 'Output: Show Output Channels...'))) return { status: 'skipped', detail: 'no output channel picker' };
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'ML Lineage' }).first();
      if (!(await row.count())) {
        await page.keyboard.press('Escape');
        throw new Error('no "ML Lineage" output channel');
      }
      await row.click();
      await page.waitForTimeout(1000);
      return { status: 'passed', shots: [await screenshot(page, outDir, '04-output-ml-lineage')] };
    },
  },
  {
    name: '10,000 metric keys: the Metric Diff renders them virtualized and scrolls smoothly',
    async run({ page, outDir, demo }) {
      // eval/metrics.json is declared as a metric in dvc.yaml: overwrite it with 10,000 keys.
      const file = join(demo, 'eval', 'metrics.json');
      const KEYS = 10000;
      const big = {};
      for (let i = 0; i < KEYS; i++) big[`m${String(i).padStart(5, '0')}`] = Math.round(Math.sin(i) * 1e6) / 1e6;
      writeFileSync(file, JSON.stringify(big, null, 1) + '\n');
      try {
        await closeAllEditors(page);
        if (!(await runCommand(page, 'Lineage: Refresh Index'))) throw new Error('no "Lineage: Refresh Index" command');
        await page.waitForTimeout(3000);
        const started = Date.now();
        if (!(await runCommand(page, 'Lineage: Compare with Baseline'))) throw new Error('no "Lineage: Compare with Baseline" command');
        const frame = await webviewFrame(page);
        // Rows rendered and the summary counting every key (the first init may predate the index run; deltas follow).
        const inFrame = await frame
          .waitForFunction(
            (min) => {
              const total = Number(/of (\d+)/.exec(document.querySelector('.summary')?.textContent ?? '')?.[1] ?? 0);
              const rows = document.querySelectorAll('.body .row:not([hidden])').length;
              return total >= min && rows > 0 ? { total, rows, docMs: Math.round(performance.now()) } : false;
            },
            KEYS,
            { timeout: 60000, polling: 'raf' },
          )
          .then((h) => h.jsonValue());
        const renderMs = Date.now() - started;

        // Scroll top → bottom in 20 steps; each step waits two animation frames (the table renders in
        // the first), and counts the row elements in the DOM.
        const scroll = await frame.evaluate(async () => {
          const viewport = document.querySelector('.viewport');
          const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          viewport.scrollTop = 0;
          await frames();
          const max = viewport.scrollHeight - viewport.clientHeight;
          const steps = [];
          let maxRowsInDom = 0;
          let maxShown = 0;
          const t0 = performance.now();
          for (let i = 1; i <= 20; i++) {
            const t = performance.now();
            viewport.scrollTop = Math.round((max * i) / 20);
            await frames();
            steps.push(performance.now() - t);
            maxRowsInDom = Math.max(maxRowsInDom, document.querySelectorAll('.body .row').length);
            maxShown = Math.max(maxShown, document.querySelectorAll('.body .row:not([hidden])').length);
          }
          const totalMs = performance.now() - t0;
          const shownIndexes = [...document.querySelectorAll('.body .row:not([hidden])')].map((r) =>
            Number(r.getAttribute('aria-rowindex')),
          );
          return {
            totalMs,
            steps,
            maxStepMs: Math.max(...steps),
            maxRowsInDom,
            maxShown,
            lastRowIndex: Math.max(...shownIndexes),
            rowCount: Number(viewport.getAttribute('aria-rowcount')),
            scrollHeight: viewport.scrollHeight,
          };
        });
        const shots = [await screenshot(page, outDir, '05-metric-diff-10k')];
        const detail =
          `${inFrame.total} rows; rows on screen ${renderMs} ms after the command (${inFrame.docMs} ms after the webview document started); ` +
          `scroll top→bottom in 20 steps ${scroll.totalMs.toFixed(0)} ms (slowest step ${scroll.maxStepMs.toFixed(0)} ms, median ${median(scroll.steps).toFixed(0)} ms); ` +
          `at most ${scroll.maxRowsInDom} row elements in the DOM (${scroll.maxShown} shown)`;
        process.stdout.write(`[vscode]   10k keys: ${detail}\n`);
        if (scroll.maxRowsInDom >= 200) throw new Error(`not virtualized: ${scroll.maxRowsInDom} row elements in the DOM (${detail})`);
        if (scroll.lastRowIndex !== scroll.rowCount)
          throw new Error(
            `the bottom of the table is not rendered after scrolling: last row index ${scroll.lastRowIndex}, aria-rowcount ${scroll.rowCount}`,
          );
        if (renderMs + scroll.totalMs > 10000) throw new Error(`too slow for a sanity bound of 10 s: ${detail}`);
        return { status: 'passed', detail, shots };
      } finally {
        execFileSync('git', ['-C', demo, 'checkout', '--', 'eval/metrics.json']);
        await closeAllEditors(page);
        await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
        await page.waitForTimeout(1500);
      }
    },
  },
  {
    name: 'metric names with markup, quotes and newlines show as text (Metric Diff, Runs tooltip)',
    async run({ page, outDir, demo }) {
      const EVIL = '<img src=x onerror=alert(1)>';
      const QUOTED = 'say "hi" & \'bye\'\nsecond line';
      const file = join(demo, 'eval', 'metrics.json');
      const settingsDir = join(demo, '.vscode');
      const dialogs = [];
      const onDialog = (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss().catch(() => {});
      };
      page.on('dialog', onDialog);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), [EVIL]: 0.5, [QUOTED]: 0.25 }, null, 4) + '\n');
      try {
        await closeAllEditors(page);
        if (!(await runCommand(page, 'Lineage: Refresh Index'))) throw new Error('no "Lineage: Refresh Index" command');
        await page.waitForTimeout(2500);
        if (!(await runCommand(page, 'Lineage: Compare with Baseline'))) throw new Error('no "Lineage: Compare with Baseline" command');
        const frame = await webviewFrame(page);
        // The key column shows a newline as ⏎ (one line per row); the row's title keeps the key as it is.
        const shownAs = [EVIL, QUOTED].map((k) => k.replace(/\r\n|\r|\n/g, '⏎'));
        await frame
          .waitForFunction(
            (names) => {
              const keys = [...document.querySelectorAll('.body .row:not([hidden]) .col-key')].map((c) => c.textContent);
              return names.every((n) => keys.includes(n));
            },
            shownAs,
            { timeout: 30000 },
          )
          .catch(async (error) => {
            const keys = await frame
              .evaluate(() => [...document.querySelectorAll('.body .row:not([hidden]) .col-key')].map((c) => c.textContent))
              .catch(() => []);
            throw new Error(`${error.message.split('\n')[0]}; key cells: ${JSON.stringify(keys)}`);
          });
        const found = await frame.evaluate(
          ({ names, shown }) => {
            const cells = [...document.querySelectorAll('.body .row .col-key')];
            const rowOf = (name) => cells.find((c) => c.textContent === shown[names.indexOf(name)])?.closest('.row');
            return {
              images: document.querySelectorAll('img').length,
              inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
                .length,
              titles: names.map((n) => rowOf(n)?.getAttribute('title') ?? null),
              cellChildren: shown.map((n) => cells.find((c) => c.textContent === n)?.children.length ?? -1),
            };
          },
          { names: [EVIL, QUOTED], shown: shownAs },
        );
        const shots = [await screenshot(page, outDir, '06-metric-diff-bad-names')];
        if (found.images !== 0) throw new Error(`${found.images} <img> element(s) in the Metric Diff webview`);
        if (found.inlineHandlers !== 0)
          throw new Error(`${found.inlineHandlers} element(s) with on* attributes in the Metric Diff webview`);
        if (found.cellChildren.some((n) => n !== 0))
          throw new Error(`key cells have child elements: ${JSON.stringify(found.cellChildren)}`);
        if (!found.titles.every((t, i) => t?.includes([EVIL, QUOTED][i])))
          throw new Error(`row titles do not carry the names as text: ${JSON.stringify(found.titles)}`);

        // The Runs tree's tooltip, as VS Code renders it: the name as headline metric (workspace setting).
        await closeAllEditors(page);
        mkdirSync(settingsDir, { recursive: true });
        writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ 'lineage.headlineMetric': EVIL }, null, 2) + '\n');
        if (!(await showViewContainer(page, 'ML Lineage'))) throw new Error('no ML Lineage view container');
        const pane = await viewPane(page, 'Runs');
        const row = pane.locator('.monaco-list-row[aria-level="1"]').first();
        const description = pane.locator('.monaco-list-row[aria-level="1"] .label-description').first();
        await page.waitForFunction(
          ({ sel, name }) => [...document.querySelectorAll(sel)].some((e) => e.textContent.includes(name)),
          { sel: '.sidebar .monaco-list-row[aria-level="1"] .label-description', name: EVIL },
          { timeout: 15000 },
        );
        const descriptionText = await description.innerText();
        // Hovers render `&nbsp;` as U+00A0: compare with plain spaces.
        const hoverOver = async () => {
          await page.mouse.move(700, 450);
          await page.waitForTimeout(300);
          await row.hover();
          const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
          await hover.waitFor({ state: 'visible', timeout: 10000 });
          await page.waitForTimeout(300);
          return { text: (await hover.innerText()).replace(/\u00a0/g, ' '), images: await hover.locator('img').count() };
        };
        const evilHover = await hoverOver();
        shots.push(await screenshot(page, outDir, '07-runs-tooltip-bad-name'));
        if (evilHover.images !== 0)
          throw new Error(`${evilHover.images} <img> element(s) in the Runs tooltip: ${JSON.stringify(evilHover.text)}`);
        if (!evilHover.text.includes(`${EVIL}: 0.5`))
          throw new Error(`the Runs tooltip does not show ${EVIL} as text: ${JSON.stringify(evilHover.text)}`);

        writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ 'lineage.headlineMetric': QUOTED }, null, 2) + '\n');
        await page.waitForFunction(
          ({ sel, name }) => [...document.querySelectorAll(sel)].some((e) => e.textContent.includes(name)),
          { sel: '.sidebar .monaco-list-row[aria-level="1"] .label-description', name: 'say "hi"' },
          { timeout: 15000 },
        );
        const quotedHover = await hoverOver();
        shots.push(await screenshot(page, outDir, '08-runs-tooltip-quoted-name'));
        if (quotedHover.images !== 0) throw new Error(`${quotedHover.images} <img> element(s) in the Runs tooltip`);
        if (!quotedHover.text.includes('say "hi" & \'bye\'') || !quotedHover.text.includes('second line'))
          throw new Error(`the Runs tooltip does not show the quoted name as text: ${JSON.stringify(quotedHover.text)}`);
        const hoverText = `${evilHover.text} ||| ${quotedHover.text}`;
        if (dialogs.length) throw new Error(`dialogs opened: ${JSON.stringify(dialogs)}`);
        return {
          status: 'passed',
          detail: `webview: 0 <img>, names as text; tree description ${JSON.stringify(descriptionText)}; tooltip ${JSON.stringify(hoverText.replace(/\s+/g, ' ').slice(0, 160))}`,
          shots,
        };
      } finally {
        page.off('dialog', onDialog);
        await page.mouse.move(700, 450).catch(() => {});
        rmSync(settingsDir, { recursive: true, force: true });
        execFileSync('git', ['-C', demo, 'checkout', '--', 'eval/metrics.json']);
        await closeAllEditors(page);
        await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
      }
    },
  },
  {
    name: 'Pipeline DAG: stages and files laid out without overlaps, colored by state; a click opens dvc.yaml with CodeLens',
    async run({ page, outDir, demo }) {
      // A dep edited on disk (then Refresh) makes evaluate "changed": two states, two colors.
      const dep = join(demo, 'src', 'evaluate.py');
      writeFileSync(dep, `${readFileSync(dep, 'utf8')}# tweak\n`);
      try {
        return await pipelineDagCheck(page, outDir);
      } finally {
        execFileSync('git', ['-C', demo, 'checkout', '--', 'src/evaluate.py']);
        await closeAllEditors(page);
        await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
      }
    },
  },
  {
    name: 'Reproduce Stage… lists stages with their state and runs the pick as a task in the terminal',
    async run({ page, outDir, demo }) {
      // The demo's stages need pandas and torch: a small project with a shell command stands in.
      const dir = join(demo, 'repro-visual');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'dvc.yaml'),
        'stages:\n  report:\n    cmd: echo "reading notes.txt" && sleep 1 && wc -l < notes.txt > report.txt && echo "report written"\n    deps:\n      - notes.txt\n    outs:\n      - report.txt\n',
      );
      writeFileSync(join(dir, 'notes.txt'), 'one\ntwo\n');
      try {
        await closeAllEditors(page);
        await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
        await page.waitForTimeout(1500);
        if (!(await runCommand(page, 'Lineage: Reproduce Stage…')))
          return { status: 'skipped', detail: 'no "Lineage: Reproduce Stage…" command yet' };
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'repro-visual/dvc.yaml:report' }).first();
        await row.waitFor({ timeout: 20000 });
        const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
        const shots = [await screenshot(page, outDir, '11-reproduce-stage-pick')];
        if (!rows.some((r) => r.includes('repro-visual/dvc.yaml:report') && r.includes('never run')))
          throw new Error(`the pick does not show the stage's state: ${JSON.stringify(rows)}`);
        await row.click();
        const lock = join(dir, 'dvc.lock');
        const deadline = Date.now() + 30000;
        while (!existsSync(lock) && Date.now() < deadline) await page.waitForTimeout(250);
        if (!existsSync(lock)) throw new Error('no repro-visual/dvc.lock 30 s after picking the stage');
        await page.waitForTimeout(1000);
        shots.push(await screenshot(page, outDir, '12-reproduce-terminal'));
        return {
          status: 'passed',
          detail: `pick rows ${JSON.stringify(rows.map((r) => r.split('\n')[0]))}; repro-visual/dvc.lock written`,
          shots,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await page.keyboard.press('Escape').catch(() => {});
        await runCommand(page, 'View: Hide Panel').catch(() => false);
        await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
      }
    },
  },
  pipelineProblemsCheck,
  ...chartChecks,
  {
    name: 'inline diffs in a metrics file: colored hints, CodeLens, status bar, Explorer badge and hover',
    run: inlineDiffsCheck,
  },
  ...registryChecks,
  ...experimentsChecks,
];

/** The DAG webview as a person sees it (run by the check above, with evaluate made "changed"). */
async function pipelineDagCheck(page, outDir) {
  await closeAllEditors(page);
  await runCommand(page, 'View: Hide Panel').catch(() => false);
  if (!(await runCommand(page, 'Lineage: Refresh Index'))) throw new Error('no "Lineage: Refresh Index" command');
  if (!(await runCommand(page, 'Lineage: Show Pipeline DAG')))
    return { status: 'skipped', detail: 'no "Lineage: Show Pipeline DAG" command yet' };
  const frame = await webviewFrame(page);
  await frame.locator('svg.dag .node.stage.state-changed').first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  const info = await frame.evaluate(() => {
    const boxes = [...document.querySelectorAll('svg.dag .node')].map((g) => ({
      id: g.getAttribute('data-id'),
      r: g.querySelector('.box').getBoundingClientRect(),
    }));
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          overlaps.push(`${boxes[i].id} / ${boxes[j].id}`);
      }
    }
    const states = [
      ...new Set([...document.querySelectorAll('svg.dag .node.stage')].map((g) => [...g.classList].find((c) => c.startsWith('state-')))),
    ];
    const colors = Object.fromEntries(states.map((s) => [s, getComputedStyle(document.querySelector(`.node.stage.${s} .box`)).stroke]));
    return {
      stages: [...document.querySelectorAll('.node.stage .label')].map((e) => e.textContent),
      files: document.querySelectorAll('.node.file').length,
      edges: document.querySelectorAll('.edge').length,
      overlaps,
      colors,
      images: document.querySelectorAll('img').length,
      inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      summary: document.querySelector('.summary')?.textContent,
    };
  });
  const shots = [await screenshot(page, outDir, '09-pipeline-dag')];
  const missing = ['prepare', 'featurize', 'train@small', 'train@large', 'evaluate'].filter((s) => !info.stages.includes(s));
  if (missing.length) throw new Error(`the DAG lacks stages ${missing.join(', ')}: ${JSON.stringify(info)}`);
  if (info.overlaps.length) throw new Error(`overlapping nodes: ${info.overlaps.join(', ')}`);
  if (info.edges < info.stages.length || info.files === 0) throw new Error(`too few edges or files: ${JSON.stringify(info)}`);
  if (info.images || info.inlineHandlers) throw new Error(`${info.images} <img>, ${info.inlineHandlers} on* attributes in the DAG webview`);
  const colorValues = Object.values(info.colors);
  if (colorValues.length < 2) throw new Error(`expected up-to-date and changed stages: ${JSON.stringify(info.colors)}`);
  if (new Set(colorValues).size !== colorValues.length) throw new Error(`two states share a color: ${JSON.stringify(info.colors)}`);

  // A click on a stage opens its dvc.yaml at the stage, with "▶ Reproduce · <state>" CodeLens.
  await frame
    .locator('.node.stage .label', { hasText: /^evaluate$/ })
    .first()
    .click();
  const lens = page.locator('.monaco-editor .codelens-decoration:visible', { hasText: 'Reproduce' }).first();
  await lens.waitFor({ timeout: 20000 });
  await page.waitForTimeout(500);
  const lensTexts = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
  shots.push(await screenshot(page, outDir, '10-dvc-yaml-codelens'));
  if (!lensTexts.some((t) => /^▶ Reproduce( \S+)? · /.test(t.trim())))
    throw new Error(`no "▶ Reproduce · <state>" CodeLens: ${JSON.stringify(lensTexts)}`);

  return {
    status: 'passed',
    detail: `${info.summary}; ${info.files} files, ${info.edges} edges; stroke by state ${JSON.stringify(info.colors)}; CodeLens ${JSON.stringify(lensTexts.slice(0, 3))}`,
    shots,
  };
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors').catch(() => false);
  await page.waitForTimeout(300);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
}
