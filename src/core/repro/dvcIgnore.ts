// `.dvcignore` as DVC 3 applies it (dvc/ignore.py, dvc/pathspec_math.py, pathspec 1.x
// GitIgnoreSpecPattern). Every rule is kept relative to the repository root: a .dvcignore in a
// subfolder is rebased the way merge_patterns does it, and the last rule that matches wins.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { posix } from 'node:path';

/** DvcIgnoreFilter's built-in rules, before the root .dvcignore. */
export const DEFAULT_IGNORE_PATTERNS = ['.hg/', '.git/', '.git', '.dvc/'];

export interface IgnoreRule {
  /** The rule as DVC holds it (rebased onto the root for subfolder files). */
  pattern: string;
  regex: RegExp;
  /** false for `!` rules. */
  ignore: boolean;
  dirOnly: boolean;
}

/** A `.dvcignore` line DVC cannot compile (pathspec raises; so does `dvc status`). */
export class DvcIgnoreError extends Error {
  constructor(
    readonly file: string,
    readonly line: string,
    reason: string,
  ) {
    super(`${file}: invalid .dvcignore pattern "${line}" (${reason}); fix or remove the line.`);
    this.name = 'DvcIgnoreError';
  }
}

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeRegex = (s: string) => s.replace(REGEX_SYNTAX, '\\$&');
// Python's `.` and `$` (no DOTALL/MULTILINE): `.` is anything but \n, `$` also before a final \n.
const DOT = '[^\\n]';
const END = '(?=\\n?$)';
const DIR_MARK_OPT = `(?:/|${END})`;

class RangeError_ extends Error {}

/** pathspec _translate_segment_glob with range_error='raise', emitting JS (u flag) syntax. */
function translateGlob(seg: string): string {
  let out = '';
  let i = 0;
  while (i < seg.length) {
    const ch = seg[i++];
    if (ch === '\\') {
      if (i >= seg.length) throw new Error('escape character with nothing to escape');
      out += escapeRegex(seg[i++]);
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      let j = i;
      if (j < seg.length && (seg[j] === '!' || seg[j] === '^')) j++;
      if (j < seg.length && seg[j] === ']') j++;
      while (j < seg.length && seg[j] !== ']') j++;
      if (j >= seg.length) throw new RangeError_();
      let expr = '[';
      if (seg[i] === '!' || seg[i] === '^') {
        expr += '^';
        i++;
      }
      // Python keeps a leading ']' literal and `[` inside a set; JS needs both escaped.
      const body = seg.slice(i, j).replace(/\\/g, '\\\\').replace(/^\]/, '\\]').replace(/\[/g, '\\[');
      out += expr + body + ']';
      i = j + 1;
    } else out += escapeRegex(ch);
  }
  return out;
}

/** pathspec GitIgnoreSpecPattern.pattern_to_regex: [regex source, ignore] or undefined for no-op lines. */
export function patternToRegex(line: string): [string, boolean] | undefined {
  let pattern = line.endsWith('\\ ') ? line : line.trimEnd();
  if (!pattern || pattern.startsWith('#') || pattern === '/') return undefined;
  let ignore = true;
  if (pattern.startsWith('!')) {
    ignore = false;
    pattern = pattern.slice(1);
  }
  const segs = pattern.split('/');
  const isDirPattern = segs[segs.length - 1] === '';
  if (segs[0] === '') segs.shift();
  else if (segs.length === 1 || (segs.length === 2 && segs[1] === '')) {
    if (segs[0] !== '**') segs.unshift('**');
  }
  if (segs.length === 0) throw new Error('pattern normalized to nothing');
  if (segs[segs.length - 1] === '') segs[segs.length - 1] = '**';
  for (let i = segs.length - 1; i > 0; i--) if (segs[i - 1] === '**' && segs[i] === '**') segs.splice(i, 1);
  // pathspec's shortcuts; '/' alone (the directory mark) never matches a relative path with re.match.
  if (segs.length === 1 && segs[0] === '**') return [isDirPattern ? '/' : DOT, ignore];
  if (segs.length === 2 && segs[0] === '**' && segs[1] === '*') return [DOT, ignore];
  if (segs.length === 3 && segs[0] === '**' && segs[1] === '*' && segs[2] === '**') return ['/', ignore];
  let out = '';
  let needSlash = false;
  const end = segs.length - 1;
  try {
    segs.forEach((seg, i) => {
      if (seg === '**') {
        if (i === 0) out += `^(?:${DOT}+/)?`;
        else if (i < end) {
          out += `(?:/${DOT}+)?`;
          needSlash = true;
        } else out += '/';
        return;
      }
      if (i === 0) out += '^';
      if (needSlash) out += '/';
      out += seg === '*' ? '[^/]+' : translateGlob(seg);
      if (i === end) out += DIR_MARK_OPT;
      needSlash = true;
    });
  } catch (error) {
    if (error instanceof RangeError_) return undefined; // Git drops rules with a bad range
    throw error;
  }
  return [out, ignore];
}

