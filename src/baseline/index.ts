/**
 * Baseline statistics, grading and regression testing: pure functions over measured samples.
 * Workflow code must not import this index (it pulls in simple-statistics); it may `import type` from here,
 * or import values from './grading', which has no dependencies.
 */
export * from './types';
export { summarize, percentile, median } from './statistics';
export { Grade, defaultTargets, resolveTargets, gradeMetric, gradeOverall } from './grading';
export type { MetricGrade, ScenarioTargets } from './grading';
export { MannWhitneyMethod, exactLimit, mannWhitneyU } from './mann-whitney';
export type { MannWhitneyResult } from './mann-whitney';
export { RegressionOutcome, compareWithHistory, summarizeRegressions } from './regression';
export type { RegressionOptions, RegressionResult } from './regression';
