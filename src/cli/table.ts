import { terminalText } from './terminal';

/** Plain-text table with aligned columns; cells are single-line. */
export function renderTable(header: string[], rows: string[][]): string {
  // Escaped before measuring, so a cell holding control characters keeps its column aligned.
  const clean = (s: string) => terminalText(s.replace(/[\r\n\t]+/g, ' '));
  const all = [header, ...rows].map((r) => r.map(clean));
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return (
    all
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
