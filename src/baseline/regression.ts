import { formatMs, formatPercent } from './format';
import { mannWhitneyU } from './mann-whitney';
import { assertValidSamples } from './samples';
import { median } from './statistics';
import type { Metric, MetricSamples } from './types';

export const RegressionOutcome = {
  Improved: 'improved',
  Unchanged: 'unchanged',
  Regressed: 'regressed',
  /** Too few earlier runs with samples, or no samples in this run: nothing to compare. */
  InsufficientHistory: 'insufficient-history',
} as const;
export type RegressionOutcome = (typeof RegressionOutcome)[keyof typeof RegressionOutcome];

export interface RegressionOptions {
  /** Smallest relative change of the median that counts, as a fraction: 0.15 = 15 %. Default 0.15. */
  minEffect?: number | undefined;
  /** Significance level of the two-sided test. Default 0.05. */
  alpha?: number | undefined;
  /** Earlier runs with at least one sample needed before comparing. Default 1. */
  minHistoryRuns?: number | undefined;
  /**
   * Smallest absolute change of the median that counts, in ms. Default 0. Sub-millisecond API round trips
   * move by 20 % with machine load alone; a floor keeps that noise from paging anyone.
   */
  minAbsoluteMs?: number | undefined;
}

export interface RegressionResult {
  metric: Metric;
  outcome: RegressionOutcome;
  /** Two-sided Mann-Whitney U p-value; absent when there was nothing to compare. */
  pValue?: number;
  /**
   * Relative change of the median, (current − history) / history; +0.2 = 20 % slower. Absent when there was
   * nothing to compare, or when the history median is 0 and the current one is not (an infinite change).
   */
  effect?: number;
  /** Median of this run's samples in ms; 0 when it has none. */
  currentMedian: number;
  /** Median of the pooled history samples in ms; absent without history samples. */
  historyMedian?: number;
  /** Number of pooled history samples. */
  historyN: number;
  /** Number of earlier runs that contributed samples. */
  historyRuns: number;
  reason: string;
}

const defaults = { minEffect: 0.15, alpha: 0.05, minHistoryRuns: 1 };

/**
 * Compares one metric of this run with the same metric in earlier runs. Lower is better: every metric is a
 * latency.
 *
 * The samples of all earlier runs are pooled and tested against this run's samples with a two-sided
 * Mann-Whitney U test ({@link mannWhitneyU}: exact permutation p-value for small samples, ties included;
 * tie- and continuity-corrected normal approximation for large ones). Then, with effect = relative change
 * of the median:
 * - regressed: p < alpha and effect ≥ minEffect (slower by at least minEffect)
 * - improved: p < alpha and effect ≤ −minEffect
 * - unchanged: otherwise. A significant change smaller than minEffect is noise that does not matter; a large
 *   change without significance is noise that cannot be told apart. Identical samples give p = 1.
 * - insufficient-history: fewer than `minHistoryRuns` earlier runs with samples, or no samples in this run.
 *
 * A history median of 0 with a current median above 0 is an infinite relative change: regressed when
 * significant, with `effect` left out (JSON has no Infinity).
 *
 * Failed attempts are not part of this test; grading accounts for them.
 *
 * @param history - samples of earlier runs, oldest first; runs without samples are ignored
 * @throws RangeError for invalid samples or options
 */
