/**
 * Regression detection for figures a run measures once: the cluster checks' SLI p99s, the alert delivery time.
 * One value per run cannot be rank-tested against a handful of earlier values (with n = 1 the Mann-Whitney
 * p-value never drops below 2 / (runs + 1)), so each is compared with the run-to-run spread of its history
 * instead: a robust z-score on the median and the median absolute deviation, with relative and absolute floors
 * below which a change is noise. Pure.
 */
import { formatMs, formatPercent } from './format';
import { RegressionOutcome } from './regression';
import { median } from './statistics';

/** Earlier runs a per-run figure needs before it is judged: a spread from fewer is a guess. */
export const MIN_SERIES_RUNS = 5;

export interface SeriesOptions {
  /** Robust z-score (in MADs scaled to σ) beyond which a change counts. Default 3. */
  maxZ?: number;
  /** Smallest relative change of the value that counts. Default 0.25. */
  minEffect?: number;
  /** Smallest absolute change in ms that counts. Default 0. */
  minAbsoluteMs?: number;
  /** Earlier runs needed. Default MIN_SERIES_RUNS. */
  minRuns?: number;
}

export interface SeriesComparison {
  /** The check metric's name, e.g. `apiMutatingP99`, `alertDeliveryMs`. */
  name: string;
  outcome: RegressionOutcome;
  current: number;
  historyMedian?: number;
  historyRuns: number;
  /** (current − median) / (1.4826 × MAD); absent without history or when the history has no spread. */
  z?: number;
  reason: string;
}

/** 1.4826 × MAD estimates σ for normally distributed values. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Compares one per-run value (lower is better: all are latencies) with the same figure of earlier runs:
 * - insufficient-history: fewer than `minRuns` earlier values;
 * - regressed: current − median > max(maxZ × σ̂, minEffect × median, minAbsoluteMs), σ̂ = 1.4826 × MAD;
 * - improved: the mirror image;
 * - unchanged: otherwise. A history without spread (MAD 0) relies on the two floors alone.
 */
export function compareSeries(
  name: string,
  current: number,
  history: readonly number[],
  options: SeriesOptions = {},
): SeriesComparison {
  const maxZ = options.maxZ ?? 3;
  const minEffect = options.minEffect ?? 0.25;
  const minAbsoluteMs = options.minAbsoluteMs ?? 0;
  const minRuns = options.minRuns ?? MIN_SERIES_RUNS;
  if (!Number.isFinite(current) || current < 0) throw new RangeError(`${name} is ${current}: not a latency in ms`);
  const values = history.filter((v) => Number.isFinite(v) && v >= 0);
  if (values.length < minRuns) {
    return {
      name,
      outcome: RegressionOutcome.InsufficientHistory,
      current,
      historyRuns: values.length,
      reason: `${values.length} earlier run${values.length === 1 ? '' : 's'} with ${name}; at least ${minRuns} needed`,
    };
  }
  const m = median(values);
  const sigma = MAD_TO_SIGMA * median(values.map((v) => Math.abs(v - m)));
  const delta = current - m;
  const bound = Math.max(maxZ * sigma, minEffect * m, minAbsoluteMs);
  const outcome =
    delta > bound
      ? RegressionOutcome.Regressed
      : -delta > bound
        ? RegressionOutcome.Improved
        : RegressionOutcome.Unchanged;
  const z = sigma > 0 ? delta / sigma : undefined;
  const change = m > 0 ? ` (${delta >= 0 ? '+' : ''}${formatPercent(delta / m)})` : '';
  const reason =
    `${formatMs(current)} vs median ${formatMs(m)} of ${values.length} earlier runs${change}; ` +
    `counts beyond ±${formatMs(bound)} (max of ${maxZ}σ̂ = ${formatMs(maxZ * sigma)}, ` +
    `${formatPercent(minEffect)}, ${formatMs(minAbsoluteMs)})`;
  return {
    name,
    outcome,
    current,
    historyMedian: m,
    historyRuns: values.length,
    ...(z === undefined ? {} : { z }),
    reason,
  };
}
