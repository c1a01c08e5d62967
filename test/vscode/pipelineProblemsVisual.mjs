// What a person sees of a pipeline that cannot be evaluated: a nested dvc.yaml with an
// undefined ${var} shows on the Pipelines view in error colors (never "up to date"); Reproduce
// Pipeline from the palette is refused with an error notification naming file:line:column,
// whose button opens dvc.yaml there (squiggle and CodeLens). Run by visualChecks.mjs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearNotifications, runCommand, screenshot, showViewContainer, viewPane } from './workbench.mjs';

const DVC_YAML =
  'stages:\n  ok:\n    cmd: echo ok > ok.txt\n    outs:\n      - ok.txt\n  train:\n    cmd: python train.py --lr ${lr}\n    outs:\n      - model.pkl\n';
const PROJECT = 'problems-visual';

async function collapsePane(page, title) {
  const header = page
    .locator('.sidebar .pane .pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) })
    .first();
  if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

export const pipelineProblemsCheck = {
  name: 'a dvc.yaml that cannot be evaluated: error rows on the Pipelines view, Reproduce refused with an error notification that opens the file there',
  async run({ page, outDir, demo }) {
    const dir = join(demo, PROJECT);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dvc.yaml'), DVC_YAML);
    try {
      await runCommand(page, 'View: Close All Editors').catch(() => false);
      await runCommand(page, 'View: Hide Panel').catch(() => false);
      await clearNotifications(page);
      if (!(await showViewContainer(page, 'ML Lineage'))) throw new Error('no ML Lineage view container');
      // Room for the Pipelines view: the Runs view folded.
      await collapsePane(page, 'Runs');
      const pane = await viewPane(page, 'Pipelines');
      const projectRow = pane.locator('.monaco-list-row', { hasText: `${PROJECT}/dvc.yaml` }).first();
      const trainRow = pane.locator('.monaco-list-row', { hasText: /Could not find/ }).first();
      // Written outside the editor: the file watcher usually sees it, Refresh always does.
      await trainRow.waitFor({ timeout: 5000 }).catch(async () => {
        await runCommand(page, 'Lineage: Refresh Index');
        await trainRow.waitFor({ timeout: 20000 });
      });
      await page.mouse.move(1400, 880);
      const shots = [await screenshot(page, outDir, '13-pipelines-view-error')];
      const rows = await pane.locator('.monaco-list-row').allInnerTexts();
      const ours = rows
        .map((r) => r.replace(/\s+/g, ' ').trim())
        .filter((r, i, all) => i >= all.findIndex((x) => x.includes(`${PROJECT}/dvc.yaml`)));
      const projectIcon = await projectRow.locator('.codicon-error').count();
      const trainIcon = await trainRow.locator('.codicon-error').count();
      if (!projectIcon || !trainIcon)
        throw new Error(`no error icon on the file (${projectIcon}) or the stage row (${trainIcon}): ${JSON.stringify(ours)}`);
      if (ours.slice(0, 3).some((r) => /up to date/.test(r)))
        throw new Error(`"up to date" next to the error: ${JSON.stringify(ours.slice(0, 3))}`);

      // Reproduce from the palette: refused, with the reason and a button to the place.
      if (!(await runCommand(page, 'Lineage: Reproduce Pipeline'))) throw new Error('no "Lineage: Reproduce Pipeline" command');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Reproduce refused' }).first();
      await toast.waitFor({ timeout: 20000 });
      const message = (await toast.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
      const buttons = await toast.locator('.monaco-button').allInnerTexts();
      shots.push(await screenshot(page, outDir, '14-reproduce-refused-notification'));
      if (!new RegExp(`${PROJECT}/dvc\\.yaml:7(:\\d+)?: stage 'train': .*Could not find 'lr'`).test(message))
        throw new Error(`the notification does not say where and why: ${JSON.stringify(message)}`);
      const open = buttons.find((b) => b.startsWith(`Open ${PROJECT}/dvc.yaml:7`));
      if (!open) throw new Error(`no "Open ${PROJECT}/dvc.yaml:7…" button: ${JSON.stringify(buttons)}`);
      await toast.locator('.monaco-button', { hasText: open }).first().click();
      const squiggle = page.locator('.monaco-editor .squiggly-error').first();
      await squiggle.waitFor({ timeout: 20000 });
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Could not find' }).first().waitFor({ timeout: 20000 });
      const cursorLine = await page
        .locator('.monaco-editor .current-line ~ .line-numbers, .monaco-editor .active-line-number')
        .first()
        .innerText()
        .catch(() => '');
      shots.push(await screenshot(page, outDir, '15-dvc-yaml-problem'));
      return {
        status: 'passed',
        detail: `rows ${JSON.stringify(ours.slice(0, 3))}; notification ${JSON.stringify(message)}; buttons ${JSON.stringify(buttons)}; caret on line ${cursorLine || '?'}`,
        shots,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await clearNotifications(page);
      await runCommand(page, 'View: Close All Editors').catch(() => false);
      await runCommand(page, 'View: Hide Panel').catch(() => false);
      await runCommand(page, 'Lineage: Refresh Index').catch(() => false);
    }
  },
};