export function compareWithHistory(
  current: MetricSamples,
  history: readonly (readonly number[])[],
  options: RegressionOptions = {},
): RegressionResult {
  const { metric, samples } = current;
  const minEffect = options.minEffect ?? defaults.minEffect;
  const alpha = options.alpha ?? defaults.alpha;
  const minHistoryRuns = options.minHistoryRuns ?? defaults.minHistoryRuns;
  assertValidOptions(minEffect, alpha, minHistoryRuns);
  assertValidSamples(samples, `${metric} samples`);
  history.forEach((run, index) => assertValidSamples(run, `${metric} history run ${index}`));

  const usableRuns = history.filter((run) => run.length > 0);
  const pooled = usableRuns.flat();
  const historyN = pooled.length;
  const historyRuns = usableRuns.length;
  const currentMedian = samples.length === 0 ? 0 : median(samples);
  const base = { metric, currentMedian, historyN, historyRuns };
  const historyMedian = historyN === 0 ? undefined : median(pooled);
  const withHistoryMedian = historyMedian === undefined ? base : { ...base, historyMedian };

  if (samples.length === 0) {
    return {
      ...withHistoryMedian,
      outcome: RegressionOutcome.InsufficientHistory,
      reason: 'no successful samples in this run to compare',
    };
  }
  if (historyMedian === undefined || historyRuns < minHistoryRuns) {
    return {
      ...withHistoryMedian,
      outcome: RegressionOutcome.InsufficientHistory,
      reason: `${plural(historyRuns, 'earlier run')} with samples; at least ${minHistoryRuns} needed`,
    };
  }

  const test = mannWhitneyU(samples, pooled);
  const pValue = test.pValue;
  const effect = relativeChange(currentMedian, historyMedian);
  const change = effect ?? Number.POSITIVE_INFINITY;
  const significant = pValue < alpha;
  const large = Math.abs(currentMedian - historyMedian) >= (options.minAbsoluteMs ?? 0);
  const outcome = !large
    ? RegressionOutcome.Unchanged
    : significant && change > 0 && change >= minEffect
      ? RegressionOutcome.Regressed
      : significant && change < 0 && change <= -minEffect
        ? RegressionOutcome.Improved
        : RegressionOutcome.Unchanged;

  const medians =
    `median ${formatMs(currentMedian)} vs ${formatMs(historyMedian)} over ${plural(historyRuns, 'earlier run')} ` +
    `(${formatChange(change)})`;
  const testText = `Mann-Whitney U p = ${formatP(pValue)} (${test.method}, n = ${samples.length} vs ${historyN})`;
  const verdict =
    outcome !== RegressionOutcome.Unchanged
      ? `p < ${alpha} and |change| ≥ ${formatPercent(minEffect)}`
      : significant && !large
        ? `significant but under the ${formatMs(options.minAbsoluteMs ?? 0)} minimum absolute change`
        : significant
          ? `significant but under the ${formatPercent(minEffect)} minimum change`
          : `not significant at ${alpha}`;
  const result = { ...withHistoryMedian, outcome, pValue, reason: `${medians}; ${testText}; ${verdict}` };
  return effect === undefined ? result : { ...result, effect };
}

/** The metrics that regressed and those that improved, in the order given. */
export function summarizeRegressions(results: readonly Pick<RegressionResult, 'metric' | 'outcome'>[]): {
  regressed: Metric[];
  improved: Metric[];
} {
  return {
    regressed: results.filter((r) => r.outcome === RegressionOutcome.Regressed).map((r) => r.metric),
    improved: results.filter((r) => r.outcome === RegressionOutcome.Improved).map((r) => r.metric),
  };
}

/** (current − reference) / reference; undefined for an infinite change (reference 0, current above 0). */
function relativeChange(current: number, reference: number): number | undefined {
  if (reference === 0) {
    return current === 0 ? 0 : undefined;
  }
  return (current - reference) / reference;
}

function assertValidOptions(minEffect: number, alpha: number, minHistoryRuns: number): void {
  if (!(Number.isFinite(minEffect) && minEffect >= 0)) {
    throw new RangeError(`minEffect is ${String(minEffect)}: it must be a fraction ≥ 0 (0.15 = 15 %)`);
  }
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`alpha is ${String(alpha)}: it must be between 0 and 1 (e.g. 0.05)`);
  }
  if (!(Number.isInteger(minHistoryRuns) && minHistoryRuns >= 1)) {
    throw new RangeError(`minHistoryRuns is ${String(minHistoryRuns)}: it must be an integer ≥ 1`);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function formatChange(change: number): string {
  if (!Number.isFinite(change)) return '+∞%';
  return `${change > 0 ? '+' : ''}${formatPercent(change)}`;
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Math.round(p * 1000) / 1000);
}
