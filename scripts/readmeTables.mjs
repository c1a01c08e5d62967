#!/usr/bin/env node
// `node scripts/readmeTables.mjs [--check]`: the README's settings and commands tables, made
// from package.json (`contributes.configuration` and `contributes.commands`), so they cannot
// drift from what the extension declares. Each table sits between two marker comments:
//   <!-- settings:start --> … <!-- settings:end -->
//   <!-- commands:start --> … <!-- commands:end -->
// Without --check the tables are rewritten in place; with --check nothing is written and the
// exit code is 1 when README.md differs from what package.json gives (the message says which
// table and how to fix it). --readme FILE and --package FILE name other files than the
// project's own. test/unit/readmeTables.test.ts runs the check.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A cell: one line, pipes escaped. */
function cell(text) {
  return String(text)
    .replace(/\r?\n+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** Plain text (a `description`, not a `markdownDescription`) made safe to read as Markdown. */
function plainToMarkdown(text) {
  return String(text)
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A setting's Markdown description; `#lineage.x#` links (a settings-editor feature) become code. */
function settingDescription(schema) {
  const text = schema.markdownDescription !== undefined ? schema.markdownDescription : plainToMarkdown(schema.description ?? '');
  return text.replace(/`#([\w.-]+)#`/g, '`$1`').replace(/#([\w-]+(?:\.[\w-]+)+)#/g, '`$1`');
}

function settingDefault(schema) {
  return schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``;
}

/** The `contributes.configuration` blocks of a manifest (one object or an array of them). */
function configurationBlocks(pkg) {
  const configuration = pkg.contributes?.configuration ?? [];
  return Array.isArray(configuration) ? configuration : [configuration];
}

/** The settings table: one row per setting, in package.json's order. */
export function settingsTable(pkg) {
  const rows = ['| Setting | Default | Description |', '| --- | --- | --- |'];
  for (const block of configurationBlocks(pkg)) {
    for (const [key, schema] of Object.entries(block.properties ?? {})) {
      let description = settingDescription(schema);
      if (Array.isArray(schema.enum)) {
        const values = schema.enum.map((value, i) => {
          const said = schema.enumDescriptions?.[i];
          return said ? `\`${value}\`: ${plainToMarkdown(said)}` : `\`${value}\``;
        });
        description += ` Values: ${values.join('; ')}.`;
      }
      rows.push(`| \`${key}\` | ${cell(settingDefault(schema))} | ${cell(description)} |`);
    }
  }
  return rows.join('\n');
}

/** The views named in a `when` clause (`view == lineage.runs`), by their display names. */
function viewsIn(when, viewNames) {
  const found = [];
  for (const m of String(when ?? '').matchAll(/\bview\s*==\s*([\w.-]+)/g)) {
    const name = viewNames.get(m[1]) ?? m[1];
    if (!found.includes(name)) found.push(name);
  }
  return found;
}

/** Where a command can be found: the Command Palette, each view's toolbar and item menus, editor menus. */
function commandPlaces(pkg, id) {
  const menus = pkg.contributes?.menus ?? {};
  const views = Object.values(pkg.contributes?.views ?? {}).flat();
  const viewNames = new Map(views.map((v) => [v.id, v.name]));
  const places = [];
  if (!(menus.commandPalette ?? []).some((m) => m.command === id && m.when === 'false')) places.push('Command Palette');
  const inView = new Map(views.map((v) => [v.name, []]));
  const note = (menu, label) => {
    for (const m of menus[menu] ?? []) {
      if (m.command !== id) continue;
      for (const view of viewsIn(m.when, viewNames)) {
        const labels = inView.get(view) ?? inView.set(view, []).get(view);
        if (!labels.includes(label)) labels.push(label);
      }
    }
  };
  note('view/title', 'toolbar');
  note('view/item/context', 'item menu');
  for (const [view, labels] of inView) if (labels.length > 0) places.push(`${view} view (${labels.join(', ')})`);
  if ((menus['editor/context'] ?? []).some((m) => m.command === id)) places.push('editor context menu');
  if ((menus['editor/title'] ?? []).some((m) => m.command === id)) places.push('editor title bar');
  return places;
}

/**
 * Whether a command needs a trusted workspace: its enablement says so, or every menu entry
 * that shows it does.
 */
function needsTrust(pkg, command) {
  if (/\bisWorkspaceTrusted\b/.test(command.enablement ?? '')) return true;
  const entries = Object.values(pkg.contributes?.menus ?? {})
    .flat()
    .filter((m) => m.command === command.command);
  return entries.length > 0 && entries.every((m) => /\bisWorkspaceTrusted\b/.test(m.when ?? ''));
}

/** The commands table: one row per command, in package.json's order. */
export function commandsTable(pkg) {
  const rows = ['| Command | ID | Where | Trusted workspace only |', '| --- | --- | --- | --- |'];
  for (const command of pkg.contributes?.commands ?? []) {
    const title = command.category ? `${command.category}: ${command.title}` : command.title;
    const places = commandPlaces(pkg, command.command).join('; ') || 'tree items only';
    rows.push(`| ${cell(title)} | \`${command.command}\` | ${cell(places)} | ${needsTrust(pkg, command) ? 'yes' : ''} |`);
  }
  return rows.join('\n');
}

const TABLES = [
  { name: 'settings', what: 'contributes.configuration', make: settingsTable },
  { name: 'commands', what: 'contributes.commands', make: commandsTable },
];

/** The block between a table's markers, or an error message when the markers are not there once, in order. */
function findBlock(readme, name) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < 0 || to < from || readme.indexOf(start, from + 1) >= 0 || readme.indexOf(end, to + 1) >= 0) {
    return { error: `it must hold ${start} and ${end} once each, in that order` };
  }
  return { from: from + start.length, to };
}

/**
 * README text with both tables made from the manifest `pkg`, and the names of the tables that
 * changed. Throws when a table's markers are missing.
 */
export function renderTables(readme, pkg) {
  let text = readme;
  const changed = [];
  for (const table of TABLES) {
    const block = findBlock(text, table.name);
    if (block.error) throw new Error(block.error);
    const body = `\n${table.make(pkg)}\n`;
    if (text.slice(block.from, block.to) !== body) changed.push(table.name);
    text = text.slice(0, block.from) + body + text.slice(block.to);
  }
  return { text, changed };
}

/**
 * Compares (check: true) or rewrites (check: false) the tables of the README at `readmePath`
 * against the manifest at `packagePath`. Returns { ok, changed, message }: with check, ok is
 * false when the README is out of date or its markers are missing.
 */
export function readmeTables({ readmePath, packagePath, check = false }) {
  const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
  const readme = readFileSync(readmePath, 'utf8');
  const [readmeName, packageName] = [basename(readmePath), basename(packagePath)];
  let rendered;
  try {
    rendered = renderTables(readme, pkg);
  } catch (error) {
    return { ok: false, changed: [], message: `${readmeName}: ${error.message}` };
  }
  const { text, changed } = rendered;
  if (changed.length === 0) return { ok: true, changed, message: `${readmeName}: the settings and commands tables match ${packageName}` };
  const which = changed.map((name) => `the ${name} table (from ${TABLES.find((t) => t.name === name).what})`).join(' and ');
  if (check) {
    return {
      ok: false,
      changed,
      message: `${readmeName} is out of date: ${which} differs from ${packageName}. Run \`node scripts/readmeTables.mjs\` to rewrite it.`,
    };
  }
  writeFileSync(readmePath, text);
  return { ok: true, changed, message: `${readmeName}: rewrote ${which}` };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const usage = 'usage: node scripts/readmeTables.mjs [--check] [--readme FILE] [--package FILE]';
  const options = { readmePath: join(root, 'README.md'), packagePath: join(root, 'package.json'), check: false };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--check') options.check = true;
    else if ((args[i] === '--readme' || args[i] === '--package') && args[i + 1])
      options[args[i] === '--readme' ? 'readmePath' : 'packagePath'] = resolve(args[++i]);
    else {
      process.stderr.write(`readmeTables: unknown argument ${args[i]}; ${usage}\n`);
      process.exit(2);
    }
  }
  const result = readmeTables(options);
  (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
  process.exit(result.ok ? 0 : 1);
}
