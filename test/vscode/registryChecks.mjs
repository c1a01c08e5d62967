// Visual checks of the model registry and external runs on the demo repository (run after the
// in-host suites, which leave the demo's registry as generated): the Models view with its stage
// badges, the Runs view's MLflow / W&B nodes beside the branches and a run under its commit, and
// the Lineage Card of classifier#prod picked from "Show Lineage Card…".
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clearNotifications, runCommand, screenshot, showViewContainer, treeViewLabels, viewPane, webviewFrame } from './workbench.mjs';

/** Every row of a side-bar pane: level, label, description, expanded (as VS Code renders them). */
async function paneRows(pane) {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => ({
      level: Number(r.getAttribute('aria-level')),
      label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      expanded: r.getAttribute('aria-expanded'),
      // The item's ThemeIcon (the twistie's codicon is not it).
      icon:
        [...r.querySelectorAll('.monaco-tl-contents [class*="codicon-"]')]
          .flatMap((e) => [...e.classList])
          .find((c) => c.startsWith('codicon-')) ?? '',
    })),
  );
}

/** Expands the row of `level` whose label (or, with `part: 'description'`, description) matches `text`. */
async function expandRow(page, pane, level, text, part = 'name') {
  const row = pane
    .locator(`.monaco-list-row[aria-level="${level}"]`)
    .filter({ has: page.locator(`.label-${part}`, { hasText: text }) })
    .first();
  await row.waitFor({ timeout: 20000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
    await page.waitForTimeout(500);
  }
  return row;
}

/** Folds every side-bar pane but `keep`, so the one shown has the height. */
async function onlyPane(page, keep) {
  const headers = page.locator('.sidebar .pane-header');
  for (let i = 0; i < (await headers.count()); i++) {
    const header = headers.nth(i);
    const title = (
      await header
        .locator('h3.title')
        .innerText()
        .catch(() => '')
    ).trim();
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if ((title.toLowerCase() === keep.toLowerCase()) !== expanded) await header.click();
  }
  await page.waitForTimeout(400);
}

/** Drags the side bar's edge so tree descriptions fit; returns the width it had. */
async function setSidebarWidth(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return undefined;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width), y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(900, 700);
  await page.waitForTimeout(300);
  return box.width;
}

// The side bar's width before these checks widened it (the Lineage Card check puts it back).
let sidebarWidth;

