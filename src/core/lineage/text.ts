// The lineage card as terminal text (`lineage lineage MODEL`): five sections and the
// completeness line. Control characters from files are made visible so they cannot drive the terminal.

import { formatValue } from '../diff/format';
import { completenessLine, dataVersion, deltaText, formatSize, modelOutSource, modelOutVersion, signatureType } from './format';
import type { LineageCard, Question } from './types';

const safe = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/\n/g, ' ');

export function lineageCardText(card: LineageCard): string {
  const m = card.model;
  const out: string[] = [
    `${safe(m.artifact)} ${safe(m.version)}  commit ${m.commit.slice(0, 12)}${m.path ? `  path ${safe(m.path)}` : ''}${m.stages.length ? `  stages ${m.stages.map(safe).join(', ')}` : ''}`,
    '',
  ];
  const unknown = (q: Question) => {
    const miss = card.completeness.missing.find((x) => x.question === q);
    out.push(`  unknown: ${safe(miss?.reason ?? '')}`, `  to answer it: ${safe(miss?.action ?? '')}`, '');
  };
  out.push('Code');
  if (card.code) {
    const c = card.code;
    out.push(`  commit:   ${c.commit}`);
    if (c.subject !== null) out.push(`  message:  ${safe(c.subject)}`);
    if (c.author !== null) out.push(`  author:   ${safe(c.author)}${c.authorEmail ? ` <${safe(c.authorEmail)}>` : ''}`);
    if (c.date !== null) out.push(`  date:     ${new Date(c.date * 1000).toISOString()}`);
    if (c.refs.length) out.push(`  refs:     ${c.refs.map(safe).join(', ')}`);
    if (c.branches.length) out.push(`  branches: ${c.branches.map(safe).join(', ')}`);
    out.push(
      `  dirty:    ${c.dirty === null ? 'unknown (no run record)' : `${c.dirty ? 'yes' : 'no'}, from ${safe(c.dirtySource ?? '')}`}`,
    );
    if (card.artifact?.declaredIn) out.push(`  declared: ${safe(m.path ?? 'no path')} in ${safe(card.artifact.declaredIn)} at this commit`);
    for (const o of card.artifact?.outs ?? [])
      out.push(`  model:    ${safe(modelOutVersion(o))}`, `      ${safe(modelOutSource(o))}; ${safe(o.cacheDetail)}`);
    out.push('');
  } else unknown('code');

  out.push('Data');
  if (card.data) {
    if (card.data.note) out.push(`  ${safe(card.data.note)}`);
    for (const d of card.data.deps) {
      out.push(`  ${safe(d.path)}  ${safe(dataVersion(d))}  ${formatSize(d.size)}${d.nfiles !== null ? ` (${d.nfiles} files)` : ''}`);
      out.push(`      read by ${safe(d.stage)}, ${d.producedBy ? `made by ${safe(d.producedBy)}` : 'source data'}; ${d.cacheDetail}`);
    }
    out.push('');
  } else unknown('data');

  out.push('Hyperparameters');
  if (card.hyperparameters) {
    if (card.hyperparameters.note) out.push(`  ${safe(card.hyperparameters.note)}`);
    for (const [file, keys] of Object.entries(card.hyperparameters.params))
      for (const [k, v] of Object.entries(keys)) out.push(`  ${safe(file)}  ${safe(k)} = ${safe(formatValue(v))}`);
    for (const r of card.hyperparameters.runs)
      for (const [k, v] of Object.entries(r.params))
        out.push(`  ${r.source} run ${safe(r.name ?? r.id)}  ${safe(k)} = ${safe(formatValue(v))}`);
    out.push('');
  } else unknown('hyperparameters');

  out.push(`Metrics${card.metrics?.previous ? ` (change since ${safe(card.metrics.previous.version)})` : ''}`);
  if (card.metrics) {
    for (const r of card.metrics.rows) {
      const change = card.metrics.previous
        ? `  ${safe(formatValue(r.previous))} → ${safe(formatValue(r.value))}  ${deltaText(r)}`
        : `  ${safe(formatValue(r.value))}`;
      out.push(`  ${safe(r.file)}  ${safe(r.key)}${change}`);
    }
    for (const r of card.metrics.runs)
      for (const [k, v] of Object.entries(r.metrics)) out.push(`  ${r.source} run ${safe(r.name ?? r.id)}  ${safe(k)}  ${formatValue(v)}`);
    out.push('');
  } else unknown('metrics');

  out.push('Environment');
  if (card.environment) {
    for (const r of card.environment.records) {
      out.push(`  ${safe(r.label)}`);
      for (const [k, v] of r.facts) out.push(`    ${safe(k)}: ${safe(v)}`);
    }
    out.push('');
  } else unknown('environment');

  if (card.mlmodel) {
    const mm = card.mlmodel;
    out.push(`MLflow model  ${safe(mm.file)} (${mm.source})`, `  flavors: ${mm.flavors.map((f) => safe(f.name)).join(', ') || 'none'}`);
    for (const part of ['inputs', 'outputs', 'params'] as const) {
      const fields = mm.signature?.[part];
      if (fields?.length) out.push(`  ${part}: ${fields.map((f) => `${safe(f.name ?? '—')}: ${safe(signatureType(f))}`).join(', ')}`);
    }
    out.push('');
  }
  for (const p of card.problems) out.push(`! ${safe(p)}`);
  if (card.problems.length) out.push('');
  out.push(safe(completenessLine(card)));
  return out.join('\n') + '\n';
}
