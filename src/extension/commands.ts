/** Command ids, one typed table; test/unit/manifest.test.ts checks it against package.json. */
export const COMMANDS = {
  refreshIndex: 'lineage.refreshIndex',
  rebuildIndex: 'lineage.rebuildIndex',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
