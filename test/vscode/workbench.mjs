// What a person sees: the code-server workbench in headless Debian Chromium, driven by
// playwright-core. Small helpers over VS Code's DOM (class names stable across 1.9x-1.13x).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, loadPlaywright } from '../../scripts/vscode/tools.mjs';

export async function openWorkbench(url, { viewport = { width: 1440, height: 900 }, consoleLog } = {}) {
  const { chromium } = await loadPlaywright();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const page = await browser.newPage({ viewport });
    if (consoleLog) {
      // The workbench's own errors (webview loading, CSP) only show in the browser console.
      const write = (line) => appendFileSync(consoleLog, `${new Date().toISOString()} ${line}\n`);
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') write(`[${msg.type()}] ${msg.location()?.url ?? ''} ${msg.text()}`);
      });
      page.on('pageerror', (error) => write(`[pageerror] ${error.message}`));
      page.on('frameattached', (frame) => write(`[frame] attached ${frame.url()}`));
    }
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    return { browser, page };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/** Closes notification toasts (gallery/GitHub start-up noise) so screenshots show the views. */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => false);
}

/**
 * Runs a command through the command palette, as a person would. Returns false (and closes
 * the palette) when no command with exactly this label exists.
 */
export async function runCommand(page, label, { timeoutMs = 10000 } = {}) {
  await page
    .locator('.monaco-workbench')
    .first()
    .click({ position: { x: 5, y: 5 }, trial: true })
    .catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 3000 });
  } catch {
    await page.keyboard.press('Escape');
    return false;
  }
  const text = (await row.getAttribute('aria-label')) ?? (await row.innerText());
  if (!text.split(/[,\n]/).some((part) => part.trim() === label)) {
    await page.keyboard.press('Escape');
    return false;
  }
  await input.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: timeoutMs })
    .catch(() => {});
  return true;
}

/**
 * Opens a view container of the activity bar by its title: clicks its activity-bar item, else
 * `View: Show <title>` from the palette. Returns false when neither exists.
 */
export async function showViewContainer(page, title) {
  const item = page.locator(`.activitybar a[aria-label*="${title}"], .activitybar .action-item[aria-label*="${title}"] a`).first();
  if (await item.count()) {
    const active = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!active) await item.click();
    return true;
  }
  return runCommand(page, `View: Show ${title}`);
}

export async function screenshot(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.waitForTimeout(750); // let trees and webviews paint after the last action
  await page.screenshot({ path: file });
  return file;
}

/** The side-bar view pane titled `title` (e.g. "Runs"), expanded. */
export async function viewPane(page, title) {
  const pane = page
    .locator('.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) })
    .first();
  await pane.waitFor({ state: 'visible', timeout: 10000 });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/**
 * The labels of the rows a tree view shows (its items' labels, without descriptions), after
 * "Collapse All" when the view offers it, so the top level is what is on screen.
 */
export async function treeViewLabels(page, title, { collapse = true } = {}) {
  const pane = await viewPane(page, title);
  if (collapse) {
    await pane.locator('.pane-header').first().hover();
    const collapseAll = pane
      .locator('.pane-header .actions a[aria-label*="Collapse All"], .pane-header .actions .action-label[aria-label*="Collapse"]')
      .first();
    if (await collapseAll.count()) await collapseAll.click().catch(() => {});
    // Then open the top level again (one row per workspace folder), so its children show.
    await page.waitForTimeout(300);
    const closed = pane.locator('.monaco-list-row[aria-level="1"][aria-expanded="false"]');
    for (let i = await closed.count(); i > 0; i--) {
      await closed.first().locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(300);
    }
    // Items that start expanded (the current branch) open again when the tree refreshes after
    // "Collapse All" (an index run ending): fold the second level so the top level fits on screen.
    const open = pane.locator('.monaco-list-row[aria-level="2"][aria-expanded="true"]');
    for (let i = await open.count(); i > 0; i--) {
      await open.first().locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(200);
    }
  }
  await pane.locator('.monaco-list-row').first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(300);
  return pane.locator('.monaco-list-row .label-name').allInnerTexts();
}

/**
 * The inner frame of the active webview (VS Code nests a webview two iframes deep: the host
 * frame `iframe.webview`, then `iframe#active-frame` with the extension's HTML).
 */
export async function webviewFrame(page, { timeoutMs = 30000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached() || frame === page.mainFrame()) continue;
      const id = await frame
        .frameElement()
        .then((el) => el.getAttribute('id'))
        .catch(() => null);
      if (
        id === 'active-frame' &&
        (await frame
          .locator('body *')
          .count()
          .catch(() => 0))
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  const seen = page.frames().map((f) => `${f.name() || '(no name)'} ${f.url().slice(0, 120)}`);
  throw new Error(`no webview frame within ${timeoutMs / 1000} s; frames: ${JSON.stringify(seen)}`);
}
