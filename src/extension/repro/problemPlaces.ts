// Where a pipeline problem belongs in the editor: on a stage (it names the stage, or it is a
// file-level problem of the stage's dvc.yaml/dvc.lock), under a pipeline file's node, or only
// on the folder (a params file no stage claims). Also the one-line texts of a refusal.
// Pure (no vscode import), tested in Node.
import { formatProblem, type ReproProblem } from '../../core/repro/types';
import { stageGroupOf } from './stageText';

/** The part of a StageStatus these functions read. */
export interface StagePlace {
  address: string;
  name: string;
  file: string;
}

const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
const dirOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');

/** 'sub/dvc.yaml:train' -> 'sub/dvc.yaml'; 'train' -> 'dvc.yaml'; a `.dvc` file is its own address. */
function fileOfAddress(address: string): string {
  const m = /^(.*dvc\.yaml):([^/]+)$/.exec(address);
  if (m) return m[1];
  return address.endsWith('.dvc') ? address : 'dvc.yaml';
}

/**
 * The pipeline file (dvc.yaml or `.dvc`) a problem is shown under: its own file, the dvc.yaml
 * beside a dvc.lock, or for another file (params) the file of the stage it names.
 */
export function pipelineFileOf(p: ReproProblem, stages: readonly StagePlace[] = []): string | undefined {
  const base = baseOf(p.file);
  if (base === 'dvc.yaml' || base.endsWith('.dvc')) return p.file;
  if (base === 'dvc.lock') return dirOf(p.file) ? `${dirOf(p.file)}/dvc.yaml` : 'dvc.yaml';
  if (!p.stage) return undefined;
  return (
    stages.find((s) => s.address === p.stage)?.file ??
    (p.stage.includes(':') || p.stage.endsWith('.dvc') ? fileOfAddress(p.stage) : undefined)
  );
}

/** Engine problems name a stage by address; render problems by its key in dvc.yaml ('train' for 'train@0'). */
export function namesStage(p: ReproProblem, s: StagePlace, stages: readonly StagePlace[] = []): boolean {
  if (!p.stage) return false;
  if (p.stage === s.address) return true;
  return pipelineFileOf(p, stages) === s.file && (p.stage === s.name || p.stage === stageGroupOf(s.name));
}

/**
 * The problems that make a stage's state unknowable or its run refused. DVC reads a dvc.yaml
 * and its dvc.lock whole: a file that cannot be evaluated ('invalid', or a problem naming no
 * listed stage) puts every stage of it in doubt. A refusal is about the stage it names.
 */
export function stageProblems(s: StagePlace, problems: readonly ReproProblem[], stages: readonly StagePlace[] = []): ReproProblem[] {
  return problems.filter(
    (p) =>
      namesStage(p, s, stages) ||
      (pipelineFileOf(p, stages) === s.file && (p.kind === 'invalid' || !p.stage || !stages.some((o) => namesStage(p, o, stages)))),
  );
}

/** Problems listed under a pipeline file's node: its problems that no listed stage carries. */
export function fileProblems(file: string, problems: readonly ReproProblem[], stages: readonly StagePlace[]): ReproProblem[] {
  return problems.filter((p) => pipelineFileOf(p, stages) === file && !stages.some((s) => namesStage(p, s, stages)));
}

/** The stage a problem names, as a row label: 'train' for 'sub/dvc.yaml:train'. */
export function stageLabel(stage: string): string {
  const m = /dvc\.yaml:([^/]+)$/.exec(stage);
  return m ? m[1] : stage;
}

/** The message with its stage, without the location (the Problems panel and rows show where). */
export function problemMessage(p: ReproProblem): string {
  return formatProblem({ ...p, line: undefined, column: undefined }).slice(p.file.length + 2);
}

/** `file:line:column`, as far as known. */
export function problemWhere(p: ReproProblem): string {
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
}

/** "dvc.yaml:3:5: stage 'train': … (+2 more)": the first problem, for a notification or a summary line. */
export function problemsSummary(problems: readonly ReproProblem[], max = 400): string {
  if (problems.length === 0) return '';
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  const first = formatProblem(problems[0]).replace(/\s+/g, ' ');
  return `${first.length + more.length > max ? `${first.slice(0, Math.max(0, max - more.length - 1))}…` : first}${more}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Notification text is parsed for `[label](command:…)` links: file-derived text must stay
 * text, so a zero-width space breaks every `](` and the line is flattened.
 */
export function noticeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\]\s*\(/g, ']\u200b(');
}

/** The problems an engine error carries (the runner's ReproError, or the editor's own refusal). */
export function problemsOf(error: unknown): ReproProblem[] {
  const problems = typeof error === 'object' && error !== null ? (error as { problems?: unknown }).problems : undefined;
  return Array.isArray(problems) ? (problems as ReproProblem[]) : [];
}

/** The error the editor throws when it refuses a run itself (same shape as the runner's ReproError). */
export function refusal(problems: ReproProblem[]): Error & { problems: ReproProblem[] } {
  return Object.assign(new Error(`Reproduce refused: ${problemsSummary(problems)}`), { problems });
}
