// What a repro Task writes to its terminal, event by event: stage headers, the commands'
// output with CRLF line ends (a pseudoterminal needs \r\n), and problem lines in the one
// format the `$lineage-repro` problem matcher reads:
//   ERROR: <file>:<line>: <message>
// Pure (no vscode import): the Pseudoterminal only forwards these strings.
import { formatProblem, type ReproEvent, type ReproProblem, type ReproResult } from '../../core/repro/types';
import { plural } from './problemPlaces';

export interface StageWhere {
  file: string;
  line?: number;
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A problem line for the problem matcher: no colour codes, one line, a line number always. */
export function problemLine(severity: 'ERROR' | 'WARNING', where: StageWhere, message: string): string {
  return `${severity}: ${where.file}:${where.line ?? 1}: ${message.replace(/[\r\n]+/g, ' ')}\r\n`;
}

export class ReproTranscript {
  private atLineStart = true;
  private readonly started = Date.now();

  /** `where` finds a stage's dvc.yaml and line, for problem lines. */
  constructor(private readonly where: (address: string) => StageWhere | undefined) {}

  header(command: string): string {
    return `${DIM}> ${command}${RESET}\r\n`;
  }

  event(e: ReproEvent): string {
    if (e.type === 'output') {
      const text = crlf(e.text);
      if (text) this.atLineStart = text.endsWith('\n');
      return text;
    }
    return this.line(this.eventText(e));
  }

  /** An error that stopped the run before or outside a stage (busy lock, unknown stage, cycle). */
  error(message: string): string {
    // Messages of the engine that start with "file:line: " already name where.
    const located = /^([^\s:][^:]*):(\d+): (.*)$/s.exec(message);
    const text = located
      ? problemLine('ERROR', { file: located[1], line: Number(located[2]) }, located[3])
      : `ERROR: ${message.replace(/[\r\n]+/g, ' ')}\r\n`;
    return this.line(text);
  }

  /**
   * A plan refused for its problems: each one where it is. Not in the problem matcher's
   * format on purpose: the Problems panel already has them, with columns, from the live statuses.
   */
  refused(problems: ReproProblem[]): string {
    const head = `${RED}✖ Reproduce refused: the pipelines have ${plural(problems.length, 'problem')}. Nothing was run or removed.${RESET}\r\n`;
    return this.line(head + problems.map((p) => `  ${formatProblem(p).replace(/[\r\n]+/g, ' ')}\r\n`).join(''));
  }

  /** The last line: what ran, what was skipped, how it ended. */
  summary(result: ReproResult | undefined, exitCode: number): string {
    const secs = `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
    if (!result) return this.line(`${RED}✖ Reproduce did not run (exit code ${exitCode}).${RESET}\r\n`);
    const counts = `${plural(result.ran.length, 'stage')} reproduced, ${result.skipped.length} skipped`;
    if (result.cancelled)
      return this.line(
        `${YELLOW}■ Cancelled after ${secs}: ${counts}. The stopped stage's dvc.lock entry is unchanged; its outputs are as the command left them.${RESET}\r\n`,
      );
    if (result.failed)
      return this.line(
        `${RED}✖ Stage '${result.failed.stage}' failed${result.failed.exitCode !== null ? ` with exit code ${result.failed.exitCode}` : ''} after ${secs}: ${counts}. Its dvc.lock entry is unchanged.${RESET}\r\n`,
      );
    return this.line(`${GREEN}✔ ${counts} in ${secs}.${RESET}\r\n`);
  }

  private line(text: string): string {
    const prefix = this.atLineStart ? '' : '\r\n';
    this.atLineStart = true;
    return prefix + text;
  }

  private eventText(e: Exclude<ReproEvent, { type: 'output' }>): string {
    switch (e.type) {
      case 'plan':
        return e.stages.length ? `Stages to check: ${e.stages.join(', ')}\r\n` : 'No stages to reproduce.\r\n';
      case 'skip':
        return `${DIM}Stage '${e.stage}' ${e.reason === 'frozen' ? 'is frozen' : `is ${e.reason}`}, skipped.${RESET}\r\n`;
      case 'stage': {
        // A stage never run has every dep "modified" and every out "deleted": that says nothing more.
        const reasons = e.reasons.some((r) => r.startsWith('never run')) ? e.reasons.filter((r) => r.startsWith('never run')) : e.reasons;
        return `\r\n${BOLD}Running stage '${e.stage}'${RESET}${reasons.length ? ` ${DIM}(${reasons.join('; ')})${RESET}` : ''}\r\n`;
      }
      case 'start':
        return `${DIM}> ${e.cmd}${RESET}\r\n`;
      case 'done':
        return `${GREEN}Stage '${e.stage}' done in ${(e.ms / 1000).toFixed(1)} s.${RESET}\r\n`;
      case 'locked':
        return `Updated ${e.lockFile} (${e.stage}).\r\n`;
      case 'failed':
        return problemLine(
          'ERROR',
          this.where(e.stage) ?? { file: 'dvc.yaml' },
          `stage '${e.stage}' failed${e.exitCode !== null ? ` (exit code ${e.exitCode})` : ''}: ${e.message}`,
        );
      case 'cancelled':
        return `${YELLOW}Stage '${e.stage}' cancelled.${RESET}\r\n`;
      default:
        return '';
    }
  }
}

/** The Task's exit code: 0 ok, the failed command's code (1 when it had none), 130 when cancelled. */
export function exitCodeOf(result: ReproResult): number {
  if (result.cancelled) return 130;
  if (result.failed) return result.failed.exitCode && result.failed.exitCode > 0 ? result.failed.exitCode : 1;
  return result.ok ? 0 : 1;
}
