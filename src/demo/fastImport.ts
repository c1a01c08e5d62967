// A small writer for `git fast-import` streams. The demo and benchmark repositories have
// hundreds to tens of thousands of commits with fixed authors and dates; creating them with
// porcelain commands (one process per commit) would take minutes, while one fast-import
// stream builds them in seconds and lets us set every timestamp exactly.
import { runGitText } from '../core/git/exec';

import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** An identity as fast-import wants it; `time` is Unix seconds, `tz` like "+0100". */
export interface GitIdent {
  name: string;
  email: string;
  time: number;
  tz?: string;
}

/** New contents for a path, or null to delete it. Strings are written as UTF-8. */
export type FileChange = string | Buffer | null;

export interface CommitSpec {
  /** Full ref name the commit moves, e.g. refs/heads/main or refs/exps/ab/cd…/exp-1. */
  ref: string;
  author: GitIdent;
  /** Defaults to the author. */
  committer?: GitIdent;
  message: string;
  /** Marks (":12") or full commit shas; the first is the first parent. Empty: a root commit. */
  parents: string[];
  /** Changes applied on top of the first parent's tree (fast-import starts from it). */
  files?: Map<string, FileChange> | Record<string, FileChange>;
  /** Executable paths, so a script can carry mode 100755. */
  executable?: Set<string>;
}

export interface TagSpec {
  name: string;
  /** Mark or sha of the tagged commit. */
  target: string;
  tagger: GitIdent;
  message: string;
}

/** Runs git with an argument array (no shell) and resolves with its stdout as text. */
export async function runGit(cwd: string, args: string[], input?: Buffer): Promise<string> {
  return runGitText(cwd, args, { input });
}

function identLine(kind: string, who: GitIdent): string {
  // Names and emails must not contain the delimiters fast-import parses on.
  const name = who.name.replace(/[<>\n]/g, '');
  const email = who.email.replace(/[<>\n]/g, '');
  return `${kind} ${name} <${email}> ${Math.floor(who.time)} ${who.tz ?? '+0000'}\n`;
}

/** Paths are unquoted unless they would be misread (leading quote, newline, backslash). */
function quotePath(p: string): string {
  if (!/^"|[\n\\]/.test(p)) {
    return p;
  }
  return '"' + p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

export class FastImportWriter {
  private readonly chunks: Buffer[] = [];
  private nextMark = 1;
  /** Current tip of each ref written in this stream, so `from` can be left out when redundant. */
  private readonly tips = new Map<string, string>();
  private commitCount = 0;

  get commits(): number {
    return this.commitCount;
  }

  private text(s: string): void {
    this.chunks.push(Buffer.from(s, 'utf8'));
  }

  private data(content: string | Buffer): void {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.text(`data ${buf.length}\n`);
    this.chunks.push(buf);
    this.text('\n');
  }

  /** Appends a commit and returns its mark (":N"), usable as a parent or tag target. */
  commit(spec: CommitSpec): string {
    const mark = `:${this.nextMark++}`;
    this.text(`commit ${spec.ref}\nmark ${mark}\n`);
    this.text(identLine('author', spec.author));
    this.text(identLine('committer', spec.committer ?? spec.author));
    this.data(spec.message.endsWith('\n') ? spec.message : spec.message + '\n');
    const [first, ...rest] = spec.parents;
    // Re-stating `from` for the ref's own tip would make fast-import reload the tree.
    if (first !== undefined && this.tips.get(spec.ref) !== first) {
      this.text(`from ${first}\n`);
    } else if (first === undefined && this.tips.has(spec.ref)) {
      throw new Error(`root commit on ${spec.ref}, which already has commits in this stream`);
    }
    for (const p of rest) {
      this.text(`merge ${p}\n`);
    }
    const files = spec.files instanceof Map ? spec.files : new Map(Object.entries(spec.files ?? {}));
    // Sorted so the stream (and hence any diff of two streams) does not depend on insertion order.
    for (const file of [...files.keys()].sort()) {
      const content = files.get(file);
      if (content === null || content === undefined) {
        this.text(`D ${quotePath(file)}\n`);
      } else {
        const mode = spec.executable?.has(file) ? '100755' : '100644';
        this.text(`M ${mode} inline ${quotePath(file)}\n`);
        this.data(content);
      }
    }
    this.text('\n');
    this.tips.set(spec.ref, mark);
    this.commitCount++;
    return mark;
  }

  /** An annotated tag object (what GTO reads) under refs/tags/<name>. */
  annotatedTag(spec: TagSpec): void {
    this.text(`tag ${spec.name}\nfrom ${spec.target}\n`);
    this.text(identLine('tagger', spec.tagger));
    this.data(spec.message.endsWith('\n') ? spec.message : spec.message + '\n');
  }

  /** A lightweight tag: just a ref pointing at the commit. */
  lightweightTag(name: string, target: string): void {
    this.setRef(`refs/tags/${name}`, target);
  }

  /** Points any ref (branch, refs/exps/…, refs/notes-like) at an existing commit. */
  setRef(ref: string, target: string): void {
    this.text(`reset ${ref}\nfrom ${target}\n\n`);
    this.tips.set(ref, target);
  }

  /** The whole stream; `feature done` makes a truncated stream fail instead of half-importing. */
  toBuffer(): Buffer {
    return Buffer.concat([Buffer.from('feature done\n'), ...this.chunks, Buffer.from('done\n')]);
  }

  /**
   * Feeds the stream to `git fast-import --quiet` inside `repoDir` and returns the sha of
   * every mark, read back from an exported marks file (the stream itself cannot know them).
   */
  async run(repoDir: string): Promise<Map<string, string>> {
    const gitDir = (await runGit(repoDir, ['rev-parse', '--absolute-git-dir'])).trim();
    const marksFile = path.join(gitDir, 'demo-fast-import.marks');
    try {
      await runGit(repoDir, ['fast-import', '--quiet', `--export-marks=${marksFile}`], this.toBuffer());
      const marks = new Map<string, string>();
      for (const line of (await fs.readFile(marksFile, 'utf8')).split('\n')) {
        const [mark, sha] = line.split(' ');
        if (mark && sha) {
          marks.set(mark, sha);
        }
      }
      return marks;
    } finally {
      await fs.rm(marksFile, { force: true });
    }
  }
}

/** Creates an empty repository with `main` as the unborn branch, refusing a non-empty folder. */
export async function initEmptyRepo(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const entries = await fs.readdir(dir);
  if (entries.length > 0) {
    // The generators end with a forced checkout, which would clobber whatever is there.
    throw new Error(`refusing to generate a repository in non-empty folder ${dir}`);
  }
  await runGit(dir, ['init', '--quiet', '--initial-branch=main']);
  // Checked-out bytes must equal the bytes hashed into dvc.lock, whatever the user's global config.
  await runGit(dir, ['config', 'core.autocrlf', 'false']);
}

/** Makes the work tree and index match main after an import. */
export async function checkoutMain(dir: string): Promise<void> {
  await runGit(dir, ['checkout', '--quiet', '-f', 'main']);
  await runGit(dir, ['reset', '--quiet', '--hard']);
}
