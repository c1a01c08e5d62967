import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { classifyContent, decodeText } from '../formats/content';
import type { MetricPoint, RunProblem } from '../runs/types';
import { mlflowMetricPoint } from '../live/seriesLines';

/**
 * The key/value folders of the MLflow file store (params/, metrics/, tags/): one file per key,
 * and a key holding '/' is a nested folder. Every reader here reports a bad file as a problem
 * naming it (repo-relative `rel`) and keeps going.
 */
export async function keyFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const key = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(key);
      else if (e.isFile()) out.push(key);
    }
  };
  await walk('');
  return out.sort();
}

async function textOf(file: string, rel: string, problems: RunProblem[]): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    problems.push({ file: rel, message: `cannot read: ${(error as Error).message}` });
    return null;
  }
  const kind = classifyContent(bytes);
  if (kind !== 'text') {
    problems.push({
      file: rel,
      message:
        kind === 'binary'
          ? 'binary content (NUL bytes) where MLflow writes text; skipped'
          : 'file too large to be an MLflow value; skipped',
    });
    return null;
  }
  return decodeText(bytes);
}

/** params/ or tags/: file content is the value, as MLflow wrote it (no trailing newline added). */
export async function readValues(dir: string, rel: string, problems: RunProblem[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const keys = await keyFiles(dir);
  const texts = await Promise.all(keys.map((k) => textOf(join(dir, k), `${rel}/${k}`, problems)));
  keys.forEach((k, i) => {
    if (texts[i] !== null) values[k] = texts[i]!;
  });
  return values;
}

/** metrics/<key>: "<timestamp ms> <value> <step>" per line; two fields mean step 0 (MLflow < 1.0). */
export function parseMetricLines(text: string, rel: string, problems: RunProblem[]): MetricPoint[] {
  const points: MetricPoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    // One MLflow line rule for whole files and for tailing a running run.
    const point = mlflowMetricPoint(line);
    if (typeof point === 'string') {
      problems.push({
        file: rel,
        line: i + 1,
        message: `not "<timestamp> <value> <step>": ${JSON.stringify(line.slice(0, 80))}; line skipped`,
      });
      continue;
    }
    points.push(point);
  }
  return points;
}

export async function readMetrics(dir: string, rel: string, problems: RunProblem[]): Promise<Record<string, MetricPoint[]>> {
  const series: Record<string, MetricPoint[]> = {};
  const keys = await keyFiles(dir);
  const texts = await Promise.all(keys.map((k) => textOf(join(dir, k), `${rel}/${k}`, problems)));
  keys.forEach((k, i) => {
    const text = texts[i];
    if (text !== null) series[k] = parseMetricLines(text, `${rel}/${k}`, problems);
  });
  return series;
}

/** meta.yaml as a plain object; undefined (and a problem) when missing or not a YAML mapping. */
export async function readMeta(
  file: string,
  rel: string,
  problems: RunProblem[],
  missing: string,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    problems.push({ file: rel, message: code === 'ENOENT' ? missing : `cannot read: ${(error as Error).message}` });
    return undefined;
  }
  try {
    const doc = parse(text);
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
    problems.push({ file: rel, message: 'not a YAML mapping; skipped' });
  } catch (error) {
    const pos = (error as { linePos?: { line: number }[] }).linePos?.[0];
    problems.push({ file: rel, ...(pos ? { line: pos.line } : {}), message: `invalid YAML: ${(error as Error).message.split('\n')[0]}` });
  }
  return undefined;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
