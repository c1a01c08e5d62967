import type { FlatValue } from '../data/types';
import { printedDiff, type DiffResult } from './diff';
import type { DiffRow } from './diffRows';
import { verdictOf, type Direction, type Verdict } from './direction';
import { formatDiffValue } from './format';

/** Escapes what would break a Markdown table cell; file-derived text is data, never markup. */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`<>\[\]])/g, '\\$1');
}

/** What one Markdown row shows: both values, their difference, and the verdict to mark. */
interface MarkdownEntry {
  file: string;
  key: string;
  old: FlatValue | null;
  new: FlatValue | null;
  diff?: number | bigint;
  verdict: Verdict;
}

/** A table fit for a pull-request comment, with ▲/▼ and better/worse marks on metrics. */
export function diffToMarkdown(
  result: DiffResult,
  oldLabel: string,
  newLabel: string,
  options: { kind: 'metrics' | 'params'; directions?: Record<string, Direction> },
): string {
  const entries: MarkdownEntry[] = [];
  for (const [file, keys] of Object.entries(result)) {
    for (const [key, d] of Object.entries(keys)) {
      const verdict = options.kind === 'metrics' && d.diff !== undefined ? verdictOf(key, d.diff, options.directions) : 'n/a';
      entries.push({ file, key, old: d.old, new: d.new, diff: d.diff, verdict });
    }
  }
  return markdownTable(entries, oldLabel, newLabel, options.kind);
}

/**
 * The rows of a comparison (compareValues) as Markdown: a metrics table, then a params table,
 * each only when it has rows; the rows' own verdicts give the marks.
 */
export function rowsToMarkdown(rows: readonly DiffRow[], oldLabel: string, newLabel: string): string {
  const tables: string[] = [];
  for (const kind of ['metric', 'param'] as const) {
    const entries = rows
      .filter((r) => r.kind === kind)
      .map((r): MarkdownEntry => ({ file: r.file, key: r.key, old: r.old, new: r.new, diff: r.delta, verdict: r.verdict }));
    if (entries.length) tables.push(markdownTable(entries, oldLabel, newLabel, kind === 'metric' ? 'metrics' : 'params'));
  }
  return tables.length ? tables.join('\n') : `No differences between ${oldLabel} and ${newLabel}.\n`;
}

function markdownTable(entries: readonly MarkdownEntry[], oldLabel: string, newLabel: string, kind: 'metrics' | 'params'): string {
  if (entries.length === 0) return `No ${kind} changed between ${oldLabel} and ${newLabel}.\n`;
  const show = (v: unknown) => formatDiffValue(v, kind);
  const rows: string[] = [];
  rows.push(`| Path | ${kind === 'metrics' ? 'Metric' : 'Param'} | ${mdCell(oldLabel)} | ${mdCell(newLabel)} | Change |`);
  rows.push('| --- | --- | ---: | ---: | ---: |');
  for (const e of entries) {
    let change = e.diff === undefined ? '—' : `${e.diff > 0 ? '▲ +' : e.diff < 0 ? '▼ ' : ''}${show(printedDiff(e))}`;
    if (e.verdict === 'better') change += ' ✅';
    else if (e.verdict === 'worse') change += ' ❌';
    rows.push(`| ${mdCell(e.file)} | ${mdCell(e.key)} | ${mdCell(show(e.old))} | ${mdCell(show(e.new))} | ${change} |`);
  }
  return rows.join('\n') + '\n';
}
