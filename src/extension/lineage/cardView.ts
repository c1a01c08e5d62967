// The lineage card as the webview shows it: five sections of plain tables with links into the
// editor. Pure (no vscode import), tested in Node. Links name only paths the card itself holds,
// and linkAllowed checks a link coming back from the page against the card shown.

import {
  completenessLine,
  dataVersion,
  deltaText,
  formatSize,
  modelOutSource,
  modelOutVersion,
  signatureType,
} from '../../core/lineage/format';
import { formatValue } from '../../core/diff/format';
import type { LineageCard, MissingAnswer, Question } from '../../core/lineage/types';
import type { CardCell, CardLink, CardSection, CardTable, CardView } from '../../protocol/lineageCard';

const TITLES: Record<Question, string> = {
  code: 'Code',
  data: 'Data',
  hyperparameters: 'Hyperparameters',
  metrics: 'Metrics',
  environment: 'Environment',
};
const cell = (text: string, extra: Partial<CardCell> = {}): CardCell => ({ text, ...extra });
const atCommit = (path: string): CardLink => ({ kind: 'fileAtCommit', path });

function section(card: LineageCard, question: Question, build: () => { tables: CardTable[]; note?: string } | null): CardSection {
  const missing: MissingAnswer | undefined = card.completeness.missing.find((m) => m.question === question);
  const body = missing ? null : build();
  return {
    question,
    title: TITLES[question],
    answered: !missing,
    ...(missing ? { missing: { reason: missing.reason, action: missing.action } } : {}),
    ...(body?.note ? { note: body.note } : {}),
    tables: body?.tables ?? [],
  };
}

function codeTables(card: LineageCard): CardTable[] {
  const k = card.code!;
  const rows: CardCell[][] = [[cell('Commit'), cell(k.commit, { link: { kind: 'revealCommit' }, title: 'Show in the Runs view' })]];
  if (k.subject !== null) rows.push([cell('Message'), cell(k.subject, { title: k.body ?? undefined })]);
  if (k.author !== null) rows.push([cell('Author'), cell(`${k.author}${k.authorEmail ? ` <${k.authorEmail}>` : ''}`)]);
  if (k.date !== null)
    rows.push([
      cell('Date'),
      cell(
        new Date(k.date * 1000)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' UTC'),
      ),
    ]);
  if (k.refs.length) rows.push([cell('Refs at this commit'), cell(k.refs.join(', '))]);
  if (k.branches.length) rows.push([cell('Branches containing it'), cell(k.branches.join(', '))]);
  rows.push([
    cell('Uncommitted changes'),
    k.dirty === null
      ? cell('unknown (no run record)', { tone: 'muted' })
      : cell(k.dirty ? 'yes' : 'no', { tone: k.dirty ? 'warn' : 'ok', title: k.dirtySource ?? undefined }),
  ]);
  const files = [...new Set(card.data?.deps.flatMap((d) => (d.dvcFile ? [d.dvcFile.path] : [])) ?? [])];
  if (card.model.path)
    rows.push([
      cell('Model'),
      cell(card.model.path, { link: { kind: 'workspaceFile', path: card.model.path }, title: 'Open in the workspace' }),
    ]);
  // Declared at the version's commit: the path HEAD declares may have moved since.
  if (card.artifact?.declaredIn)
    rows.push([
      cell('Declared in'),
      cell(card.artifact.declaredIn, { link: atCommit(card.artifact.declaredIn), title: 'Open it as it was at this commit' }),
    ]);
  for (const o of card.artifact?.outs ?? []) {
    rows.push([
      cell('Model version'),
      cell(`${modelOutVersion(o)} · ${modelOutSource(o)}`, {
        tone: CACHE[o.inCache][1],
        title: `${o.hashKind ?? 'hash'}; ${o.cacheDetail}`,
      }),
    ]);
  }
  // Every project's dvc.yaml sits beside its dvc.lock; the root one is what most repositories have.
  if (card.data)
    rows.push(
      [cell('Pipeline at this commit'), cell('dvc.yaml', { link: atCommit('dvc.yaml') })],
      [cell(''), cell('dvc.lock', { link: atCommit('dvc.lock') })],
    );
  for (const f of files) rows.push([cell(''), cell(f, { link: atCommit(f) })]);
  return [{ columns: ['', ''], rows }];
}

const CACHE = { yes: ['yes', 'ok'], no: ['no', 'warn'], partial: ['partly', 'warn'], 'not-cached': ['—', 'muted'] } as const;

function dataTables(card: LineageCard): CardTable[] {
  const rows = card.data!.deps.map((d) => [
    cell(d.path, { link: { kind: 'workspaceFile', path: d.path }, title: 'Open in the workspace' }),
    cell(dataVersion(d), { title: d.hashKind ?? undefined }),
    cell(`${formatSize(d.size)}${d.nfiles !== null ? `, ${d.nfiles} files` : ''}`, { numeric: true }),
    cell(CACHE[d.inCache][0], { tone: CACHE[d.inCache][1], title: d.cacheDetail }),
    cell(d.stage),
    cell(d.producedBy ?? 'source data', { tone: d.producedBy ? undefined : 'muted' }),
  ]);
  return [{ columns: ['Path', 'Version', 'Size', 'In local cache', 'Read by', 'Made by'], rows }];
}

