// The lineage card as Markdown, for a model card or a pull-request description. Every string
// that came from a file or from Git (paths, keys, messages, names) goes through mdCell, so it
// shows as text and never as markup, links or HTML.

import { mdCell } from '../diff/markdown';
import { formatValue } from '../diff/format';
import { completenessLine, dataVersion, deltaText, formatSize, modelOutSource, modelOutVersion, signatureType } from './format';
import type { LineageCard } from './types';

const CACHE_WORDS = { yes: 'yes', no: 'no', partial: 'partly', 'not-cached': '—' } as const;

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
}

export function lineageCardMarkdown(card: LineageCard): string {
  const m = card.model;
  const c = mdCell;
  const out: string[] = [`## Lineage of ${c(m.artifact)} ${c(m.version)}`, ''];
  const about = [`commit \`${m.commit.slice(0, 12)}\``];
  if (m.path) about.push(`path ${c(m.path)}`);
  if (m.type) about.push(`type ${c(m.type)}`);
  if (m.stages.length) about.push(`stages ${m.stages.map(c).join(', ')}`);
  out.push(about.join(' · '), '', `**${c(completenessLine(card))}**`, '');

  out.push('### Code', '');
  if (card.code) {
    const k = card.code;
    const rows: string[][] = [['Commit', `\`${k.commit}\``]];
    if (k.subject !== null) rows.push(['Message', c(k.subject)]);
    if (k.author !== null) rows.push(['Author', c(`${k.author}${k.authorEmail ? ` <${k.authorEmail}>` : ''}`)]);
    if (k.date !== null) rows.push(['Date', new Date(k.date * 1000).toISOString()]);
    if (k.refs.length) rows.push(['Refs at this commit', k.refs.map(c).join(', ')]);
    if (k.branches.length) rows.push(['Branches containing it', k.branches.map(c).join(', ')]);
    rows.push(['Uncommitted changes', k.dirty === null ? 'unknown' : `${k.dirty ? 'yes' : 'no'} (${c(k.dirtySource ?? '')})`]);
    if (card.artifact?.declaredIn) rows.push(['Declared in', `${c(card.artifact.declaredIn)} (path ${c(m.path ?? 'none')})`]);
    for (const o of card.artifact?.outs ?? [])
      rows.push(['Model version', `${c(modelOutVersion(o))} · ${c(modelOutSource(o))} · in local cache: ${CACHE_WORDS[o.inCache]}`]);
    out.push(...table(['', ''], rows));
  } else out.push(missingText(card, 'code'), '');

  out.push('### Data', '');
  if (card.data) {
    if (card.data.note) out.push(c(card.data.note), '');
    out.push(
      ...table(
        ['Path', 'Version', 'Size', 'In local cache', 'Read by', 'Made by'],
        card.data.deps.map((d) => [
          c(d.path),
          c(dataVersion(d)),
          `${formatSize(d.size)}${d.nfiles !== null ? `, ${d.nfiles} files` : ''}`,
          CACHE_WORDS[d.inCache],
          c(d.stage),
          d.producedBy ? c(d.producedBy) : 'source data',
        ]),
      ),
    );
  } else out.push(missingText(card, 'data'), '');

  out.push('### Hyperparameters', '');
  if (card.hyperparameters) {
    if (card.hyperparameters.note) out.push(c(card.hyperparameters.note), '');
    const rows: string[][] = [];
    for (const [file, keys] of Object.entries(card.hyperparameters.params))
      for (const [k, v] of Object.entries(keys)) rows.push([c(file), c(k), c(formatValue(v))]);
    for (const r of card.hyperparameters.runs)
      for (const [k, v] of Object.entries(r.params)) rows.push([c(`${r.source} run ${r.name ?? r.id}`), c(k), c(formatValue(v))]);
    out.push(...table(['Source', 'Param', 'Value'], rows));
  } else out.push(missingText(card, 'hyperparameters'), '');

  out.push('### Metrics', '');
  if (card.metrics) {
    const prev = card.metrics.previous;
    const rows = card.metrics.rows.map((r) => [
      c(r.file),
      c(r.key),
      c(formatValue(r.value)),
      ...(prev ? [c(formatValue(r.previous)), deltaText(r)] : []),
    ]);
    for (const r of card.metrics.runs)
      for (const [k, v] of Object.entries(r.metrics))
        rows.push([c(`${r.source} run ${r.name ?? r.id}`), c(k), c(formatValue(v)), ...(prev ? ['', ''] : [])]);
    out.push(...table(['Source', 'Metric', 'Value', ...(prev ? [`${c(prev.version)}`, 'Change'] : [])], rows));
  } else out.push(missingText(card, 'metrics'), '');

  out.push('### Environment', '');
  if (card.environment) {
    for (const r of card.environment.records) {
      out.push(
        `**${c(r.label)}**`,
        '',
        ...table(
          ['', ''],
          r.facts.map(([k, v]) => [c(k), c(v)]),
        ),
      );
      if (r.packages.length)
        out.push(`${r.packages.length} packages: ${r.packages.slice(0, 50).map(c).join(', ')}${r.packages.length > 50 ? ', …' : ''}`, '');
    }
  } else out.push(missingText(card, 'environment'), '');

  if (card.mlmodel) {
    const mm = card.mlmodel;
    out.push(
      '### MLflow model',
      '',
      `${c(mm.file)} (${mm.source}) · flavors: ${mm.flavors.map((f) => c(f.name)).join(', ') || 'none'}`,
      '',
    );
    for (const part of ['inputs', 'outputs', 'params'] as const) {
      const fields = mm.signature?.[part];
      if (fields?.length)
        out.push(
          `Signature ${part}:`,
          '',
          ...table(
            ['Name', 'Type'],
            fields.map((f) => [c(f.name ?? '—'), c(signatureType(f))]),
          ),
        );
    }
  }
  if (card.problems.length) out.push('### Problems', '', ...card.problems.map((p) => `- ${c(p)}`), '');
  return out.join('\n').replace(/\n+$/, '\n');
}

function missingText(card: LineageCard, q: string): string {
  const m = card.completeness.missing.find((x) => x.question === q);
  return m ? `_Unknown: ${mdCell(m.reason)}. To answer it: ${mdCell(m.action)}._` : '_Unknown._';
}
