/**
 * From a run's raw samples to its baseline result: summaries, grades against targets, and the regression test
 * against history. Pure; the analyzeBaseline activity only calls it, so a change here never changes workflow code.
 */
import type { BaselineResult } from '../run/contracts';
import type { Targets } from '../scenarios/schema';
import { gradeMetric, gradeOverall, resolveTargets } from './grading';
import { compareWithHistory } from './regression';
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

export function analyzeSamples(
  samples: readonly MetricSamples[],
  targets: Targets,
  history: Readonly<Record<string, number[][]>>,
): BaselineResult {
  const resolved = resolveTargets(targets);
  const summaries = samples.map(summarize);
  const grades = summaries.map((s) => gradeMetric(s, resolved[s.metric]));
  const regressions = samples.map((s) =>
    compareWithHistory(s, history[s.metric] ?? [], { minAbsoluteMs: noiseFloorMs[s.metric] }),
  );
  return {
    summaries,
    grades,
    overall: gradeOverall(grades.map((g) => g.grade)),
    regressions,
    regressed: regressions.some((r) => r.outcome === 'regressed'),
  };
}
