// Display strings of card values shared by the Markdown, the terminal text and the webview.

import { formatValue } from '../diff/format';
import type { SignatureField } from '../mlflow/mlmodel';
import type { DataDep, LineageCard, MetricRow, ModelOut } from './types';

export function formatSize(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function dataVersion(d: DataDep): string {
  const v = d.version ?? '—';
  if (!d.dvcFile) return v;
  return d.dvcFile.md5 && d.dvcFile.md5 !== d.version
    ? `${v} (${d.dvcFile.path} now records ${d.dvcFile.md5})`
    : `${v} (${d.dvcFile.path})`;
}

/** "▲ +0.1 ✅"; without `marks` (where color tells better from worse) no ✅/❌. */
export function deltaText(r: MetricRow, marks = true): string {
  if (r.delta === undefined) return r.previous === undefined ? '' : r.previous === null ? 'new' : r.value === null ? 'removed' : '—';
  const sign = r.delta > 0 ? '▲ +' : r.delta < 0 ? '▼ ' : '';
  const mark = !marks ? '' : r.verdict === 'better' ? ' ✅' : r.verdict === 'worse' ? ' ❌' : '';
  return `${sign}${formatValue(r.delta)}${mark}`;
}

export function signatureType(f: SignatureField): string {
  return `${f.type}${f.shape ? ` [${f.shape.join(', ')}]` : ''}${f.required === false ? ' (optional)' : ''}${f.default !== null ? ` = ${f.default}` : ''}`;
}

/** The model's own version: "<md5>.dir, 1.2 KiB, 2 files", and the file's md5 when the model is one file of a folder out. */
export function modelOutVersion(o: ModelOut): string {
  const size = `${formatSize(o.size)}${o.nfiles !== null ? `, ${o.nfiles} files` : ''}`;
  const file = o.file
    ? `; ${o.file.path} inside it: ${o.file.md5 ?? 'md5 unknown (the folder listing is not in the local DVC cache)'}`
    : '';
  return `${o.version ?? '—'}, ${size}${file}`;
}

/** Where that version is recorded: "out of stage train in dvc.lock", "tracked by model.pkl.dvc". */
export function modelOutSource(o: ModelOut): string {
  const what = o.file ? `the folder ${o.path}, ` : '';
  return `${what}${o.stage ? `out of stage ${o.stage} in dvc.lock` : `tracked by ${o.dvcFile ?? 'a .dvc file'}`}`;
}

/** "4 of 5 answered — environment unknown: no … ; reproduce with …". */
export function completenessLine(card: LineageCard): string {
  const { answered, total, missing } = card.completeness;
  if (missing.length === 0) return `${answered} of ${total} answered`;
  return `${answered} of ${total} answered — ${missing.map((m) => `${m.question} unknown: ${m.reason}; ${m.action}`).join(' — ')}`;
}
