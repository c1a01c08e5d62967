/**
 * GTO's Git tag grammar (shared FORMATS.md §5): parsing registry tags and building new ones,
 * and the validation every user-supplied name goes through before any git call.
 */

const NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?';
const DIRNAME = '[a-zA-Z0-9\\-_./]+';
const NUM = '(?:0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const SEMVER = `${NUM}\\.${NUM}\\.${NUM}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?`;

const NAME_RE = new RegExp(`^${NAME}$`);
const FULLNAME_RE = new RegExp(`^(?:${DIRNAME}:)?${NAME}$`);
const SEMVER_RE = new RegExp(`^v${SEMVER}$`);
// Same shape as GTO's tag_re, with `=` standing for the `:` of `dir:name`.
const TAG_RE = new RegExp(
  `^(?<artifact>(?:${DIRNAME}=)?${NAME})` +
    `(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))` +
    '(?:#(?<counter>[0-9]+))?$',
);

export type TagAction = 'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate';

export interface ParsedTag {
  action: TagAction;
  /** `name` or `dir:name`. */
  artifact: string;
  version: string | null;
  stage: string | null;
  counter: number | null;
}

/**
 * Parses a tag name the way GTO does; null for tags outside the grammar (including GTO's
 * reserved `@created`, which it parses but never acts on).
 */
export function parseRegistryTag(tag: string): ParsedTag | null {
  const m = TAG_RE.exec(tag);
  if (!m?.groups) return null;
  const g = m.groups;
  const artifact = g.artifact.replace(/=/g, ':');
  const counter = g.counter !== undefined ? Number(g.counter) : null;
  const cancel = g.cancel === '!';
  if (g.version) return { action: cancel ? 'deregister' : 'register', artifact, version: g.version, stage: null, counter };
  if (g.stage) return { action: cancel ? 'unassign' : 'assign', artifact, version: null, stage: g.stage, counter };
  if (g.deprecated) return { action: 'deprecate', artifact, version: null, stage: null, counter };
  return null;
}

/**
 * A tag that starts like a registry tag (`name@…`, `name#…`) but is not in the grammar:
 * worth a line in RegistryState.ignored rather than silence. Release tags such as `v1.0`
 * have neither separator and are simply not registry tags.
 */
export function looksLikeRegistryTag(tag: string): boolean {
  return /^[^@#]+[@#]/.test(tag) || /^[@#]/.test(tag);
}

/** Builds the tag for an event; `counter` null for GTO's simple form (used by `@deprecated`). */
export function formatRegistryTag(p: {
  action: TagAction;
  artifact: string;
  version?: string | null;
  stage?: string | null;
  counter: number | null;
}): string {
  const name = p.artifact.replace(/:/g, '=');
  let base: string;
  switch (p.action) {
    case 'register':
      base = `${name}@${p.version}`;
      break;
    case 'deregister':
      base = `${name}@${p.version}!`;
      break;
    case 'assign':
      base = `${name}#${p.stage}`;
      break;
    case 'unassign':
      base = `${name}#${p.stage}!`;
      break;
    case 'deprecate':
      base = `${name}@deprecated`;
      break;
  }
  return p.counter === null ? base : `${base}#${p.counter}`;
}

export function isValidArtifactName(name: string): boolean {
  return FULLNAME_RE.test(name) && !name.startsWith('-') && !name.includes('..');
}

export function isValidStageName(stage: string): boolean {
  return NAME_RE.test(stage);
}

export function isValidVersion(version: string): boolean {
  return SEMVER_RE.test(version);
}

/** Thrown for input refused before any git call; the message is meant for the user as is. */
export class RegistryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryInputError';
  }
}

const NAME_RULE = "letters, digits, '_', '-' and '/', starting and ending with a letter or digit";

export function assertArtifactName(name: string): void {
  if (!isValidArtifactName(name))
    throw new RegistryInputError(`invalid artifact name ${JSON.stringify(name)}: use ${NAME_RULE} (optionally 'dir:name')`);
}

export function assertStageName(stage: string): void {
  if (!isValidStageName(stage)) throw new RegistryInputError(`invalid stage ${JSON.stringify(stage)}: use ${NAME_RULE}`);
}

export function assertVersion(version: string): void {
  if (!isValidVersion(version))
    throw new RegistryInputError(`invalid version ${JSON.stringify(version)}: expected a semantic version with a 'v' prefix, e.g. v1.2.0`);
}
