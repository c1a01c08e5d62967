// Warm CLI commands against bare Node start-up: `lineage metrics diff`, `exps` and `show` on an
// index that is already current (the refresh finds nothing new), each run as its own process
// like a user runs it, alternating with `node -e 0` so both see the same machine load.

import { median, runChild } from './measure';

/** How much slower than `node -e 0` a warm command may be. */
export const WARM_TARGET_RATIO = 1.6;
/** Racy window of the freshness record (src/core/indexer/freshness.ts RACY_MS) plus a margin. */
const SETTLE_MS = 2500;

export interface WarmRow {
  command: string;
  ms: number;
  nodeMs: number;
  /** Median of the per-pair ratios (command / node -e 0). */
  ratio: number;
  samples: number[];
}

export interface WarmResult {
  samples: number;
  nodeMs: number;
  rows: WarmRow[];
}

export const WARM_COMMANDS: readonly string[][] = [['metrics', 'diff'], ['exps'], ['show']];

export async function benchWarmCli(
  cli: string,
  dir: string,
  storeFile: string,
  samples: number,
  log: (message: string) => void,
): Promise<WarmResult> {
  const lineage = (args: readonly string[]) => runChild(process.execPath, [cli, '--repo', dir, '--store', storeFile, ...args]);
  const node = () => runChild(process.execPath, ['-e', '0']);
  // The first run indexes; one after the racy window records what it read; from then on a
  // command finds the index current.
  for (const args of WARM_COMMANDS) {
    const r = await lineage(args);
    if (r.code !== 0) throw new Error(`lineage ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await lineage(['index', '--quiet']);
  const rows: WarmRow[] = [];
  const allNode: number[] = [];
  for (const args of WARM_COMMANDS) {
    await lineage(args);
    await node();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < samples; i++) {
      a.push((await lineage(args)).ms);
      b.push((await node()).ms);
    }
    allNode.push(...b);
    const row: WarmRow = {
      command: args.join(' '),
      ms: median(a),
      nodeMs: median(b),
      ratio: median(a.map((x, i) => x / b[i])),
      samples: a,
    };
    rows.push(row);
    log(`warm ${row.command}: ${row.ms.toFixed(1)} ms, node -e 0 ${row.nodeMs.toFixed(1)} ms, ${row.ratio.toFixed(2)}x`);
  }
  return { samples, nodeMs: median(allNode), rows };
}
