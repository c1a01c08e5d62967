// Checks of what a person sees, run by runInCodeServer.mjs after the in-host suites (so the
// demo repository is indexed). Each returns { status: 'passed' | 'skipped', detail?, shots? }
// or throws (a failure). A check whose feature is not built yet returns 'skipped'.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearNotifications, runCommand, screenshot, showViewContainer, treeViewLabels, webviewFrame } from './workbench.mjs';

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
        return { status: 'skipped', detail: 'no "ML Lineage" activity-bar item or "View: Show ML Lineage" command yet', shots: [await screenshot(page, outDir, '02-runs-view')] };
      }
      const rows = (await treeViewLabels(page, 'Runs')).map((r) => r.trim());
      const shots = [await screenshot(page, outDir, '02-runs-view')];
      const missing = demoBranches.filter((b) => !rows.includes(b));
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
      writeFileSync(file, JSON.stringify({ ...metrics, accuracy: metrics.accuracy + 0.0123, f1: metrics.f1 - 0.0087, loss: metrics.loss + 0.021 }, null, 4) + '\n');
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
      const colorOf = (selector) => frame.locator(selector).first().evaluate((el) => getComputedStyle(el).color).catch(() => undefined);
      const better = await colorOf('.row.better .col-delta');
      const worse = await colorOf('.row.worse .col-delta');
      const plain = await colorOf('.row:not(.better):not(.worse) .col-delta');
      if (!better || !worse) throw new Error(`expected better and worse rows after changing accuracy/f1/loss; ${rows} rows, better ${better}, worse ${worse}`);
      if (better === worse || better === plain || worse === plain) throw new Error(`better/worse/unchanged deltas share a color: ${better} / ${worse} / ${plain}`);
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
];
