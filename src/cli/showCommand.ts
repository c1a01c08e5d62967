import { parseArgs } from 'node:util';
import { formatDiffValue } from '../core/diff/format';
import { pyJsonDumps } from '../core/python/pyJson';
import { dvcDataReader, valuesOf } from '../core/workspace/values';
import { revisionLabel } from '../core/workspace/revision';
import { showSelection } from './showRevisions';
import type { Context } from './context';
import { renderTable } from './table';

export const SHOW_USAGE = `Usage: lineage show [REV...] [-a|--all-branches] [-T|--all-tags] [-A|--all-commits] [--params] [--json]

Metrics (or with --params, params) at each revision (default: the workspace).
--json prints the shape of \`dvc metrics show --json\`: {rev: {data: {file: {data: {...}}}}}.
-a, -T and -A add every branch, every tag or every commit, as \`dvc metrics show\` does:
the workspace is then keyed "workspace" and left out when it equals the checked-out branch;
names reaching one commit share one key, joined by commas ("v1.0.0,classifier@v1.0.0");
with -A each commit is keyed by its sha.
`;

export async function showCommand(ctx: Context, argv: string[]): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      params: { type: 'boolean' },
      'all-branches': { type: 'boolean', short: 'a' },
      'all-tags': { type: 'boolean', short: 'T' },
      'all-commits': { type: 'boolean', short: 'A' },
    },
  });
  const kind = opts.params ? 'params' : 'metrics';
  const { texts, revisions, brancher } = await showSelection(
    ctx,
    positionals,
    { allBranches: opts['all-branches'], allTags: opts['all-tags'], allCommits: opts['all-commits'] },
    kind,
  );
  if (opts.json) {
    // As `dvc metrics show --json` holds them: files in DVC's order, values with Python's
    // types, DVC's {"error": {type, msg}} for a file it cannot read; printed as json.dumps.
    const reader = await dvcDataReader(ctx.ws);
    const out = new Map<string, unknown>();
    try {
      for (const [i, revision] of revisions.entries()) {
        // DVC keys the workspace "" only when no revision is asked for; its brancher calls it "workspace".
        const name = revision.kind === 'workspace' && !brancher && positionals.length === 0 ? '' : texts[i];
        out.set(name, { data: (await reader.at(revision, kind)).files });
      }
    } finally {
      reader.close();
    }
    process.stdout.write(pyJsonDumps(out) + '\n');
    return 0;
  }
  const rows: string[][] = [];
  revisions.forEach((revision, i) => {
    const { values, problems } = valuesOf(ctx.ws, revision, kind, { exact: true });
    const rev = revisionLabel({ ...revision, text: texts[i] });
    for (const [path, keys] of Object.entries(values))
      for (const [key, v] of Object.entries(keys)) rows.push([rev, path, key, formatDiffValue(v, kind)]);
    for (const p of problems) rows.push([rev, p.path, '!', `${p.message}${p.line ? ` (line ${p.line})` : ''}`]);
  });
  process.stdout.write(
    rows.length === 0
      ? `No ${kind} found at ${texts.join(', ')}.\n`
      : renderTable(['Revision', 'Path', kind === 'metrics' ? 'Metric' : 'Param', 'Value'], rows),
  );
  return 0;
}
