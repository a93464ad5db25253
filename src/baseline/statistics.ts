import * as ss from 'simple-statistics';

import { assertValidFailures, assertValidSamples } from './samples';
import type { MetricSamples, MetricSummary } from './types';

/**
 * The `percent` quantile of samples sorted ascending, by linear interpolation between the closest ranks
 * (Hyndman & Fan type 7: the default of R's `quantile`, NumPy's `percentile`, Excel's `PERCENTILE.INC`).
 * The quantile sits at 0-based position h = (n − 1) · percent / 100, between `sorted[⌊h⌋]` and `sorted[⌈h⌉]`.
 *
 * Why this method and not `ss.quantileSorted`: that one returns a single sample except at exact ranks, so with
 * the small n of a validation run (5 pods, 10 scale-outs) p90, p95 and p99 all collapse onto the maximum and
 * jump by whole samples. Type 7 moves smoothly, never leaves [min, max] (p99 of 5 samples is just below the
 * maximum), gives the sample itself for n = 1 and the usual median (mean of the middle two) for even n.
 *
 * The position is computed as an integer product before dividing, so integer percents give correctly rounded
 * results (p95 of [1, 2, 3, 4, 5] is exactly 4.8, not 4.799999…).
 *
 * @param sorted - at least one sample, ascending
 * @param percent - 0..100
 */
export function percentile(sorted: readonly number[], percent: number): number {
  const n = sorted.length;
  if (n === 0) {
    throw new RangeError('the quantile of no samples is undefined');
  }
  if (!(percent >= 0 && percent <= 100)) {
    throw new RangeError(`percent is ${String(percent)}: it must be within 0..100`);
  }
  const scaledPosition = (n - 1) * percent; // the 0-based position × 100
  const lower = Math.floor(scaledPosition / 100);
  const fraction = (scaledPosition - lower * 100) / 100;
  const low = sampleAt(sorted, lower);
  if (fraction === 0) {
    return low;
  }
  const high = sampleAt(sorted, lower + 1);
  return low + fraction * (high - low);
}

/** The median (type 7 at 50 %: the middle sample, or the mean of the middle two). Samples need not be sorted. */
export function median(samples: readonly number[]): number {
  return percentile(
    samples.toSorted((a, b) => a - b),
    50,
  );
}

/**
 * Descriptive statistics of one metric from one run.
 *
 * - `successRate` = n / (n + failures). With no attempts at all it is 0: nothing succeeded, and a rate of 1
 *   would read as "perfect" to anything downstream.
 * - With no samples (n = 0) every statistic is 0. That is the contract: `n` is the field that says whether
 *   the numbers mean anything (grading turns n = 0 into Poor), and zeros keep the summary NaN-free so it
 *   survives JSON (Temporal payloads, reports).
 * - Quantiles (`median` = `p50`, `p90`, `p95`, `p99`) use {@link percentile} (linear interpolation, type 7).
 * - `stddev` is the sample standard deviation (n − 1 denominator, square-rooted); 0 for n < 2.
 * - `mad` is the raw median absolute deviation, median(|xᵢ − median|), not scaled by 1.4826.
 * - Values are not rounded: presentation rounds, statistics do not.
 *
 * When every sample is equal, mean is that value and stddev and MAD are exactly 0 (summation would
 * otherwise leave floating-point dust such as 1e-17).
 *
 * @throws RangeError when a sample is not a finite, non-negative number or `failures` is not a
 *   non-negative integer (a measurement bug, not a property of the cluster).
 */
export function summarize(input: MetricSamples): MetricSummary {
  const { metric, samples, failures } = input;
  assertValidSamples(samples, `${metric} samples`);
  assertValidFailures(failures, `${metric} failures`);

  const n = samples.length;
  const attempts = n + failures;
  const successRate = attempts === 0 ? 0 : n / attempts;
  if (n === 0) {
    return {
      metric,
      unit: 'ms',
      n,
      failures,
      successRate,
      mean: 0,
      median: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      stddev: 0,
      mad: 0,
      min: 0,
      max: 0,
    };
  }

  const sorted = samples.toSorted((a, b) => a - b);
  const min = sampleAt(sorted, 0);
  const max = sampleAt(sorted, n - 1);
  const constant = min === max;
  const p50 = percentile(sorted, 50);
  return {
    metric,
    unit: 'ms',
    n,
    failures,
    successRate,
    mean: constant ? min : clamp(ss.mean(sorted), min, max),
    median: p50,
    p50,
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    stddev: constant || n < 2 ? 0 : ss.sampleStandardDeviation(sorted),
    mad: constant ? 0 : ss.medianAbsoluteDeviation(sorted),
    min,
    max,
  };
}

function sampleAt(sorted: readonly number[], index: number): number {
  const value = sorted[index];
  if (value === undefined) {
    throw new RangeError(`no sample at index ${index} of ${sorted.length}`);
  }
  return value;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
