import * as vscode from 'vscode';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { keyPositions, positionFormat, type KeySpan } from '../../core/formats/keyPositions';
import { valuesOfText, type TrackedFile } from '../../core/workspace/baselines';
import { inlineDiff, type InlineDiff } from '../../core/diff/inlineDiff';
import { directionsFor } from '../../core/diff/direction';
import type { FlatMap, ParseFailure } from '../../core/data/types';
import type { FolderEngine } from '../folderEngine';
import { readSettings } from '../settings';
import type { Baselines } from './baselines';

/** One version of an open params/metrics document: its values (from its text) and where each key sits. */
export interface DocumentModel {
  uri: string;
  version: number;
  engine: FolderEngine;
  file: TrackedFile;
  /** The parser's complaint when the text does not parse (no hints then). */
  error?: ParseFailure;
  values: FlatMap;
  /** Leaf keys in document order. */
  spans: KeySpan[];
  /** Characters of the text, to tell big documents. */
  length: number;
  parseMs: number;
}

/** Above this many characters a document is parsed only by the debounced update, never by a CodeLens request. */
export const LARGE_DOCUMENT = 1024 * 1024;

export type ModelDiff = { baseline: string; sha: string; diff: InlineDiff; note?: string } | { baseline?: string; problem: string };

/**
 * The documents' models, computed at most once per document version (the text is parsed
 * once, whatever asks: decorations, CodeLens, hover), and their diff against the baseline,
 * once per version and baseline generation.
 */
export class DocumentModels {
  private readonly models = new Map<string, DocumentModel>();
  private readonly diffs = new WeakMap<DocumentModel, { generation: number; diff: ModelDiff }>();
  private readonly paths = new Map<string, string | undefined>();
  /** Parses per document, for the test API ("parsed once per version"). */
  readonly parses = new Map<string, number>();

  constructor(private readonly baselines: Baselines) {}

  /** The folder engine and tracked file a document is, or undefined (not a params/metrics file of an index). */
  target(document: vscode.TextDocument): { engine: FolderEngine; file: TrackedFile } | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const engine = this.baselines.engineFor(document.uri);
    if (!engine?.repo) return undefined;
    const path = this.repoPath(engine, document.uri);
    const file = path !== undefined ? this.baselines.trackedFiles(engine).get(path) : undefined;
    return file && positionFormat(file.path) ? { engine, file } : undefined;
  }

  /**
   * The model of the document's current version, parsing it if needed; with `staleOk`, a big
   * document's last model (an earlier version) rather than a parse while the user types.
   */
  model(document: vscode.TextDocument, options: { staleOk?: boolean } = {}): DocumentModel | undefined {
    const key = document.uri.toString();
    const cached = this.models.get(key);
    const target = this.target(document);
    if (!target) return undefined;
    if (
      options.staleOk &&
      cached &&
      cached.length > LARGE_DOCUMENT &&
      cached.engine === target.engine &&
      sameFile(cached.file, target.file)
    )
      return cached;
    // The tracked-file objects are rebuilt on every index change; only a different role or selector needs a new parse.
    if (cached && cached.version === document.version && cached.engine === target.engine && sameFile(cached.file, target.file))
      return cached;
    const started = performance.now();
    const text = document.getText();
    const parsed = valuesOfText(text, target.file.path, target.file.role, target.file.selector);
    const spans = parsed.ok ? keyPositions(text, positionFormat(target.file.path)!).spans : [];
    const model: DocumentModel = {
      uri: key,
      version: document.version,
      engine: target.engine,
      file: target.file,
      error: parsed.ok ? undefined : parsed,
      values: parsed.ok ? parsed.value : {},
      spans,
      length: text.length,
      parseMs: performance.now() - started,
    };
    this.models.set(key, model);
    this.parses.set(key, (this.parses.get(key) ?? 0) + 1);
    return model;
  }

  diff(model: DocumentModel): ModelDiff {
    const cached = this.diffs.get(model);
    if (cached && cached.generation === this.baselines.generation) return cached.diff;
    const diff = this.computeDiff(model);
    this.diffs.set(model, { generation: this.baselines.generation, diff });
    return diff;
  }

  private computeDiff(model: DocumentModel): ModelDiff {
    const ref = this.baselines.baseline(model.engine);
    if ('problem' in ref) return ref;
    const base = this.baselines.fileValues(model.engine, ref.sha, model.file);
    if (base.status === 'problem')
      return {
        baseline: ref.name,
        problem: `${model.file.path} on ${ref.name} could not be read${base.line !== undefined ? ` (line ${base.line})` : ''}: ${base.message}`,
      };
    const baseValues = base.status === 'ok' ? base.values : {};
    const directions =
      model.file.role === 'metrics'
        ? directionsFor(
            new Set([...Object.keys(model.values), ...Object.keys(baseValues)]),
            readSettings(model.engine.folder.uri).metricDirections,
          )
        : {};
    return {
      baseline: ref.name,
      sha: ref.sha,
      diff: inlineDiff(model.values, baseValues, model.file.role, directions),
      note: base.status === 'absent' ? `${model.file.path} is not on ${ref.name}` : undefined,
    };
  }

  /** How long the document's last parse took, to pace the next one. */
  lastParseMs(uri: vscode.Uri): number | undefined {
    return this.models.get(uri.toString())?.parseMs;
  }

  forget(uri: vscode.Uri): void {
    this.models.delete(uri.toString());
    this.paths.delete(uri.toString());
  }

  /** The path the index uses (relative to the repository root, '/'-separated); undefined outside it. */
  private repoPath(engine: FolderEngine, uri: vscode.Uri): string | undefined {
    const id = uri.toString();
    if (this.paths.has(id)) return this.paths.get(id);
    const inside = (p: string) => {
      const r = relative(engine.repo!.root, p);
      return r && !r.startsWith('..') && !r.startsWith(sep) ? r.split(sep).join('/') : undefined;
    };
    let path = inside(uri.fsPath);
    // The root is a realpath; the editor's path may go through a symlink (macOS /tmp, a linked checkout).
    if (path === undefined) {
      try {
        path = inside(realpathSync.native(uri.fsPath));
      } catch {
        /* not on disk yet */
      }
    }
    this.paths.set(id, path);
    return path;
  }
}

function sameFile(a: TrackedFile, b: TrackedFile): boolean {
  return a.path === b.path && a.role === b.role && JSON.stringify(a.selector) === JSON.stringify(b.selector);
}
