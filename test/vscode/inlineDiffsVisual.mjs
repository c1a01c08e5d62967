// What a person sees of inline diffs: a metrics file whose values moved against main (written
// to disk, as a training run would), opened from Quick Open with the Explorer showing; the
// hints at the ends of the lines in their colors, the CodeLens, the status bar items and the
// Explorer badge; then the hover of one key. Run by visualChecks.mjs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, screenshot, showViewContainer, treeViewLabels } from './workbench.mjs';

/** DVC's table rounding: 5 decimals, trailing zeros dropped (as the hints print numbers). */
const num = (v) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(5)) || v.toPrecision(3)));

export async function inlineDiffsCheck({ page, outDir, demo }) {
  const file = join(demo, 'eval', 'metrics.json');
  const atMain = JSON.parse(execFileSync('git', ['-C', demo, 'show', 'main:eval/metrics.json'], { encoding: 'utf8' }));
  const run = {
    ...atMain,
    accuracy: round(atMain.accuracy + 0.0123),
    f1: round(atMain.f1 - 0.0087),
    loss: round(atMain.loss + 0.021),
    calibration_error: 0.031,
  };
  writeFileSync(file, JSON.stringify(run, null, 4) + '\n');
  try {
    await runCommand(page, 'View: Close All Editors').catch(() => false);
    await runCommand(page, 'View: Hide Panel').catch(() => false);
    if (!(await runCommand(page, 'Lineage: Refresh Index'))) throw new Error('no "Lineage: Refresh Index" command');
    await runCommand(page, 'View: Show Explorer');
    await openByQuickOpen(page, 'eval/metrics.json');
    const expected = `${'▲ +'}${num(run.accuracy - atMain.accuracy)} vs main (${num(atMain.accuracy)})`;
    // Extension decorations draw their text in ::after pseudo-elements of spans in the view lines.
    const hints = () =>
      page.evaluate(() => {
        const out = [];
        for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
          for (const span of line.querySelectorAll('span')) {
            const after = getComputedStyle(span, '::after');
            if (after.content && after.content !== 'none' && after.content !== 'normal')
              out.push({
                text: after.content.replace(/^"|"$/g, '').replace(/\u00a0/g, ' '),
                color: after.color,
                line: line.textContent.replace(/\u00a0/g, ' ').trim(),
              });
          }
        }
        return out;
      });
    let drawn = [];
    for (let waited = 0; waited < 30000 && !drawn.some((h) => h.text.includes(expected)); waited += 500) {
      await page.waitForTimeout(500);
      drawn = await hints();
    }
    if (!drawn.some((h) => h.text.includes(expected))) {
      await screenshot(page, outDir, 'inline-diffs-missing');
      throw new Error(`no "${expected}" hint in the editor; hints ${JSON.stringify(drawn)}`);
    }
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'metrics vs main' }).first().waitFor({ timeout: 20000 });
    await page.mouse.move(1400, 880);
    const hintOf = (needle) => drawn.find((h) => h.text.includes(needle));
    const seen = await page.evaluate(() => {
      const text = (el) => el.textContent.replace(/\u00a0/g, ' ');
      return {
        lens: [...document.querySelectorAll('.monaco-editor .codelens-decoration')].map(text),
        status: [...document.querySelectorAll('.statusbar-item')].map(text).filter((t) => /vs |accuracy|acc /.test(t)),
        badge: [...document.querySelectorAll('.explorer-folders-view .monaco-list-row')]
          .filter((r) => r.getAttribute('aria-label')?.includes('metrics.json'))
          .map((r) => ({
            label: r.getAttribute('aria-label'),
            text: text(r),
            title: r.querySelector('.monaco-icon-label')?.getAttribute('title') ?? '',
          })),
      };
    });
    Object.assign(seen, { better: hintOf('▲'), worse: hintOf('▼'), added: hintOf('new vs main') });
    const shots = [await screenshot(page, outDir, 'inline-diffs')];
    if (!seen.better || !seen.worse || !seen.added) throw new Error(`expected better, worse and new hints: ${JSON.stringify(seen)}`);
    if (seen.better.color === seen.worse.color) throw new Error(`better and worse hints share a color: ${JSON.stringify(seen)}`);
    // One element holds the line's lenses: "7 metrics vs main: … | Open diff".
    if (!seen.lens.some((t) => /^7 metrics vs main: 1 better, 2 worse, 1 new \| Open diff$/.test(t.trim())))
      throw new Error(`CodeLens: ${JSON.stringify(seen.lens)}`);
    if (!seen.status.some((t) => t.includes('vs main'))) throw new Error(`no "vs main" status bar item: ${JSON.stringify(seen.status)}`);

    // The hover of "accuracy": values here and on main, and the history along main.
    const key = page.locator('.monaco-editor .view-line span', { hasText: '"accuracy"' }).first();
    await key.hover();
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').filter({ hasText: 'Last' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15000 });
    await page.waitForTimeout(400);
    const hoverText = (await hover.innerText()).replace(/\u00a0/g, ' ');
    shots.push(await screenshot(page, outDir, 'inline-diffs-hover'));
    if (!hoverText.includes(`main (baseline`) || !/Last \d+ values? on main/.test(hoverText))
      throw new Error(`hover: ${JSON.stringify(hoverText)}`);
    await page.mouse.move(1400, 880);

    // The Runs view: branches whose headline metric moved against main are colored and badged.
    let runs = [];
    if (await showViewContainer(page, 'ML Lineage')) {
      await treeViewLabels(page, 'Runs');
      await page.waitForTimeout(1000);
      // A decorated row carries its badge and its color on the label.
      runs = await page.evaluate(() =>
        [...document.querySelectorAll('.sidebar .monaco-list-row[aria-level="2"]')].map((r) => ({
          label: r.querySelector('.label-name')?.textContent ?? '',
          badge: [...r.querySelectorAll('.monaco-decoration-badge, [class*="decoration"]')]
            .map((e) => e.textContent || getComputedStyle(e, '::after').content)
            .filter(Boolean)
            .join(' '),
          color: getComputedStyle(r.querySelector('.label-name') ?? r).color,
        })),
      );
      shots.push(await screenshot(page, outDir, 'inline-diffs-runs-badges'));
    }
    return {
      status: 'passed',
      detail: `better ${JSON.stringify(seen.better)}, worse ${JSON.stringify(seen.worse)}, new ${JSON.stringify(seen.added)}; CodeLens ${JSON.stringify(seen.lens)}; status ${JSON.stringify(seen.status)}; explorer ${JSON.stringify(seen.badge)}; runs ${JSON.stringify(runs)}`,
      shots,
    };
  } finally {
    execFileSync('git', ['-C', demo, 'checkout', '--', 'eval/metrics.json']);
    await runCommand(page, 'View: Close All Editors').catch(() => false);
    await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
  }
}

async function openByQuickOpen(page, path) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10000 });
  await page.waitForTimeout(300);
  await input.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: 10000 })
    .catch(() => {});
}

function round(v) {
  return Math.round(v * 1e4) / 1e4;
}
