// Helpers for suites that run inside the extension host (code-server or @vscode/test-electron).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ml-lineage.ml-lineage';

/** The workspace folder the launcher opened: the demo repository made by `lineage demo-repo`. */
export function demoFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the launcher opens the demo repository');
  return folder;
}

export function lineageExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** Activates ML Lineage (a no-op when it already is) and returns its exported API, if any. */
export async function activateLineage(): Promise<unknown> {
  const ext = lineageExtension();
  return ext.isActive ? ext.exports : await ext.activate();
}

/**
 * The API the extension exports for tests, or undefined while it exports none. Suites that
 * need a member not there yet call `this.skip()` so they show as pending, not failing.
 */
export async function lineageApi<T extends object>(...members: string[]): Promise<Partial<T> | undefined> {
  const api = await activateLineage();
  if (api === undefined || api === null || typeof api !== 'object') return undefined;
  return members.every((m) => m in api) ? (api as Partial<T>) : undefined;
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The "ML Lineage" LogOutputChannel's file, when the runner told us where extension logs are
 * (LINEAGE_TEST_EXTHOST_LOGS: the exthost log folder; each extension logs in a sub-folder).
 */
export function lineageLogText(): string | undefined {
  const root = process.env.LINEAGE_TEST_EXTHOST_LOGS;
  if (!root) return undefined;
  for (const name of ['ML Lineage.log', '1-ML Lineage.log']) {
    const file = join(root, EXTENSION_ID, name);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  return undefined;
}

/** Opens a SQLite file read-only with the runtime's node:sqlite (Node 22.5+; the host runs 24 here). */
export function querySqlite(file: string, sql: string): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:sqlite has no types in the Node 20 typings
  const { DatabaseSync } = require('node:sqlite') as {
    DatabaseSync: new (f: string, o?: object) => { prepare(s: string): { all(): unknown[] }; close(): void };
  };
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

// ─── Shared by the Runs tree / Metric Diff suites ─────────────────────────────────────────

export interface TreeProvider<T = unknown> {
  getChildren(node?: T): vscode.ProviderResult<T[]>;
  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

/** One row of DiffState.rows (src/core/diff/diffRows.ts), as the suites read it. */
export interface DiffRowLike {
  kind: 'metric' | 'param';
  file: string;
  key: string;
  old: unknown;
  new: unknown;
  delta?: number;
  relative?: number;
  changed: boolean;
  verdict: 'better' | 'worse' | 'same' | 'n/a';
}

export interface DiffStateLike {
  old: { label: string; sha: string; subject?: string };
  new: { label: string; sha: string; subject?: string };
  rows: DiffRowLike[];
  improved: number;
  regressed: number;
  problems: string[];
}

/** The members of src/extension/testApi.ts the suites use (typed loosely: the bundle is another module instance). */
export interface LineageApi {
  whenIndexed(): Promise<void>;
  refresh(): Promise<void>;
  engines(): { folder: string; readonly store: unknown; readonly state: { kind: string } }[];
  runsTree: TreeProvider;
  diffSource: { load(oldRev: string, newRev: string): Promise<DiffStateLike> };
}

export const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** The Runs tree's items under its first root (the demo folder's workspace node), with their nodes. */
export async function childItems<T>(tree: TreeProvider<T>, parent?: T): Promise<{ node: T; item: vscode.TreeItem }[]> {
  const out: { node: T; item: vscode.TreeItem }[] = [];
  for (const node of (await tree.getChildren(parent)) ?? []) out.push({ node, item: await tree.getTreeItem(node) });
  return out;
}

/** Sets a `lineage.*` user setting (undefined removes it) and waits until this host reads it back. */
export async function setLineageSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('lineage').update(name, value, vscode.ConfigurationTarget.Global);
  await eventually(
    () => JSON.stringify(vscode.workspace.getConfiguration('lineage').inspect(name)?.globalValue) === JSON.stringify(value),
    `lineage.${name} = ${JSON.stringify(value)}`,
    10000,
  );
}

/** The first editor tab matching `test`, polling up to `timeoutMs`. */
export async function findTab(test: (tab: vscode.Tab) => boolean, timeoutMs = 15000): Promise<vscode.Tab | undefined> {
  return eventually(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(test), 'an editor tab', timeoutMs).catch(() => undefined);
}

export const isMetricDiffTab = (tab: vscode.Tab): boolean =>
  tab.input instanceof vscode.TabInputWebview && /metricDiff/i.test(tab.input.viewType);

/** Closes every Metric Diff tab (tests leave the editor area as they found it). */
export async function closeMetricDiffTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isMetricDiffTab);
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
