// Helpers shared by the demo and synthetic repository generators: a seeded PRNG (output must
// be identical for a given seed on every machine), hashing, identities and DVC-style YAML.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { GitIdent } from './fastImport';

/** Monday 2025-01-06 09:00 UTC: every generated history starts here. */
export const DEMO_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0) / 1000;

/** mulberry32: tiny, fast and good enough for plausible-looking data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Roughly normal noise (sum of uniforms), cheap and bounded. */
  noise(scale: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * scale;
  }

  hex(len: number): string {
    let s = '';
    while (s.length < len) {
      s += Math.floor(this.next() * 16).toString(16);
    }
    return s;
  }

  /** A child generator, so one part of the history can change without shifting the rest. */
  fork(salt: number): Rng {
    return new Rng((Math.floor(this.next() * 0xffffffff) ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  }
}

export function md5(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Rounds to `digits` decimals and drops float noise such as 0.30000000000000004. */
export function round(x: number, digits = 4): number {
  return Number(x.toFixed(digits));
}

export interface Person {
  name: string;
  email: string;
  tz: string;
}

export const PEOPLE: readonly Person[] = [
  { name: 'Ada Moreau', email: 'ada.moreau@example.com', tz: '+0100' },
  { name: 'Bilal Chaudhry', email: 'bilal@example.com', tz: '+0000' },
  { name: 'Chen Wei', email: 'chen.wei@example.com', tz: '+0800' },
  { name: 'Dana Okafor', email: 'dana.okafor@example.com', tz: '-0500' },
  { name: 'Jörg Müller', email: 'joerg.mueller@example.com', tz: '+0100' },
];

export function ident(person: Person, time: number): GitIdent {
  return { name: person.name, email: person.email, tz: person.tz, time };
}

/** YAML laid out the way DVC (ruamel) writes it: sequences not indented, '2.0' single-quoted. */
export function dvcYaml(value: unknown): string {
  // No anchors/aliases: DVC never writes them, and two stages may share one params object.
  return stringify(value, { indentSeq: false, singleQuote: true, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Python's json.dumps(obj, indent=4) spacing, which DVCLive and most scripts produce. */
export function pyJson(value: unknown): string {
  return JSON.stringify(value, null, 4) + '\n';
}

/**
 * DVC's directory hash: md5 of Python's json.dumps(sorted entries, sort_keys=True), plus ".dir".
 * Only ASCII relpaths are generated here, so no \\u escaping is needed to match Python.
 */
export function dirListing(files: Map<string, Buffer>): { json: Buffer; md5: string; size: number; nfiles: number } {
  const names = [...files.keys()].sort();
  const entries = names.map((n) => `{"md5": "${md5(files.get(n) as Buffer)}", "relpath": "${n}"}`);
  const json = Buffer.from(`[${entries.join(', ')}]`, 'utf8');
  let size = 0;
  for (const buf of files.values()) {
    size += buf.length;
  }
  return { json, md5: md5(json) + '.dir', size, nfiles: names.length };
}

/** Writes each object to .dvc/cache/files/md5/<2>/<30>, the DVC 3.x cache layout. */
export async function writeDvcCache(dir: string, objects: Map<string, Buffer>): Promise<void> {
  const root = path.join(dir, '.dvc', 'cache', 'files', 'md5');
  const made = new Set<string>();
  for (const [hash, bytes] of objects) {
    const sub = path.join(root, hash.slice(0, 2));
    if (!made.has(sub)) {
      await fs.mkdir(sub, { recursive: true });
      made.add(sub);
    }
    await fs.writeFile(path.join(sub, hash.slice(2)), bytes);
  }
}

/** Writes files relative to `dir`, creating folders as needed. */
export async function writeTree(dir: string, files: Map<string, Buffer>): Promise<void> {
  for (const [rel, bytes] of files) {
    const full = path.join(dir, ...rel.split('/'));
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, bytes);
  }
}