export const registryChecks = [
  {
    name: 'the Models view: classifier versions with stage badges, legacy-classifier deprecated',
    async run({ page, outDir }) {
      await runCommand(page, 'View: Close All Editors').catch(() => false);
      await clearNotifications(page);
      if (!(await showViewContainer(page, 'ML Lineage'))) throw new Error('no ML Lineage view container');
      const pane = await viewPane(page, 'Models');
      await onlyPane(page, 'Models');
      const width = await setSidebarWidth(page, 560);
      sidebarWidth ??= width;
      await expandRow(page, pane, 1, 'classifier');
      await pane.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ timeout: 20000 });
      const rows = await paneRows(pane);
      const shots = [await screenshot(page, outDir, '17-models-view')];
      const row = (level, label) => rows.find((r) => r.level === level && r.label === label);
      const problems = [];
      const expect = (cond, what) => {
        if (!cond) problems.push(what);
      };
      expect(row(1, 'classifier')?.description.startsWith('v1.2.0'), 'classifier described by its newest version');
      expect(
        row(2, 'v1.2.0')?.description.startsWith('staging · champion') || row(2, 'v1.2.0')?.description.startsWith('champion · staging'),
        'v1.2.0 with staging and champion',
      );
      expect(/^prod\s/.test(row(2, 'v1.1.0')?.description ?? ''), 'v1.1.0 with prod');
      expect(/^[0-9a-f]{8}$/.test(row(2, 'v1.0.0')?.description ?? ''), 'v1.0.0 with no stage, its commit');
      expect(/^deregistered\s/.test(row(2, 'v0.8.0')?.description ?? ''), 'v0.8.0 deregistered');
      expect(row(1, 'legacy-classifier')?.description === 'deprecated', 'legacy-classifier deprecated');
      if (problems.length) throw new Error(`${problems.join('; ')}: ${JSON.stringify(rows)}`);
      return { status: 'passed', detail: rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label} [${r.description}]`).join(' | '), shots };
    },
  },
  {
    name: 'walkthrough image of the Models view (only with LINEAGE_WALKTHROUGH_IMAGES=<dir>)',
    async run({ page }) {
      const dir = process.env.LINEAGE_WALKTHROUGH_IMAGES;
      if (!dir) return { status: 'skipped', detail: 'set LINEAGE_WALKTHROUGH_IMAGES=<dir> to take it' };
      // The Models view as the check above left it, with a version's context menu open.
      const pane = await viewPane(page, 'Models');
      const row = pane
        .locator('.monaco-list-row[aria-level="2"]')
        .filter({ has: page.locator('.label-name', { hasText: /^v1\.2\.0$/ }) })
        .first();
      await row.click({ button: 'right' });
      await page.locator('.context-view .monaco-menu').first().waitFor({ timeout: 10000 });
      const file = join(dir, 'register-model.png');
      mkdirSync(dir, { recursive: true });
      await page.waitForTimeout(600);
      await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 900, height: 520 } });
      await page.keyboard.press('Escape');
      return { status: 'passed', shots: [file] };
    },
  },
  {
    name: 'the Runs view: MLflow experiment and W&B project beside the branches, runs under their commit',
    async run({ page, outDir, demo }) {
      await clearNotifications(page);
      if (!(await showViewContainer(page, 'ML Lineage'))) throw new Error('no ML Lineage view container');
      await onlyPane(page, 'Runs');
      const width = await setSidebarWidth(page, 560);
      sidebarWidth ??= width;
      const top = (await treeViewLabels(page, 'Runs')).map((l) => l.trim());
      const pane = await viewPane(page, 'Runs');
      const groups = top.filter((l) => /^(MLflow|W&B) · /.test(l));
      if (!groups.some((g) => g.startsWith('MLflow · ')) || !groups.some((g) => g.startsWith('W&B · ')))
        throw new Error(`no MLflow experiment / W&B project nodes: ${JSON.stringify(top)}`);
      // The experiment's runs, below the branches.
      await expandRow(
        page,
        pane,
        2,
        groups.find((g) => g.startsWith('MLflow · ')),
      );
      await pane.locator('.monaco-list-row[aria-level="3"]').first().waitFor({ timeout: 20000 });
      const groupRows = (await paneRows(pane)).filter((r) => r.level === 3);
      const shots = [await screenshot(page, outDir, '18-runs-view-run-groups')];
      if (groupRows.length === 0) throw new Error('no runs under the MLflow experiment');
      await pane
        .locator('.monaco-list-row[aria-level="2"]')
        .filter({ has: page.locator('.label-name', { hasText: /^MLflow · / }) })
        .locator('.monaco-tl-twistie')
        .click();
      // The branch's tip commit has the runs that recorded it (linked by their Git commit).
      const head = execFileSync('git', ['-C', demo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      await expandRow(page, pane, 2, /^main$/);
      // A commit row's label is its subject; its description starts with the short sha.
      await expandRow(page, pane, 3, head.slice(0, 8), 'description');
      await pane.locator('.monaco-list-row[aria-level="4"]').first().waitFor({ timeout: 20000 });
      await page.mouse.move(900, 700);
      const rows = await paneRows(pane);
      const at = rows.findIndex((r) => r.level === 3 && r.description.startsWith(head.slice(0, 8)));
      const under = [];
      for (let i = at + 1; i < rows.length && rows[i].level > 3; i++) if (rows[i].level === 4) under.push(rows[i]);
      shots.push(await screenshot(page, outDir, '19-runs-view-commit-runs'));
      if (under.length < 2) throw new Error(`fewer than two rows under ${head.slice(0, 8)}: ${JSON.stringify(rows)}`);
      const runs = under.filter(
        (r) => /\b(finished|running|failed|killed|crashed)\b/i.test(r.description) || /codicon-(pass|check|error|sync|circle)/.test(r.icon),
      );
      if (runs.length === 0) throw new Error(`no MLflow or W&B run under ${head.slice(0, 8)}: ${JSON.stringify(under)}`);
      return {
        status: 'passed',
        detail: `groups ${JSON.stringify(groups)}, ${groupRows.length} runs under the MLflow one; under ${head.slice(0, 8)}: ${under.map((r) => `${r.label} [${r.description}]`).join(' | ')}`,
        shots,
      };
    },
  },
  {
    name: 'the Lineage Card of classifier#prod: five sections, "5 of 5 answered"',
    async run({ page, outDir }) {
      await runCommand(page, 'View: Close All Editors').catch(() => false);
      if (sidebarWidth) await setSidebarWidth(page, sidebarWidth);
      if (!(await runCommand(page, 'Lineage: Show Lineage Card…'))) throw new Error('no "Lineage: Show Lineage Card…" command');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill('classifier v1.1.0');
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'prod' }).first();
      await row.waitFor({ timeout: 15000 });
      const picked = (await row.innerText()).replace(/\s+/g, ' ');
      await row.click();
      const frame = await webviewFrame(page);
      await frame.locator('section.section').nth(4).waitFor({ timeout: 30000 });
      await page.waitForTimeout(500);
      const info = await frame.evaluate(() => ({
        title: document.querySelector('h1')?.textContent ?? '',
        completeness: document.querySelector('.completeness-text')?.textContent ?? '',
        sections: [...document.querySelectorAll('section.section h2')].map((h) => h.textContent),
        facts: [...document.querySelectorAll('.fact')].map((f) => f.textContent),
        images: document.querySelectorAll('img').length,
        overflowX: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
      }));
      const shots = [await screenshot(page, outDir, '20-lineage-card')];
      await frame.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      shots.push(await screenshot(page, outDir, '21-lineage-card-end'));
      if (!/^5 of 5 answered/.test(info.completeness)) throw new Error(`completeness ${JSON.stringify(info.completeness)}`);
      const expected = ['Code', 'Data', 'Hyperparameters', 'Metrics', 'Environment'];
      const missing = expected.filter((t) => !info.sections.some((s) => s.includes(t)));
      if (missing.length) throw new Error(`sections ${JSON.stringify(info.sections)} lack ${missing.join(', ')}`);
      if (!info.facts.some((f) => /prod/.test(f))) throw new Error(`the facts do not say prod: ${JSON.stringify(info.facts)}`);
      if (info.overflowX) throw new Error('the card scrolls sideways at 1440 px');
      return {
        status: 'passed',
        detail: `picked ${JSON.stringify(picked)}; ${info.title}: ${info.completeness}; sections ${info.sections.join(' | ')}; facts ${info.facts.join(' | ')}`,
        shots,
      };
    },
  },
];
