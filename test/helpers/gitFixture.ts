import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real Git repository in a temp folder, with deterministic author/committer times. */
export class GitFixture {
  private clock = 1735689600; // 2025-01-01

  constructor(readonly dir: string) {}

  static create(options: { init?: boolean } = {}): GitFixture {
    const fixture = new GitFixture(mkdtempSync(join(tmpdir(), 'lineage-test-')));
    if (options.init !== false) {
      fixture.git('init', '-q', '-b', 'main');
      fixture.git('config', 'user.name', 'Test User');
      fixture.git('config', 'user.email', 'test@example.com');
      fixture.git('config', 'commit.gpgsign', 'false');
      fixture.git('config', 'tag.gpgsign', 'false');
    }
    return fixture;
  }

  git(...args: string[]): string {
    const date = `${this.clock} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: {
        ...process.env,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_AUTHOR_NAME: 'Test User',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test User',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      },
    }).trim();
  }

  write(files: Record<string, string | Buffer>): this {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this;
  }

  symlink(target: string, path: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(target, full);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { recursive: true, force: true });
    return this;
  }

  /** Stages everything and commits; returns the new sha. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    this.write(files);
    this.clock += 60;
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A small DVC project: one stage with params and two metrics files. */
export const PIPELINE = `stages:
  train:
    cmd: python train.py
    deps:
    - train.py
    params:
    - train.lr
    - train.epochs
    metrics:
    - metrics.json:
        cache: false
    - eval/scores.yaml:
        cache: false
`;

export function params(lr: number, epochs = 10): string {
  return `train:\n  lr: ${lr}\n  epochs: ${epochs}\nunused: 1\n`;
}

export function metrics(acc: number, loss: number): string {
  return JSON.stringify({ acc, loss, nested: { f1: acc - 0.01 } }, null, 2);
}
