// What a person sees of the chart webviews (Metric History, Plots) and the walkthrough, in
// code-server driven by Chromium. Imported by visualChecks.mjs; same contract: return
// { status, detail?, shots? } or throw.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, screenshot, showViewContainer, treeViewLabels } from './workbench.mjs';

const git = (demo, ...args) => execFileSync('git', ['-C', demo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Commits on main's first-parent chain whose eval/metrics.json has a numeric accuracy (Git only). */
function mainCommitsWithAccuracy(demo) {
  const shas = git(demo, 'rev-list', '--first-parent', 'main').split('\n').filter(Boolean);
  const out = execFileSync('git', ['-C', demo, 'cat-file', '--batch'], {
    input: shas.map((s) => `${s}:eval/metrics.json`).join('\n') + '\n',
    maxBuffer: 64 * 1024 * 1024,
  });
  const found = [];
  let at = 0;
  for (const sha of shas) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString('utf8');
    at = nl + 1;
    if (header.endsWith('missing')) continue;
    const size = Number(header.split(' ')[2]);
    const body = out.subarray(at, at + size).toString('utf8');
    at += size + 1;
    try {
      const accuracy = JSON.parse(body).accuracy;
      if (typeof accuracy === 'number') found.push({ sha, accuracy });
    } catch {
      /* not parsable there */
    }
  }
  return found.reverse();
}

/** The webview frame whose document has `selector` (several webviews can be open). */
async function chartFrame(page, selector, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached() || frame === page.mainFrame()) continue;
      if (
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview with ${selector} within ${timeoutMs / 1000} s`);
}

/** Pixels of a canvas that are not transparent (a blank canvas has none). */
function paintedPixels(frame, selector) {
  return frame.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  }, selector);
}

/** Hovers a chart point the way a person would, at the position Chart.js drew it. */
async function hoverPoint(frame, chartId, label, which) {
  const where = await frame.evaluate(
    ({ chartId, label, which }) => {
      const point = window.lineageCharts.point(chartId, label, which);
      const canvas = document.querySelector(
        `[data-chart-id="${CSS.escape(chartId)}"] canvas, [data-plot-id="${CSS.escape(chartId.replace(/^plot:/, ''))}"] canvas`,
      );
      const rect = canvas.getBoundingClientRect();
      return point && { x: point.x - rect.left, y: point.y - rect.top };
    },
    { chartId, label, which },
  );
  if (!where) throw new Error(`no point ${which} of "${label}" in chart ${chartId}`);
  const canvas = frame.locator(`[data-chart-id="${chartId}"] canvas, [data-plot-id="${chartId.replace(/^plot:/, '')}"] canvas`).first();
  await canvas.hover({ position: where });
  return { canvas, where };
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors').catch(() => false);
  await page.waitForTimeout(300);
}

/** Toggles a row of an open multi-select QuickPick by filtering to it and clicking it. */
async function toggleQuickPickRow(page, filter, text) {
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(filter);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 5000 });
  await row
    .locator('.quick-input-list-checkbox, .monaco-checkbox, input[type="checkbox"]')
    .first()
    .click()
    .catch(() => row.click());
  await input.fill('');
}

/** Whether a QuickPick row is checked (VS Code marks it on the row or on its checkbox). */
async function rowChecked(row) {
  return row.evaluate((el) => {
    if (el.getAttribute('aria-checked')) return el.getAttribute('aria-checked') === 'true';
    const box = el.querySelector('.quick-input-list-checkbox, .monaco-checkbox, input[type="checkbox"]');
    return Boolean(box && (box.checked || box.classList.contains('checked') || box.getAttribute('aria-checked') === 'true'));
  });
}

/** Leaves exactly the rows matching `wanted(label, description)` checked in an open multi-select QuickPick. */
async function checkOnly(page, wanted) {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15000 });
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const label = (
      await row
        .locator('.label-name')
        .first()
        .innerText()
        .catch(() => '')
    ).trim();
    const description = (
      await row
        .locator('.label-description')
        .first()
        .innerText()
        .catch(() => '')
    ).trim();
    if ((await rowChecked(row)) !== wanted(label, description)) {
      await row
        .locator('.quick-input-list-checkbox, .monaco-checkbox, input[type="checkbox"]')
        .first()
        .click()
        .catch(() => row.click());
    }
  }
}

/** A screenshot of the editor area alone, in a taller window (for the README), then back. */
async function tallShot(page, outDir, name) {
  const size = page.viewportSize();
  await runCommand(page, 'View: Close Primary Side Bar').catch(() => false);
  await page.setViewportSize({ width: 1440, height: 1180 });
  await page.waitForTimeout(1200);
  const file = await screenshot(page, outDir, name);
  await page.setViewportSize(size);
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility').catch(() => false);
  await page.waitForTimeout(500);
  return file;
}

/**
 * With LINEAGE_WALKTHROUGH_IMAGES=<dir>: the pictures of the walkthrough steps, clipped from
 * the workbench (media/walkthrough/ holds the ones shipped; README says how to redo them).
 */
async function walkthroughImages(page, demo, dir) {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const shots = [];
  const clip = async (name, box) => {
    const file = join(dir, `${name}.png`);
    await page.waitForTimeout(900);
    await page.screenshot({ path: file, clip: box });
    shots.push(file);
  };
  const full = { x: 0, y: 0, width: 1440, height: 900 };
  await closeAllEditors(page);
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => false);
  // 1. The demo open: the Runs view with its branches.
  await showViewContainer(page, 'ML Lineage');
  await treeViewLabels(page, 'Runs');
  const current = page.locator('.sidebar .monaco-list-row[aria-level="2"][aria-expanded="true"]').first();
  if (await current.count()) await current.locator('.monaco-tl-twistie').click();
  await clip('open-demo', { x: 0, y: 0, width: 760, height: 560 });
  // 2. Browse runs: main expanded, a commit's tooltip.
  const mainRow = page.locator('.sidebar .monaco-list-row[aria-level="2"]').filter({ hasText: /^main/ }).first();
  if ((await mainRow.getAttribute('aria-expanded', { timeout: 5000 }).catch(() => 'true')) === 'false')
    await mainRow.locator('.monaco-tl-twistie').click();
  await page.waitForTimeout(500);
  const commit = page.locator('.sidebar .monaco-list-row[aria-level="3"]').nth(2);
  await commit.hover();
  await page
    .locator('.monaco-hover:visible, .workbench-hover:visible')
    .first()
    .waitFor({ timeout: 10000 })
    .catch(() => undefined);
  await clip('browse-runs', { x: 0, y: 0, width: 900, height: 620 });
  await page.mouse.move(900, 700);
  // 3. Compare branches: the Metric Diff of main and the workspace (with an edit).
  const metricsFile = join(demo, 'eval', 'metrics.json');
  const original = readFileSync(metricsFile, 'utf8');
  const m = JSON.parse(original);
  writeFileSync(
    metricsFile,
    JSON.stringify({ ...m, accuracy: m.accuracy + 0.0123, f1: m.f1 - 0.0087, loss: m.loss + 0.021 }, null, 4) + '\n',
  );
  try {
    await runCommand(page, 'Lineage: Refresh Index');
    await page.waitForTimeout(2000);
    await runCommand(page, 'Lineage: Compare with Baseline');
    await chartFrame(page, '.row');
    await clip('compare-branches', { x: 340, y: 40, width: 1100, height: 560 });
    // 4. Inline diffs: the edited file in the editor.
    await closeAllEditors(page);
    await runCommand(page, 'Go to File...').catch(() => false);
    await page.locator('.quick-input-widget input.input').fill('eval/metrics.json');
    await page.waitForTimeout(800);
    await page.locator('.quick-input-widget input.input').press('Enter');
    await page.waitForTimeout(3000);
    await clip('inline-diffs', { x: 340, y: 40, width: 1100, height: 460 });
  } finally {
    writeFileSync(metricsFile, original);
    await closeAllEditors(page);
    await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
  }
  // 5. Reproduce: dvc.yaml with its CodeLens.
  await runCommand(page, 'Go to File...').catch(() => false);
  await page.locator('.quick-input-widget input.input').fill('dvc.yaml');
  await page.waitForTimeout(800);
  await page.locator('.quick-input-widget input.input').press('Enter');
  await page.waitForTimeout(3000);
  await clip('reproduce', { x: 340, y: 40, width: 1100, height: 560 });
  await closeAllEditors(page);
  // 6, 7. The charts, without the side bar.
  await runCommand(page, 'View: Close Primary Side Bar').catch(() => false);
  await runCommand(page, 'Lineage: Show Metric History…');
  await checkOnly(page, (label, description) => label === 'accuracy' && description === 'eval/metrics.json');
  await page.locator('.quick-input-widget input.input').press('Enter');
  const frame = await chartFrame(page, '.chart-card[data-points]');
  await frame.locator('vscode-button', { hasText: 'Other revisions…' }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10000 });
  await toggleQuickPickRow(page, 'bigger-model', 'feature/bigger-model');
  await toggleQuickPickRow(page, 'lr-sweep', 'exp/lr-sweep');
  await page.locator('.quick-input-widget input.input').press('Enter');
  await page.waitForTimeout(1500);
  await clip('metric-history', { x: 50, y: 40, width: 1390, height: 860 });
  await closeAllEditors(page);
  await runCommand(page, 'Lineage: Show Plots…');
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15000 });
  await toggleQuickPickRow(page, 'workspace', 'workspace');
  await toggleQuickPickRow(page, 'bigger-model', 'feature/bigger-model');
  await page.locator('.quick-input-widget input.input').press('Enter');
  await chartFrame(page, '.plot-grid[data-rendered]');
  await page.setViewportSize({ width: 1440, height: 1180 });
  await clip('plots', { x: 50, y: 40, width: 1390, height: 1120 });
  await page.setViewportSize({ width: 1440, height: 900 });
  await closeAllEditors(page);
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility').catch(() => false);
  void full;
  return shots;
}

export const chartChecks = [
  {
    name: 'Metric History: accuracy along main drawn (one point per commit), tooltip of a known commit, click reveals it in the Runs view',
    async run({ page, outDir, demo }) {
      await closeAllEditors(page);
      const expected = mainCommitsWithAccuracy(demo);
      if (!(await runCommand(page, 'Lineage: Show Metric History…')))
        return { status: 'skipped', detail: 'no "Lineage: Show Metric History…" command yet' };
      // The metric QuickPick (the headline metric preselected): keep only accuracy of eval/metrics.json.
      await checkOnly(page, (label, description) => label === 'accuracy' && description === 'eval/metrics.json');
      const started = Date.now();
      await page.locator('.quick-input-widget input.input').press('Enter');
      const frame = await chartFrame(page, '.chart-card[data-chart-id^="history:"][data-points]');
      const chartId = await frame.locator('.chart-card[data-chart-id^="history:"]').first().getAttribute('data-chart-id');
      const drawnMs = Date.now() - started;
      const renderMs = await frame.locator('.history-grid').getAttribute('data-render-ms');
      const counts = await frame.evaluate((id) => window.lineageCharts.counts(id), chartId);
      const painted = await paintedPixels(frame, `.chart-card[data-chart-id="${chartId}"] canvas`);
      if (painted < 2000) throw new Error(`the history canvas looks blank: ${painted} painted pixels`);
      if (counts.main !== expected.length)
        throw new Error(`the chart has ${counts.main} points on main; main has ${expected.length} commits with a numeric accuracy`);

      // Hover a known commit: the tooltip names its short sha, subject and value.
      const known = expected[Math.floor(expected.length / 3)];
      const subject = git(demo, 'log', '-1', '--format=%s', known.sha).trim();
      const { canvas, where } = await hoverPoint(frame, chartId, 'main', known.sha);
      const tooltip = frame.locator('.chart-tooltip:visible').first();
      await tooltip.waitFor({ timeout: 5000 });
      const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
      const shots = [await screenshot(page, outDir, '11-metric-history-tooltip')];
      if (!text.includes(`${known.sha.slice(0, 8)} ${subject}`) || !text.includes(`accuracy: ${known.accuracy}`)) {
        throw new Error(`tooltip ${JSON.stringify(text)} does not show ${known.sha.slice(0, 8)} "${subject}" accuracy ${known.accuracy}`);
      }

      // Click it: the Runs view reveals and selects that commit.
      await canvas.click({ position: where });
      const selected = page
        .locator('.sidebar .monaco-list-row.selected, .sidebar .monaco-list-row[aria-selected="true"]')
        .filter({ hasText: known.sha.slice(0, 8) })
        .first();
      await selected.waitFor({ timeout: 15000 }).catch(async () => {
        const rows = await page
          .locator('.sidebar .monaco-list-row.selected')
          .allInnerTexts()
          .catch(() => []);
        throw new Error(`after the click, the Runs view does not select ${known.sha.slice(0, 8)}; selected rows: ${JSON.stringify(rows)}`);
      });
      shots.push(await screenshot(page, outDir, '12-metric-history-revealed'));

      // Overlay two more branches (the "Other revisions…" picker) for the picture.
      await frame.locator('vscode-button', { hasText: 'Other revisions…' }).first().click();
      await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10000 });
      await toggleQuickPickRow(page, 'bigger-model', 'feature/bigger-model');
      await toggleQuickPickRow(page, 'lr-sweep', 'exp/lr-sweep');
      await page.locator('.quick-input-widget input.input').press('Enter');
      await frame
        .waitForFunction((id) => Object.keys(window.lineageCharts.counts(id)).length >= 3, chartId, { timeout: 20000 })
        .catch(() => undefined);
      const overlaid = await frame.evaluate((id) => window.lineageCharts.counts(id), chartId);
      shots.push(await tallShot(page, outDir, '13-metric-history'));
      return {
        status: 'passed',
        detail: `${counts.main} points on main = ${expected.length} commits with accuracy; ${painted} painted pixels; on screen ${drawnMs} ms after the metric was picked (page drawing: ${renderMs} ms); tooltip ${JSON.stringify(text)}; overlay ${JSON.stringify(overlaid)}`,
        shots,
      };
    },
  },
  {
    name: 'Plots: two revisions — the ROC and the confusion matrix drawn for both, tooltip on a cell, PNG export saved',
    async run({ page, outDir, demo }) {
      await closeAllEditors(page);
      if (!(await runCommand(page, 'Lineage: Show Plots…'))) return { status: 'skipped', detail: 'no "Lineage: Show Plots…" command yet' };
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15000 });
      // Default: workspace and HEAD checked. Swap the workspace for a branch, as a person would.
      await toggleQuickPickRow(page, 'workspace', 'workspace');
      await toggleQuickPickRow(page, 'bigger-model', 'feature/bigger-model');
      await page.locator('.quick-input-widget input.input').press('Enter');
      const frame = await chartFrame(page, '.plot-grid[data-rendered] .plot-card[data-kind="confusion"]');
      await page.waitForTimeout(500);
      const revisions = await frame.locator('.rev-chip').allInnerTexts();
      const plotsMs = await frame.locator('.plot-grid').getAttribute('data-render-ms');
      if (revisions.length < 2) throw new Error(`expected two revisions, the page shows ${JSON.stringify(revisions)}`);
      const rocRows = (rev) => git(demo, 'show', `${rev}:eval/plots/roc.csv`).trim().split('\n').length - 1;
      const counts = await frame.evaluate(() => window.lineageCharts.counts('plot:roc'));
      const rocPainted = await paintedPixels(frame, '.plot-card[data-plot-id="roc"] canvas');
      if (rocPainted < 2000) throw new Error(`the ROC canvas looks blank (${rocPainted} painted pixels)`);
      if (Object.keys(counts).length !== revisions.length)
        throw new Error(`ROC datasets ${JSON.stringify(counts)} for revisions ${JSON.stringify(revisions)}`);
      if (counts.HEAD !== undefined && counts.HEAD !== rocRows('HEAD'))
        throw new Error(`ROC at HEAD has ${counts.HEAD} points, roc.csv ${rocRows('HEAD')} rows`);
      const matrices = await frame.evaluate(() =>
        [...document.querySelectorAll('.plot-card[data-kind="confusion"] canvas')].map((c) => ({
          cells: Number(c.dataset.cells),
          total: Number(c.dataset.total),
        })),
      );
      if (matrices.length !== revisions.length) throw new Error(`${matrices.length} confusion matrices for ${revisions.length} revisions`);
      const confusionRows = git(demo, 'show', 'HEAD:eval/plots/confusion.csv').trim().split('\n').length - 1;
      if (!matrices.some((m) => m.total === confusionRows))
        throw new Error(`no matrix counts HEAD's ${confusionRows} rows: ${JSON.stringify(matrices)}`);
      const matrixPainted = await paintedPixels(frame, '.plot-card[data-kind="confusion"] canvas');
      if (matrixPainted < 2000) throw new Error(`the confusion matrix canvas looks blank (${matrixPainted} painted pixels)`);
      // A cell's tooltip.
      const matrix = frame.locator('.plot-card[data-kind="confusion"] canvas').first();
      const box = await matrix.boundingBox();
      await matrix.hover({ position: { x: box.width - 40, y: 30 } });
      const cellTip = await frame
        .locator('.chart-tooltip:visible')
        .first()
        .innerText()
        .catch(() => '');
      const shots = [await screenshot(page, outDir, '14-plots')];
      if (!/count: \d+/.test(cellTip)) throw new Error(`no count in the confusion cell tooltip: ${JSON.stringify(cellTip)}`);

      // PNG export through the save dialog (code-server's simple file dialog is a quick input).
      const dir = mkdtempSync(join(tmpdir(), 'lineage-png-'));
      const target = join(dir, 'roc-export.png');
      let exported = 'not tried';
      try {
        await frame.locator('.plot-card[data-plot-id="roc"] .export-png').first().click();
        const input = page.locator('.quick-input-widget input.input');
        await input.waitFor({ state: 'visible', timeout: 10000 });
        // The simple file dialog fills in its default (<folder>/ROC.png) once it has read the folder.
        await page
          .waitForFunction(() => /\.png$/.test(document.querySelector('.quick-input-widget input.input')?.value ?? ''), undefined, {
            timeout: 10000,
          })
          .catch(() => undefined);
        await input.fill(target);
        await page.waitForTimeout(600);
        shots.push(await screenshot(page, outDir, '15-plots-save-dialog'));
        await input.press('Enter');
        // The simple file dialog may first complete the path; a second Enter accepts it.
        for (let i = 0; i < 8 && !existsSync(target); i++) {
          await page.waitForTimeout(500);
          if (!existsSync(target) && (await input.isVisible().catch(() => false))) await input.press('Enter');
        }
        // "Replace?" or a second confirmation would be a dialog; none expected for a new file.
        for (let i = 0; i < 40 && !existsSync(target); i++) await page.waitForTimeout(250);
        if (!existsSync(target)) throw new Error(`the PNG export did not write ${target}`);
        const bytes = readFileSync(target);
        if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || bytes.length < 2000)
          throw new Error(`${target} is not a PNG of a chart (${bytes.length} bytes)`);
        exported = `${bytes.length} bytes`;
      } finally {
        await page.keyboard.press('Escape').catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      }
      shots.push(await tallShot(page, outDir, '15-plots-wide'));
      return {
        status: 'passed',
        detail: `revisions ${JSON.stringify(revisions)}; ${await frame.locator('.plot-card').count()} plots drawn in ${plotsMs} ms; ROC points ${JSON.stringify(counts)} (${rocPainted} px); matrices ${JSON.stringify(matrices)} (${matrixPainted} px); cell tooltip ${JSON.stringify(cellTip.replace(/\s+/g, ' '))}; PNG export ${exported}`,
        shots,
      };
    },
  },
  {
    name: 'the walkthrough opens from "Lineage: Open Walkthrough" with its steps and images',
    async run({ page, outDir }) {
      await closeAllEditors(page);
      if (!(await runCommand(page, 'Lineage: Open Walkthrough')))
        return { status: 'skipped', detail: 'no "Lineage: Open Walkthrough" command' };
      const title = page
        .locator('.gettingStartedContainer .getting-started-category .category-title, .gettingStartedContainer h2')
        .filter({ hasText: 'ML Lineage' })
        .first();
      await title.waitFor({ timeout: 20000 });
      const steps = await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
      await page.waitForTimeout(1000);
      const images = await page.locator('.gettingStartedContainer .getting-started-media img').count();
      const shots = [await screenshot(page, outDir, '16-walkthrough')];
      if (steps.length < 6) throw new Error(`the walkthrough shows ${steps.length} steps: ${JSON.stringify(steps)}`);
      if (images < 1) throw new Error('the walkthrough step shows no image');
      await showViewContainer(page, 'ML Lineage').catch(() => false);
      return { status: 'passed', detail: `${steps.length} steps: ${steps.join(' | ')}`, shots };
    },
  },
  {
    name: 'walkthrough images (only with LINEAGE_WALKTHROUGH_IMAGES=<dir>)',
    async run({ page, demo }) {
      const dir = process.env.LINEAGE_WALKTHROUGH_IMAGES;
      if (!dir) return { status: 'skipped', detail: 'set LINEAGE_WALKTHROUGH_IMAGES=<dir> to take them' };
      return { status: 'passed', shots: await walkthroughImages(page, demo, dir) };
    },
  },
];