function paramsTables(card: LineageCard): CardTable[] {
  const h = card.hyperparameters!;
  const tables: CardTable[] = [];
  for (const [file, keys] of Object.entries(h.params)) {
    tables.push({
      caption: file,
      captionLink: atCommit(file),
      columns: ['Param', 'Value'],
      rows: Object.entries(keys).map(([k, v]) => [cell(k), cell(formatValue(v))]),
    });
  }
  for (const r of h.runs)
    tables.push({
      caption: `${r.source === 'mlflow' ? 'MLflow' : 'W&B'} run ${r.name ?? r.id}`,
      columns: ['Param', 'Value'],
      rows: Object.entries(r.params).map(([k, v]) => [cell(k), cell(formatValue(v))]),
    });
  return tables;
}

function metricsTables(card: LineageCard): CardTable[] {
  const m = card.metrics!;
  const tables: CardTable[] = [];
  const files = [...new Set(m.rows.map((r) => r.file))];
  for (const file of files) {
    const rows = m.rows
      .filter((r) => r.file === file)
      .map((r) => [
        cell(r.key),
        cell(formatValue(r.value), { numeric: true }),
        ...(m.previous
          ? [
              cell(formatValue(r.previous), { numeric: true, tone: 'muted' as const }),
              cell(deltaText(r, false), {
                numeric: true,
                title: r.verdict === 'better' || r.verdict === 'worse' ? r.verdict : undefined,
                tone: r.verdict === 'better' ? ('better' as const) : r.verdict === 'worse' ? ('worse' as const) : undefined,
              }),
            ]
          : []),
      ]);
    tables.push({
      caption: file,
      captionLink: atCommit(file),
      columns: ['Metric', 'Value', ...(m.previous ? [m.previous.version, 'Change'] : [])],
      rows,
    });
  }
  for (const r of m.runs)
    tables.push({
      caption: `${r.source === 'mlflow' ? 'MLflow' : 'W&B'} run ${r.name ?? r.id}`,
      columns: ['Metric', 'Value'],
      rows: Object.entries(r.metrics).map(([k, v]) => [cell(k), cell(formatValue(v), { numeric: true })]),
    });
  return tables;
}

function envTables(card: LineageCard): CardTable[] {
  return card.environment!.records.map((r) => ({
    caption: r.label,
    columns: ['', ''],
    rows: [
      ...r.facts.map(([k, v]) => [cell(k), cell(v)]),
      ...(r.packages.length ? [[cell(`${r.packages.length} packages`), cell(r.packages.join('\n'))]] : []),
    ],
  }));
}

export function cardView(card: LineageCard): CardView {
  const m = card.model;
  const facts = [`commit ${m.commit.slice(0, 12)}`];
  if (m.path) facts.push(m.path);
  if (m.type) facts.push(m.type);
  if (m.stages.length) facts.push(`stages: ${m.stages.join(', ')}`);
  const sections: CardSection[] = [
    section(card, 'code', () => ({ tables: codeTables(card) })),
    section(card, 'data', () => ({ tables: dataTables(card), note: card.data?.note ?? undefined })),
    section(card, 'hyperparameters', () => ({ tables: paramsTables(card), note: card.hyperparameters?.note ?? undefined })),
    section(card, 'metrics', () => ({
      tables: metricsTables(card),
      note: card.metrics?.previous
        ? `Change since ${card.metrics.previous.version} (${card.metrics.previous.commit.slice(0, 8)}).`
        : undefined,
    })),
    section(card, 'environment', () => ({ tables: envTables(card) })),
  ];
  let mlmodel: CardView['mlmodel'] = null;
  if (card.mlmodel) {
    const mm = card.mlmodel;
    const tables: CardTable[] = [
      {
        caption: 'Flavors',
        columns: ['Flavor', 'Settings'],
        rows: mm.flavors.map((f) => [cell(f.name), cell(f.details.map(([k, v]) => `${k}: ${v}`).join('\n'))]),
      },
    ];
    for (const part of ['inputs', 'outputs', 'params'] as const) {
      const fields = mm.signature?.[part];
      if (fields?.length)
        tables.push({
          caption: `Signature ${part}`,
          columns: ['Name', 'Type'],
          rows: fields.map((f) => [cell(f.name ?? '—', { tone: f.name ? undefined : 'muted' }), cell(signatureType(f))]),
        });
    }
    if (!mm.signature)
      tables.push({
        caption: 'Signature',
        columns: [''],
        rows: [[cell('none logged (mlflow.models.infer_signature adds one)', { tone: 'muted' })]],
      });
    mlmodel = {
      title: `MLflow model: ${mm.file} (${mm.source === 'git' ? 'from Git' : mm.source === 'dvc-cache' ? 'from the DVC cache' : 'from the workspace'})`,
      tables,
    };
  }
  return {
    title: `${m.artifact} ${m.version}`,
    facts,
    answered: card.completeness.answered,
    total: card.completeness.total,
    completeness: completenessLine(card),
    sections,
    mlmodel,
    problems: card.problems,
  };
}

/** The links a card view holds: a link from the page is acted on only if it is one of these. */
export function linksOf(view: CardView): CardLink[] {
  const out: CardLink[] = [];
  for (const s of view.sections) {
    for (const t of s.tables) {
      if (t.captionLink) out.push(t.captionLink);
      for (const r of t.rows) for (const c of r) if (c.link) out.push(c.link);
    }
  }
  return out;
}

export function linkAllowed(view: CardView, link: CardLink): boolean {
  return linksOf(view).some((l) => l.kind === link.kind && ('path' in l ? 'path' in link && l.path === link.path : true));
}
