// From the plots of several revisions to what the Plots webview draws: one view per DVC plot
// id, each revision a series (or a confusion matrix, or an image). Pure (no vscode import),
// tested in Node.
import {
  confusionMatrix,
  flattenPlot,
  sortLabels,
  type RevisionPlots,
  type PlotDefinition,
  type PlotFile,
} from '../../core/workspace/plots';
import type { ConfusionView, ImageView, PlotKind, PlotRevision, PlotSeriesView, PlotsState, PlotView } from '../../protocol/plots';

export interface RevisionInput {
  revision: PlotRevision;
  plots: RevisionPlots;
  /** Image plots already read (data: URI or why not), by repository path. */
  images: Map<string, { src?: string; problem?: string }>;
}

export interface TemplateInfo {
  kind: PlotKind;
  smooth: boolean;
  normalized: boolean;
  known: boolean;
}

const TEMPLATES: Record<string, Omit<TemplateInfo, 'known'>> = {
  linear: { kind: 'line', smooth: false, normalized: false },
  simple: { kind: 'line', smooth: false, normalized: false },
  smooth: { kind: 'line', smooth: true, normalized: false },
  scatter: { kind: 'scatter', smooth: false, normalized: false },
  scatter_jitter: { kind: 'scatter', smooth: false, normalized: false },
  bar_horizontal: { kind: 'bar', smooth: false, normalized: false },
  bar_horizontal_sorted: { kind: 'bar', smooth: false, normalized: false },
  confusion: { kind: 'confusion', smooth: false, normalized: false },
  confusion_normalized: { kind: 'confusion', smooth: false, normalized: true },
};

/** DVC's built-in templates by name (a path to a custom template is drawn as `linear`). */
export function templateInfo(template: string | undefined): TemplateInfo {
  const name = (template ?? 'linear').replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  const found = TEMPLATES[name];
  return found ? { ...found, known: true } : { ...TEMPLATES.linear, known: false };
}

export function plotKey(def: Pick<PlotDefinition, 'project' | 'id'>): string {
  return def.project ? `${def.project}/dvc.yaml::${def.id}` : def.id;
}

export function buildPlotsState(inputs: RevisionInput[], problems: string[] = []): PlotsState {
  const order: string[] = [];
  const byKey = new Map<string, { def: PlotDefinition; at: RevisionInput }[]>();
  for (const input of inputs) {
    for (const def of input.plots.definitions) {
      const key = plotKey(def);
      let list = byKey.get(key);
      if (!list) {
        byKey.set(key, (list = []));
        order.push(key);
      }
      list.push({ def, at: input });
    }
  }
  const plots = order.map((key) => buildView(key, byKey.get(key)!));
  // Images after charts, as DVC's HTML report shows them.
  plots.sort((a, b) => Number(a.kind === 'image') - Number(b.kind === 'image'));
  return { revisions: inputs.map((i) => i.revision), plots, problems };
}

function buildView(key: string, entries: { def: PlotDefinition; at: RevisionInput }[]): PlotView {
  const first = entries[0].def;
  const info = first.image ? { kind: 'image' as const, smooth: false, normalized: false, known: true } : templateInfo(first.props.template);
  const view: PlotView = {
    id: key,
    name: first.id,
    title: first.props.title ?? first.id,
    template: first.image ? 'image' : (first.props.template ?? 'linear'),
    kind: info.kind,
    smooth: info.smooth,
    normalized: info.normalized,
    xLabel: first.props.x_label ?? '',
    yLabel: first.props.y_label ?? '',
    series: [],
    matrices: [],
    images: [],
    problems: [],
  };
  if (!info.known) view.problems.push(`Template "${first.props.template}" is not one of DVC's built-in templates; drawn as "linear".`);
  if (info.kind === 'image') {
    for (const { def, at } of entries) view.images.push(imageOf(def.files[0], at));
    return view;
  }
  const confusionPoints: { revision: string; file: string; points: { x: unknown; y: unknown }[] }[] = [];
  for (const { def, at } of entries) {
    const label = at.revision.label;
    const missing = def.files.map((f) => at.plots.files.get(f)).filter((f): f is PlotFile => Boolean(f?.problem));
    for (const f of missing) view.problems.push(`${label}: ${f.problem}`);
    if (def.files.some((f) => !at.plots.files.has(f))) {
      view.problems.push(`${label}: ${def.files.filter((f) => !at.plots.files.has(f)).join(', ')} not found at this revision.`);
    }
    const flat = flattenPlot(def, (path) => at.plots.files.get(path)?.table);
    if (!view.xLabel) view.xLabel = flat.xLabel;
    if (!view.yLabel) view.yLabel = flat.yLabel;
    for (const p of flat.problems) view.problems.push(`${label}: ${p}`);
    for (const s of flat.series) {
      if (info.kind === 'confusion') confusionPoints.push({ revision: label, file: s.file, points: s.points });
      else view.series.push({ revision: label, file: s.file, field: s.field, xField: s.xField, points: s.points } satisfies PlotSeriesView);
    }
  }
  if (info.kind === 'confusion') view.matrices = matrices(confusionPoints);
  return view;
}

/** Matrices of every revision over the same labels, so cells line up side by side. */
function matrices(list: { revision: string; file: string; points: { x: unknown; y: unknown }[] }[]): ConfusionView[] {
  const text = (v: unknown) => (v === null ? 'null' : String(v));
  const x = sortLabels(list.flatMap((l) => l.points.map((p) => text(p.x))));
  const y = sortLabels(list.flatMap((l) => l.points.map((p) => text(p.y))));
  return list.map((l) => {
    const m = confusionMatrix(l.points as never, { x, y });
    return { revision: l.revision, file: l.file, xLabels: m.xLabels, yLabels: m.yLabels, counts: m.counts, total: m.total };
  });
}

function imageOf(path: string, at: RevisionInput): ImageView {
  const file = at.plots.files.get(path);
  if (!file) return { revision: at.revision.label, path, problem: `${path} not found at this revision` };
  if (file.problem) return { revision: at.revision.label, path, problem: file.problem };
  const read = at.images.get(path);
  return { revision: at.revision.label, path, ...(read ?? { problem: `${path} was not read` }) };
}
