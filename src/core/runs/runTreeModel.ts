import { formatValue } from '../diff/format';
import type { RunGroup } from './runQueries';
import { headlineOf } from './runHeadline';
import type { ExternalRun, ExternalRunStatus } from './types';

/** How the Runs tree shows a run's status: a codicon and a theme color id (undefined: default). */
export function statusIcon(status: ExternalRunStatus): { icon: string; color?: string } {
  switch (status) {
    case 'running':
      return { icon: 'sync~spin', color: 'charts.blue' };
    case 'scheduled':
      return { icon: 'clock' };
    case 'finished':
      return { icon: 'pass', color: 'testing.iconPassed' };
    case 'failed':
      return { icon: 'error', color: 'testing.iconFailed' };
    case 'crashed':
      return { icon: 'warning', color: 'problemsWarningIcon.foreground' };
    case 'killed':
      return { icon: 'circle-slash', color: 'disabledForeground' };
    default:
      return { icon: 'circle-outline' };
  }
}

export function sourceName(source: ExternalRun['source']): string {
  return source === 'mlflow' ? 'MLflow' : 'W&B';
}

/** "MLflow · churn-model" / "W&B · my-project"; a group without experiment says so. */
export function groupLabel(group: Pick<RunGroup, 'source' | 'experiment' | 'experimentId'>): string {
  const name =
    group.experiment ??
    (group.experimentId !== null ? `experiment ${group.experimentId}` : group.source === 'mlflow' ? '(no experiment)' : '(no project)');
  return `${sourceName(group.source)} · ${name}`;
}

/** A tree item's description: status, headline metric, commit and start date. */
/** `withCommit: false` where the run is listed under its commit, whose node shows the sha already. */
export function runDescription(run: ExternalRun, preferredKey?: string, { withCommit = true }: { withCommit?: boolean } = {}): string {
  const head = headlineOf(run, preferredKey);
  return [
    run.status,
    head ? `${head.key} ${formatValue(head.value)}` : '',
    !withCommit ? '' : run.git.commit ? run.git.commit.slice(0, 8) : 'unlinked',
    run.startTime !== null && Number.isFinite(run.startTime) ? new Date(run.startTime).toISOString().slice(0, 10) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Label/value lines of a run's tooltip; the host renders them as text (never markup). */
export function runTooltipFields(run: ExternalRun, maxEach = 25): { title: string; fields: [string, string][] } {
  const fields: [string, string][] = [['Run ID', run.id]];
  if (run.experiment || run.experimentId)
    fields.push([run.source === 'mlflow' ? 'Experiment' : 'Project', run.experiment ?? run.experimentId ?? '']);
  fields.push(['Status', run.status]);
  if (run.startTime !== null) fields.push(['Started', new Date(run.startTime).toISOString().replace('T', ' ').slice(0, 19) + ' UTC']);
  if (run.startTime !== null && run.endTime !== null && run.endTime >= run.startTime)
    fields.push(['Duration', duration(run.endTime - run.startTime)]);
  if (run.user) fields.push(['User', run.user]);
  fields.push(['Commit', run.git.commit ?? 'unlinked (no Git commit recorded)']);
  if (run.git.branch) fields.push(['Branch', run.git.branch]);
  if (run.git.remote) fields.push(['Remote', run.git.remote]);
  if (run.labels.length) fields.push(['Tags', run.labels.join(', ')]);
  if (run.parentId) fields.push(['Parent run', run.parentId]);
  const section = (name: string, entries: [string, unknown][]) => {
    entries.slice(0, maxEach).forEach(([k, v]) => fields.push([`${name} ${k}`, formatValue(v)]));
    if (entries.length > maxEach) fields.push([name, `… and ${entries.length - maxEach} more`]);
  };
  section(
    'param',
    Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b)),
  );
  section(
    'metric',
    Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b)),
  );
  if (run.models.length)
    fields.push(['Models', run.models.map((m) => `${m.artifactPath}${m.flavors.length ? ` (${m.flavors.join(', ')})` : ''}`).join('; ')]);
  return { title: `${sourceName(run.source)} run ${run.name ?? run.id}`, fields };
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
