// Typed filter conditions as users write them (`metrics: eval/metrics.json:accuracy >= 0.9`,
// `train.lr contains 0.0`, `state = failed`) read into a Filter on a column of the table.
// Pure: the CLI and the editor's page read conditions the same way.

import type { Filter, FilterOp, TableColumn } from './types';

export class FilterTextError extends Error {}

// Longest first, so `>=` is not read as `>` followed by `=…`.
const OPS: readonly FilterOp[] = ['!contains', 'contains', '<=', '>=', '!=', '=', '<', '>'];

/**
 * The column a name stands for: a column id (`metrics:eval/metrics.json:accuracy`, a space
 * after the group allowed), `file:key`, a key alone, or a meta column's name (`state`,
 * `created`, `commit`, `message`). A name that fits several columns is refused, naming them.
 */
export function resolveColumn(name: string, columns: readonly TableColumn[]): TableColumn {
  const text = name.trim().replace(/^(metrics|params|meta):\s+/, '$1:');
  const exact = columns.find((c) => c.id === text);
  if (exact) return exact;
  for (const match of [(c: TableColumn) => c.group !== 'meta' && `${c.source}:${c.key}` === text, (c: TableColumn) => c.key === text]) {
    const hits = columns.filter(match);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1)
      throw new FilterTextError(
        `"${name.trim()}" names several columns: ${hits
          .slice(0, 8)
          .map((c) => c.id)
          .join(', ')}${hits.length > 8 ? ', …' : ''}`,
      );
  }
  throw new FilterTextError(
    `no column "${name.trim()}" (columns are named like metrics:<file>:<key>, params:<file>:<key>, <file>:<key>, <key>, or state, created, commit, message)`,
  );
}

/** `<column> <op> <value>`: the operator is taken where it stands between spaces, else at its first occurrence. */
export function parseFilter(text: string, columns: readonly TableColumn[]): Filter {
  let at = -1;
  let op: FilterOp | undefined;
  for (const candidate of OPS) {
    const i = text.indexOf(` ${candidate} `);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i + 1;
      op = candidate;
    }
  }
  if (op === undefined) {
    for (const candidate of OPS) {
      const i = text.indexOf(candidate);
      if (i > 0 && (at < 0 || i < at)) {
        at = i;
        op = candidate;
      }
    }
  }
  if (op === undefined || at <= 0)
    throw new FilterTextError(`"${text}" is not a condition: write <column> <op> <value>, op one of ${OPS.join(' ')}`);
  const column = resolveColumn(text.slice(0, at), columns);
  return { column: column.id, op, value: text.slice(at + op.length).trim() };
}
