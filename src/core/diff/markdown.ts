import { printedDiff, type DiffResult } from './diff';
import { verdictOf, type Direction } from './direction';
import { formatDiffValue } from './format';

/** Escapes what would break a Markdown table cell; file-derived text is data, never markup. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`<>\[\]])/g, '\\$1');
}

/** A table fit for a pull-request comment, with ▲/▼ and better/worse marks on metrics. */
export function diffToMarkdown(result: DiffResult, oldLabel: string, newLabel: string, options: { kind: 'metrics' | 'params'; directions?: Record<string, Direction> }): string {
  const rows: string[] = [];
  rows.push(`| Path | ${options.kind === 'metrics' ? 'Metric' : 'Param'} | ${mdCell(oldLabel)} | ${mdCell(newLabel)} | Change |`);
  rows.push('| --- | --- | ---: | ---: | ---: |');
  for (const [path, keys] of Object.entries(result)) {
    for (const [key, d] of Object.entries(keys)) {
      const show = (v: unknown) => formatDiffValue(v, options.kind);
      let change = d.diff === undefined ? '—' : `${d.diff > 0 ? '▲ +' : d.diff < 0 ? '▼ ' : ''}${show(printedDiff(d))}`;
      if (options.kind === 'metrics' && d.diff !== undefined) {
        const verdict = verdictOf(key, d.diff, options.directions);
        if (verdict === 'better') change += ' ✅';
        else if (verdict === 'worse') change += ' ❌';
      }
      rows.push(`| ${mdCell(path)} | ${mdCell(key)} | ${mdCell(show(d.old))} | ${mdCell(show(d.new))} | ${change} |`);
    }
  }
  if (rows.length === 2) return `No ${options.kind} changed between ${oldLabel} and ${newLabel}.\n`;
  return rows.join('\n') + '\n';
}
