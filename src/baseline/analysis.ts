/**
 * From a run's raw samples to its baseline result: summaries, grades against targets, and the regression tests
 * against history (sampled metrics by rank test, per-run check figures by their run-to-run spread). Pure; the
 * analyzeBaseline activity only calls it, so a change here never changes workflow code.
 */
import type { BaselineResult } from '../run/contracts';
import type { Targets } from '../scenarios/schema';
import { gradeMetric, gradeOverall, resolveTargets } from './grading';
import { RegressionOutcome, compareWithHistory } from './regression';
import { MIN_SERIES_RUNS, compareSeries } from './series';
import { summarize } from './statistics';
import type { Metric, MetricSamples } from './types';

/**
 * Median changes smaller than these are noise, whatever the test says: API round trips on loopback move by
 * milliseconds with machine load, and pod timings by a controller resync or two.
 */
export const noiseFloorMs: Record<Metric, number> = {
  podReady: 100,
  scaleOut: 100,
  rollingRestart: 200,
  apiRoundTrip: 5,
};

/**
 * The same for the per-run figures of the checks. A p99 of a burst of forty calls moves by tens of milliseconds
 * with load; the alert pipeline's delivery moves by a scrape plus a rule evaluation interval.
 */
export const seriesNoiseFloorMs: Record<string, number> = {
  apiMutatingP99: 50,
  apiReadP99: 50,
  apiListP99: 50,
  podStartupP99: 500,
  alertDeliveryMs: 10_000,
};
const DEFAULT_SERIES_FLOOR_MS = 100;

/**
 * Earlier runs (same cluster fingerprint) needed before judging: one run's samples already give the rank test
 * two samples sets to compare; a per-run figure needs a spread of several runs.
 */
export const MIN_HISTORY_RUNS = { sampled: 1, perRun: MIN_SERIES_RUNS } as const;

/** Per-run check figures (name → ms) of this run and of the comparable earlier runs (oldest first). */
export interface SeriesInput {
  current: Record<string, number>;
  history: Record<string, number[]>;
}

export function analyzeSamples(
  samples: readonly MetricSamples[],
  targets: Targets,
  history: Readonly<Record<string, number[][]>>,
  series: SeriesInput = { current: {}, history: {} },
): BaselineResult {
  const resolved = resolveTargets(targets);
  const summaries = samples.map(summarize);
  const grades = summaries.map((s) => gradeMetric(s, resolved[s.metric]));
  const regressions = samples.map((s) =>
    compareWithHistory(s, history[s.metric] ?? [], {
      minAbsoluteMs: noiseFloorMs[s.metric],
      minHistoryRuns: MIN_HISTORY_RUNS.sampled,
    }),
  );
  const perRun = Object.entries(series.current).map(([name, value]) =>
    compareSeries(name, value, series.history[name] ?? [], {
      minAbsoluteMs: seriesNoiseFloorMs[name] ?? DEFAULT_SERIES_FLOOR_MS,
      minRuns: MIN_HISTORY_RUNS.perRun,
    }),
  );
  return {
    summaries,
    grades,
    overall: gradeOverall(grades.map((g) => g.grade)),
    regressions,
    series: perRun,
    regressed: [...regressions, ...perRun].some((r) => r.outcome === RegressionOutcome.Regressed),
  };
}