/** dvc/pathspec_math.change_rule: a subfolder's rule rewritten relative to the root (`rel` = folder). */
export function rebaseRule(rule: string, rel: string): string {
  rule = rule.trim();
  if (rule.startsWith('#')) return rule;
  const negate = rule.startsWith('!');
  if (negate) rule = rule.slice(1);
  let matchAll: boolean;
  if (rule.slice(0, -1).includes('/') && !rule.startsWith('**/')) {
    matchAll = false;
    if (rule.startsWith('/')) rule = rule.slice(1);
  } else {
    matchAll = true;
    if (rule.startsWith('**/')) rule = rule.slice(3);
  }
  if (rule.startsWith('\\')) rule = rule.slice(1);
  rule = matchAll ? `/**/${rule}` : `/${rule}`;
  rule = negate ? `!/${rel}${rule}` : `/${rel}${rule}`;
  // pathspec.util.normalize_file drops one leading '/' (a '!' rule keeps its slash).
  return rule.startsWith('/') ? rule.slice(1) : rule.startsWith('./') ? rule.slice(2) : rule;
}

export function compileRule(pattern: string, source: string): IgnoreRule | undefined {
  let compiled: [string, boolean] | undefined;
  try {
    compiled = patternToRegex(pattern);
    if (!compiled) return undefined;
    return { pattern, regex: new RegExp(`^(?:${compiled[0]})`, 'u'), ignore: compiled[1], dirOnly: pattern.endsWith('/') };
  } catch (error) {
    throw new DvcIgnoreError(source, pattern, (error as Error).message);
  }
}

/** DvcIgnorePatterns.from_file: stripped lines, blanks and `#` comments dropped. */
export function readIgnoreLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** One merged rule list (all relative to the repository root), with DVC's matching. */
export class IgnoreMatcher {
  private readonly memo = new Map<string, boolean>();
  constructor(readonly rules: readonly IgnoreRule[]) {}

  extend(rules: IgnoreRule[]): IgnoreMatcher {
    return rules.length === 0 ? this : new IgnoreMatcher([...this.rules, ...rules]);
  }

  /** _find_matching_pattern: the last rule matching `path` (or `path/` for a folder) decides. */
  decide(path: string, isDir: boolean): boolean {
    for (let r = this.rules.length - 1; r >= 0; r--) {
      const rule = this.rules[r];
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(path) || (isDir && rule.regex.test(path + '/'))) return rule.ignore;
    }
    return false;
  }

  /** decide() for folders, memoized: every file below asks about the same prefixes. */
  private decideDir(path: string): boolean {
    let hit = this.memo.get(path);
    if (hit === undefined) this.memo.set(path, (hit = this.decide(path, true)));
    return hit;
  }

  /** DvcIgnorePatterns._ignore: each leading folder is tried first; an ignored folder ignores all below. */
  matches(relPath: string, isDir: boolean): boolean {
    const parts = relPath.split('/');
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      prefix = i === 0 ? parts[0] : `${prefix}/${parts[i]}`;
      const last = i === parts.length - 1;
      if (isDir || !last ? this.decideDir(prefix) : this.decide(prefix, false)) return true;
    }
    return false;
  }
}

/**
 * The rules that apply inside each folder of a repository, loaded lazily like DvcIgnoreFilter:
 * the defaults, the root .dvcignore, each folder's .dvcignore on the way down (unless that
 * file is itself ignored), and DVC sub-repositories (a child folder holding `.dvc`) ignored.
 * Make a new one per status run: it caches what it read.
 */
export class DvcIgnore {
  private readonly byDir = new Map<string, IgnoreMatcher>();

  constructor(readonly root: string) {}

  /** The matcher for paths directly inside `dirRel` ('' = root). */
  forDir(dirRel: string): IgnoreMatcher {
    const cached = this.byDir.get(dirRel);
    if (cached) return cached;
    const parent =
      dirRel === ''
        ? new IgnoreMatcher(DEFAULT_IGNORE_PATTERNS.map((p) => compileRule(p, '(defaults)')!))
        : this.forDir(posix.dirname(dirRel) === '.' ? '' : posix.dirname(dirRel));
    let matcher = parent;
    const fileRel = dirRel === '' ? '.dvcignore' : `${dirRel}/.dvcignore`;
    const file = join(this.root, fileRel);
    if (!parent.matches(fileRel, false) && existsSync(file)) {
      const lines = readIgnoreLines(readFileSync(file, 'utf8'));
      const patterns = dirRel === '' ? lines : lines.map((l) => rebaseRule(l, dirRel));
      matcher = matcher.extend(patterns.map((p) => compileRule(p, fileRel)).filter((r): r is IgnoreRule => r !== undefined));
    }
    this.byDir.set(dirRel, matcher);
    return matcher;
  }

  /** Whether folder `dirRel` is a DVC sub-repository; DVC's walk skips those. */
  isSubRepo(dirRel: string): boolean {
    // DVC asks fs.exists(<dir>/.dvc): a file counts as much as a folder.
    return dirRel !== '' && statSync(join(this.root, dirRel, '.dvc'), { throwIfNoEntry: false }) !== undefined;
  }

  /** Whether DVC ignores this path (a file unless isDir), its folders' rules and sub-repositories included. */
  isIgnored(relPath: string, isDir: boolean): boolean {
    if (relPath === '') return false;
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) if (this.isSubRepo(parts.slice(0, i).join('/'))) return true;
    if (isDir && this.isSubRepo(relPath)) return true;
    const dir = parts.length === 1 ? '' : parts.slice(0, -1).join('/');
    return this.forDir(dir).matches(relPath, isDir);
  }
}
