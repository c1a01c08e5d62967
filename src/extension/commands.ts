/** Command ids, one typed table; test/unit/manifest.test.ts checks it against package.json. */
export const COMMANDS = {
  refreshIndex: 'lineage.refreshIndex',
  rebuildIndex: 'lineage.rebuildIndex',
  compareRevisions: 'lineage.compareRevisions',
  compareWith: 'lineage.compareWith',
  compareWithBaseline: 'lineage.compareWithBaseline',
  showMetricsAtRevision: 'lineage.showMetricsAtRevision',
  setBaselineBranch: 'lineage.setBaselineBranch',
  toggleInlineDiffs: 'lineage.toggleInlineDiffs',
  openMetricsFileAtRevision: 'lineage.openMetricsFileAtRevision',
  diffMetricsFileWithBaseline: 'lineage.diffMetricsFileWithBaseline',
  copyDiffAsMarkdown: 'lineage.copyDiffAsMarkdown',
  copySha: 'lineage.copySha',
  checkout: 'lineage.checkout',
  showMoreCommits: 'lineage.showMoreCommits',
  openDemoRepository: 'lineage.openDemoRepository',
  openWalkthrough: 'lineage.openWalkthrough',
  showMetricHistory: 'lineage.showMetricHistory',
  showPlots: 'lineage.showPlots',
  reproduceStage: 'lineage.reproduceStage',
  reproduceDownstream: 'lineage.reproduceDownstream',
  reproducePipeline: 'lineage.reproducePipeline',
  showStageStatus: 'lineage.showStageStatus',
  showPipelineDag: 'lineage.showPipelineDag',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
