// What a person sees of the Experiments table, in code-server driven by Chromium: the command
// from the palette, a click on a header to sort, a condition typed in the filter bar, a column
// hidden from its header, three rows ticked, then Compare (side by side) and Plots from the
// toolbar; the DOM's cells counted while scrolling end to end; the charts tab. Imported by
// visualChecks.mjs; same contract: return { status, detail?, shots? } or throw.
import { runCommand, screenshot } from './workbench.mjs';

const ACC = 'metrics:eval/metrics.json:accuracy';
const F1 = 'metrics:eval/metrics.json:f1';

/** The webview frame whose document has `selector` (several webviews can be open). */
async function frameWith(page, selector, timeoutMs = 30000) {
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

async function summary(frame) {
  return (await frame.locator('.summary').innerText()).trim();
}

export const experimentsChecks = [
  {
    name: 'Experiments table: sort, filter, hide a column, select three rows, Compare and Plots; under 2,000 cells while scrolling',
    async run({ page, outDir }) {
      await runCommand(page, 'View: Close All Editors').catch(() => false);
      await runCommand(page, 'Notifications: Clear All Notifications').catch(() => false);
      const started = Date.now();
      if (!(await runCommand(page, 'Lineage: Show Experiments Table')))
        return { status: 'skipped', detail: 'no "Lineage: Show Experiments Table" command yet' };
      const frame = await frameWith(page, '.grid .grow:not(.loading)');
      const firstMs = Date.now() - started;
      if (firstMs > 1500) throw new Error(`first rows on screen ${firstMs} ms after the command (palette typing included)`);
      await page.waitForTimeout(400);
      const shots = [await screenshot(page, outDir, 'exp-01-table')];
      const rowsBefore = Number(/^(\d+) rows?/.exec(await summary(frame))?.[1] ?? 0);
      if (rowsBefore < 20) throw new Error(`the table shows ${rowsBefore} rows: ${await summary(frame)}`);
      // Cells coloured against the baseline (checked-out commit): both tones appear in accuracy/loss.
      const tones = await frame.evaluate(() => ({
        better: document.querySelectorAll('.grid .c.better').length,
        worse: document.querySelectorAll('.grid .c.worse').length,
      }));

      // Sort: two clicks on the accuracy header → descending.
      const accHead = frame.locator(`.hc[data-col="${ACC}"] .hl`).first();
      await accHead.click();
      await frame.locator(`.hc[data-col="${ACC}"][aria-sort="ascending"]`).waitFor({ timeout: 10000 });
      await frame.locator(`.hc[data-col="${ACC}"] .hl`).first().click();
      await frame.locator(`.hc[data-col="${ACC}"][aria-sort="descending"]`).waitFor({ timeout: 10000 });
      await page.waitForTimeout(600);
      const topAcc = await frame.evaluate(
        (id) =>
          [...document.querySelectorAll('.grid .grow')]
            .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
            .filter((r) => !r.querySelector('.indent')?.style.width || r.querySelector('.indent').style.width === '0px')
            .map((r) => Number(r.querySelector(`.c[data-col="${CSS.escape(id)}"]`)?.textContent))
            .filter((v) => Number.isFinite(v))
            .slice(0, 6),
        ACC,
      );
      if (topAcc.length < 3 || topAcc.some((v, i) => i > 0 && v > topAcc[i - 1]))
        throw new Error(`top-level accuracy not descending after sorting: ${JSON.stringify(topAcc)}`);
      shots.push(await screenshot(page, outDir, 'exp-02-sorted'));

      // Filter: a typed condition in the filter bar.
      const input = frame.locator('.filter-input input').first();
      await input.click();
      await input.fill('accuracy >= 0.85');
      await input.press('Enter');
      await frame.locator('.chip', { hasText: 'accuracy >= 0.85' }).waitFor({ timeout: 10000 });
      await frame.waitForFunction(
        (before) => {
          const n = Number(/^(\d+) rows?/.exec(document.querySelector('.summary')?.textContent ?? '')?.[1] ?? 0);
          return n > 0 && n < before;
        },
        rowsBefore,
        { timeout: 15000 },
      );
      const rowsAfter = Number(/^(\d+) rows?/.exec(await summary(frame))?.[1] ?? 0);

      // Hide the f1 column (in view, beside accuracy: columns out of view are not in the DOM) from its header.
      const f1Head = frame.locator(`.hc[data-col="${F1}"]`).first();
      await f1Head.hover();
      await f1Head.locator('.hide-btn').click();
      await frame.locator(`.hc[data-col="${F1}"]`).waitFor({ state: 'detached', timeout: 10000 });
      if (!/\(1 hidden\)/.test(await summary(frame)))
        throw new Error(`the summary does not count the hidden column: ${await summary(frame)}`);

      // Three rows ticked.
      for (const i of [0, 1, 2]) await frame.locator(`.grow[data-index="${i}"] .check`).click();
      await frame.waitForFunction(() => /3 selected/.test(document.querySelector('.summary')?.textContent ?? ''), null, { timeout: 5000 });
      const selectedLabels = await frame.locator('.grow.selected .lt').allInnerTexts();
      shots.push(await screenshot(page, outDir, 'exp-03-filtered-hidden-selected'));

      // Copy as Markdown: what lands on the clipboard (the browser needs the permission to let the page read it back).
      await page
        .context()
        .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin })
        .catch(() => undefined);
      await frame.locator('vscode-button.action-copyMarkdown').click();
      await frame.locator('.status', { hasText: 'Copied 3 rows as Markdown' }).waitFor({ timeout: 10000 });
      const markdown = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `(clipboard not readable: ${e.message})`);
      const mdLines = markdown.trim().split('\n');
      if (!mdLines[0].startsWith('| Row |') || mdLines.length !== 5)
        throw new Error(`the clipboard holds ${JSON.stringify(markdown.slice(0, 300))}`);

      // Compare: the three side by side.
      await frame.locator('vscode-button.action-compare').click();
      await frame.locator('.compare:not([hidden]) .compare-table').waitFor({ timeout: 10000 });
      const compareHeads = await frame.locator('.compare-table thead th').allInnerTexts();
      if (compareHeads.length !== 4) throw new Error(`the side-by-side view has columns ${JSON.stringify(compareHeads)}`);
      shots.push(await screenshot(page, outDir, 'exp-04-compare'));
      await frame.locator('.compare-close').click();

      // Plots of the three.
      await frame.locator('vscode-button.action-plots').click();
      const plots = await frameWith(page, '.plot-grid[data-rendered]', 30000);
      await page.waitForTimeout(800);
      shots.push(await screenshot(page, outDir, 'exp-05-plots'));
      const plotCards = await plots.locator('[data-plot-id]').count();

      // Back to the table (the command reveals it), clear the filter, count cells while scrolling end to end.
      await runCommand(page, 'Lineage: Show Experiments Table');
      const table = await frameWith(page, '.grid .grow:not(.loading)');
      await table
        .locator('.chip-x')
        .first()
        .click()
        .catch(() => undefined);
      await table
        .waitForFunction(
          (n) => Number(/^(\d+) rows?/.exec(document.querySelector('.summary')?.textContent ?? '')?.[1] ?? 0) >= n,
          rowsBefore,
          { timeout: 15000 },
        )
        .catch(() => undefined);
      const scroll = await table.evaluate(async () => {
        const grid = document.querySelector('.grid');
        const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const count = () => document.querySelectorAll('.c').length;
        let maxCells = 0;
        let maxRows = 0;
        const steps = [];
        grid.scrollTop = 0;
        grid.scrollLeft = 0;
        await frames();
        const maxTop = grid.scrollHeight - grid.clientHeight;
        const maxLeft = grid.scrollWidth - grid.clientWidth;
        for (let i = 1; i <= 20; i++) {
          const t = performance.now();
          grid.scrollTop = Math.round((maxTop * i) / 20);
          grid.scrollLeft = Math.round((maxLeft * i) / 20);
          await frames();
          steps.push(performance.now() - t);
          maxCells = Math.max(maxCells, count());
          maxRows = Math.max(maxRows, document.querySelectorAll('.grid .grow').length);
        }
        // Wait for the bottom rows' data.
        for (let k = 0; k < 40 && document.querySelector('.grid .grow.loading'); k++) await new Promise((r) => setTimeout(r, 100));
        const last = Math.max(...[...document.querySelectorAll('.grid .grow')].map((r) => Number(r.getAttribute('aria-rowindex'))));
        return {
          maxCells,
          maxRows,
          slowest: Math.max(...steps),
          total: steps.reduce((a, b) => a + b, 0),
          last,
          rowCount: Number(grid.getAttribute('aria-rowcount')),
          maxTop,
          maxLeft,
        };
      });
      shots.push(await screenshot(page, outDir, 'exp-06-scrolled-end'));
      if (scroll.maxCells >= 2000) throw new Error(`${scroll.maxCells} cells in the DOM while scrolling`);
      if (scroll.last !== scroll.rowCount)
        throw new Error(`the last row is not drawn at the bottom: row index ${scroll.last}, aria-rowcount ${scroll.rowCount}`);
      const security = await table.evaluate(() => ({
        images: document.querySelectorAll('img').length,
        inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      }));
      if (security.images || security.inlineHandlers)
        throw new Error(`${security.images} <img>, ${security.inlineHandlers} on* attributes in the page`);

      // The charts tab: scatter, parallel coordinates, rank correlation.
      await table.evaluate(() => {
        const g = document.querySelector('.grid');
        g.scrollTop = 0;
        g.scrollLeft = 0;
      });
      await table.locator('vscode-button.tab-charts').click();
      await table.locator('.charts-pane[data-drawn]').waitFor({ timeout: 15000 });
      await table.locator('.corr-item').first().waitFor({ timeout: 10000 });
      await page.waitForTimeout(600);
      const corr = await table.locator('.corr-item').count();
      shots.push(await screenshot(page, outDir, 'exp-07-charts'));
      await table.locator('vscode-button.tab-table').click();

      return {
        status: 'passed',
        detail:
          `first rows ${firstMs} ms after the palette command; ${rowsBefore} rows, ${rowsAfter} with accuracy >= 0.85; better/worse cells ${tones.better}/${tones.worse}; top accuracy ${JSON.stringify(topAcc.slice(0, 3))}; ` +
          `selected ${JSON.stringify(selectedLabels)}; copied ${JSON.stringify(mdLines[2].slice(0, 60))}…; Plots drew ${plotCards} plots; scrolling end to end: at most ${scroll.maxCells} cells / ${scroll.maxRows} rows in the DOM, slowest step ${scroll.slowest.toFixed(0)} ms; ${corr} params ranked`,
        shots,
      };
    },
  },
];
