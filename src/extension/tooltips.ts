import * as vscode from 'vscode';
import { formatValue } from '../core/diff/format';
import type { FlatValue } from '../core/data/types';
import type { RunSummary } from '../core/workspace/runTree';

/**
 * A tooltip whose every file-derived string (commit message, author, metric and stage names)
 * goes through appendText, so it renders as text: no links, no HTML, no command URIs.
 */
export class SafeTooltip {
  readonly md = new vscode.MarkdownString('', false);

  constructor() {
    this.md.isTrusted = false;
    this.md.supportHtml = false;
    this.md.supportThemeIcons = false;
  }

  /** A bold label and a value, both escaped (labels can be metric names). */
  field(label: string, value: string): this {
    // A newline inside **…** would end the bold run and show the asterisks: one line each.
    this.md.appendMarkdown('**');
    this.md.appendText(oneLine(label));
    this.md.appendMarkdown(':** ');
    this.md.appendText(oneLine(value));
    this.md.appendMarkdown('  \n');
    return this;
  }

  text(value: string): this {
    this.md.appendText(value);
    this.md.appendMarkdown('\n\n');
    return this;
  }
}

/** One line of display text: file-derived text can hold newlines and control characters. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

export function formatDelta(delta: number | undefined): string {
  if (delta === undefined || Number.isNaN(delta)) return '';
  if (delta === 0) return '±0';
  return `${delta > 0 ? '▲ +' : '▼ '}${formatValue(delta)}`;
}

/** "accuracy 0.91 ▲ +0.01" for tree descriptions. */
export function headline(key: string | undefined, value: FlatValue | undefined, delta: number | undefined): string {
  if (!key || value === undefined) return '';
  const d = formatDelta(delta);
  return `${oneLine(key, 40)} ${oneLine(formatValue(value), 30)}${d ? ` ${d}` : ''}`;
}

export function runTooltip(run: RunSummary, key: string | undefined, against: string, title?: string): vscode.MarkdownString {
  const t = new SafeTooltip();
  if (title) t.text(title);
  t.text(run.subject || '(no message)');
  t.field('Commit', run.sha);
  if (run.authorName) t.field('Author', `${run.authorName} <${run.authorEmail}>`);
  if (run.authorTime) t.field('Time', new Date(run.authorTime * 1000).toLocaleString());
  if (key) t.field(key, `${formatValue(run.value ?? null)}${run.delta !== undefined ? ` (${formatDelta(run.delta)} vs ${against})` : ''}`);
  if (run.state === 'changed') t.field('Metrics', `changed vs ${against}`);
  if (run.parseErrors) t.field('Problems', `${run.parseErrors} file(s) failed to parse`);
  return t.md;
}
