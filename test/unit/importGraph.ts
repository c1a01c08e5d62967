// The project's import graph as the layering tests read it: every relative import and
// every package import of each .ts file. `import type` and `export type … from` are left
// out: they vanish at build time, so they cannot make a loop that runs.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

export interface SourceFile {
  /** Project-relative, '/'-separated. */
  path: string;
  text: string;
  /** Project files it imports (project-relative). */
  imports: string[];
  /** Packages and Node built-ins it imports ('node:fs', 'vscode', …). */
  packages: string[];
}

export function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'";]*?\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function readSource(file: string): SourceFile {
  const text = readFileSync(file, 'utf8');
  const imports: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (m[2]) continue;
    const spec = m[3] ?? m[4] ?? m[5];
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const target = resolve(dirname(file), spec);
    const found = [`${target}.ts`, join(target, 'index.ts'), target].find((f) => existsSync(f) && statSync(f).isFile());
    if (found) imports.push(rel(found));
  }
  return { path: rel(file), text, imports, packages };
}

export function readTree(...dirs: string[]): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const dir of dirs) for (const file of tsFiles(join(ROOT, dir))) files.set(rel(file), readSource(file));
  return files;
}

export type Edges = Map<string, Map<string, string[]>>;

/** Edges between groups (folders, or files), each with the file imports that make it. */
export function groupEdges(files: Iterable<SourceFile>, groupOf: (path: string) => string | undefined): Edges {
  const edges: Edges = new Map();
  for (const file of files) {
    const from = groupOf(file.path);
    if (from === undefined) continue;
    for (const target of file.imports) {
      const to = groupOf(target);
      if (to === undefined || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const byTarget = edges.get(from)!;
      byTarget.set(to, [...(byTarget.get(to) ?? []), `${file.path} -> ${target}`]);
    }
  }
  return edges;
}

/** Strongly connected components of more than one node: each holds at least one loop. */
export function loops(edges: Edges): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Each loop as one string: its members, then the imports that tie them. */
export function describeLoops(edges: Edges): string[] {
  return loops(edges).map((c) =>
    [c.join(' <-> '), ...c.flatMap((a) => [...(edges.get(a) ?? [])].filter(([b]) => c.includes(b)).flatMap(([, why]) => why))].join('\n  '),
  );
}

/** The folder two levels under a root ('src/core/diff/x.ts' -> 'src/core/diff'); files right under it count as the root. */
export function folderUnder(root: string): (path: string) => string | undefined {
  return (path) => {
    if (!path.startsWith(`${root}/`)) return undefined;
    const parts = path.slice(root.length + 1).split('/');
    return parts.length === 1 ? root : `${root}/${parts[0]}`;
  };
}

/** Every project file a file reaches through its imports, itself included. */
export function reachable(files: Map<string, SourceFile>, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const path = todo.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const next of files.get(path)?.imports ?? []) todo.push(next);
  }
  return seen;
}
