// Every stage is a VS Code Task of type `lineage` (plus "Reproduce pipeline" per folder), so
// repro shows in Run Task, can be bound to keys and tasks.json, runs in the terminal, feeds the
// `$lineage-repro` problem matcher and stops on "Terminate Task". The execution is a
// CustomExecution: the engine runs in the extension host and its events go to a pseudoterminal.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import type { ReproOptions, ReproResult } from '../../core/repro/types';
import { repoRelative, type ReproModel } from './reproModel';
import { plural, problemsOf, problemsSummary } from './problemPlaces';
import { exitCodeOf, ReproTranscript, type StageWhere } from './reproTranscript';
import { stateText } from './stageText';

export const TASK_TYPE = 'lineage';
export const PROBLEM_MATCHER = '$lineage-repro';
const CLOSE_DELAY_MS = 400;

/** As declared under `taskDefinitions` in package.json. */
export interface LineageTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** Stage address ('train', 'sub/dvc.yaml:train'); none: every stage. */
  stage?: string;
  force?: boolean;
  downstream?: boolean;
  singleItem?: boolean;
}

export function reproOptions(def: LineageTaskDefinition, signal?: AbortSignal): ReproOptions {
  return {
    targets: def.stage ? [def.stage] : [],
    force: def.force === true,
    downstream: def.downstream === true,
    singleItem: def.singleItem === true,
    signal,
  };
}

/** The command line the CLI would run for the same task, shown as the terminal's first line. */
export function commandLine(def: LineageTaskDefinition): string {
  return [
    'lineage repro',
    def.stage ? quote(def.stage) : '',
    def.force ? '--force' : '',
    def.downstream ? '--downstream' : '',
    def.singleItem ? '--single-item' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function taskName(def: LineageTaskDefinition): string {
  const what = def.stage ? `Reproduce ${def.stage}` : 'Reproduce pipeline';
  return `${what}${def.downstream ? ' and downstream' : ''}${def.singleItem ? ' (only this stage)' : ''}${def.force ? ' (force)' : ''}`;
}

export class ReproTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly engines: Engines,
    private readonly model: ReproModel,
    private readonly trusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {}

  /** Restricted Mode: no tasks at all (running a stage runs its command). */
  async provideTasks(): Promise<vscode.Task[]> {
    if (!this.trusted()) return [];
    const tasks: vscode.Task[] = [];
    for (const p of await this.model.all()) {
      if (p.stages.length === 0 && p.problems.length === 0) continue;
      const outOfDate = p.stages.filter((s) => !s.upToDate && !s.frozen).length;
      // With problems the run is refused: the detail says so instead of "all up to date".
      const detail = p.problems.length
        ? `${plural(p.problems.length, 'problem')}, cannot run: ${problemsSummary(p.problems, 160)}`
        : `${plural(p.stages.length, 'stage')}, ${outOfDate ? `${outOfDate} out of date` : 'all up to date'}`;
      tasks.push(this.task(p.engine, { type: TASK_TYPE }, detail));
      for (const s of p.stages)
        tasks.push(this.task(p.engine, { type: TASK_TYPE, stage: s.address }, stateText(s, this.model.live(p.engine, s, p))));
    }
    return tasks;
  }

  /** Tasks from tasks.json: the same execution for the definition given there. */
  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    if (!this.trusted() || task.definition.type !== TASK_TYPE) return undefined;
    await this.engines.whenOpen();
    const folder = task.scope && typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    const engine = folder && this.engines.byFolder.get(folder.uri.toString());
    if (!engine) return undefined;
    const resolved = this.task(engine, task.definition as LineageTaskDefinition);
    resolved.name = task.name;
    return resolved;
  }

  /** A runnable task for one folder (the commands run these through vscode.tasks.executeTask). */
  task(engine: FolderEngine, def: LineageTaskDefinition, detail?: string): vscode.Task {
    const execution = new vscode.CustomExecution(
      async (resolved) => new ReproTerminal(this.model, engine, { ...def, ...resolved } as LineageTaskDefinition),
    );
    const task = new vscode.Task(def, engine.folder, taskName(def), TASK_TYPE, execution, [PROBLEM_MATCHER]);
    task.detail = detail;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true, showReuseMessage: false };
    return task;
  }
}

/** The terminal of one repro run: engine events in, text out; closing it cancels the run. */
export class ReproTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private readonly abort = new AbortController();

  constructor(
    private readonly model: ReproModel,
    private readonly engine: FolderEngine,
    private readonly def: LineageTaskDefinition,
  ) {}

  open(): void {
    void this.run();
  }

  /** "Terminate Task" or closing the terminal: the engine kills the command's process tree. */
  close(): void {
    this.abort.abort();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.written.fire('^C\r\n');
      this.abort.abort();
    }
  }

  private async run(): Promise<void> {
    const where = new Map<string, StageWhere>();
    const transcript = new ReproTranscript((address) => where.get(address));
    this.written.fire(transcript.header(commandLine(this.def)));
    let result: ReproResult | undefined;
    let code: number;
    try {
      const snapshot = await this.model.pipelines(this.engine);
      // The problem matcher resolves relative paths against the workspace folder, which may lie below the repository root.
      const folderIsRoot = repoRelative(snapshot.root, this.engine.folder.uri.fsPath) === '';
      for (const s of snapshot.stages) where.set(s.address, { file: folderIsRoot ? s.file : join(snapshot.root, s.file), line: s.line });
      result = await this.model.run(this.engine, reproOptions(this.def, this.abort.signal), (e) => this.written.fire(transcript.event(e)));
      code = exitCodeOf(result);
    } catch (error) {
      // Bad input before any stage ran (problems in the pipelines, unknown stage, another run): as the CLI, exit 2.
      const problems = problemsOf(error);
      this.written.fire(problems.length ? transcript.refused(problems) : transcript.error((error as Error).message));
      code = 2;
    }
    this.written.fire(transcript.summary(result, code));
    // The workbench parses terminal text into problem-matcher lines asynchronously and stops
    // collecting 100 ms after the exit: closing at once can lose the last ERROR line under load.
    await new Promise((resolve) => setTimeout(resolve, CLOSE_DELAY_MS));
    this.closed.fire(code);
  }
}

function quote(arg: string): string {
  return /^[\w@./:=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
