// Which metric keys the word under the cursor in a metrics file can mean. Pure, tested in Node.
import type { MetricId } from '../../protocol/metricHistory';

/** The identifier-like word (letters, digits, _ - . /) around `offset`, quotes excluded. */
export function wordAt(text: string, offset: number): string | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_\-./]/u.test(c);
  let start = Math.min(Math.max(offset, 0), text.length);
  let end = start;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  const word = text.slice(start, end).replace(/^[.\-/]+|[.\-/]+$/g, '');
  return word || undefined;
}

/**
 * The file's keys the word can name: the full dotted key, else keys whose last segment(s)
 * match it; all of the file's keys when nothing matches (the user picks).
 */
export function metricsAtCursor(all: MetricId[], file: string, word: string | undefined): MetricId[] {
  const inFile = all.filter((m) => m.file === file);
  if (!word) return inFile;
  const exact = inFile.filter((m) => m.key === word);
  if (exact.length) return exact;
  const tail = inFile.filter((m) => m.key.endsWith(`.${word}`));
  return tail.length ? tail : inFile;
}
