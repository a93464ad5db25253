/**
 * Grades a run's metrics against p95 targets. Plain data and arithmetic only (no simple-statistics), so the
 * `Grade` values can be imported anywhere, workflow code included.
 */
import { formatMs } from './format';
import type { Metric, MetricSummary } from './types';

export const Grade = {
  Excellent: 'Excellent',
  Good: 'Good',
  Acceptable: 'Acceptable',
  Poor: 'Poor',
} as const;
export type Grade = (typeof Grade)[keyof typeof Grade];

/** Best first: the index is the rank used to find the worse of two grades. */
const gradesBestFirst: readonly Grade[] = [Grade.Excellent, Grade.Good, Grade.Acceptable, Grade.Poor];

/** Upper bounds of p95 / target for each grade; inclusive, so exactly 0.8× the target is still Excellent. */
const excellentMaxRatio = 0.8;
const goodMaxRatio = 1;
const acceptableMaxRatio = 1.2;
/** Below this success rate a metric is Poor whatever its latency: one attempt in five failed. */
const poorBelowSuccessRate = 0.8;

export interface MetricGrade {
  metric: Metric;
  grade: Grade;
  p95: number;
  /** The p95 target in ms; absent when the metric had none. */
  target?: number;
  /** p95 / target; absent without a target. */
  ratio?: number;
  /** One sentence saying why, for reports and the AI evidence. */
  reason: string;
}

/** Scenario p95 targets in ms, keyed `<metric>P95`, as a scenario file spells them. */
export type ScenarioTargets = { [M in Metric as `${M}P95`]?: number | undefined };

/**
 * p95 targets in ms for a healthy small cluster with images already cached: a pod is Ready within 30 s, so is
 * a scale-out; a rolling restart replaces every replica within 60 s; a GET of a namespace answers within
 * 500 ms even through a tunnel.
 */
export const defaultTargets: Readonly<Record<Metric, number>> = Object.freeze({
  podReady: 30_000,
  scaleOut: 30_000,
  rollingRestart: 60_000,
  apiRoundTrip: 500,
});

/**
 * The p95 target of every metric: the scenario's value where it sets one, otherwise {@link defaultTargets}.
 * @throws RangeError when a scenario target is not a positive, finite number of milliseconds
 */
export function resolveTargets(scenarioTargets: ScenarioTargets | undefined): Record<Metric, number> {
  const targets = { ...defaultTargets };
  for (const metric of Object.keys(defaultTargets) as Metric[]) {
    const key = `${metric}P95` as const;
    const target = scenarioTargets?.[key];
    if (target !== undefined) {
      assertValidTarget(target, `targets.${key}`);
      targets[metric] = target;
    }
  }
  return targets;
}

/**
 * Grades one metric.
 *
 * 1. No successful samples (n = 0): Poor, "no successful samples". Nothing was measured, nothing is proven.
 * 2. Latency, from r = p95 / target: r ≤ 0.8 Excellent, r ≤ 1.0 Good, r ≤ 1.2 Acceptable, otherwise Poor.
 *    Bounds are inclusive; comparing the ratio (not p95 with 1.2 × target) keeps them exact in floating
 *    point. Without a target the latency says nothing and the metric starts at Good: Excellent needs a
 *    yardstick to beat.
 * 3. Success rate caps the latency grade: any failed attempt (rate < 1) caps it at Acceptable, a rate below
 *    0.8 makes it Poor. Fast answers do not excuse lost ones.
 *
 * @param targetMs - the p95 target in ms, or undefined for none
 * @throws RangeError when `targetMs` is not a positive, finite number
 */
export function gradeMetric(summary: MetricSummary, targetMs: number | undefined): MetricGrade {
  const { metric, p95, n, failures, successRate } = summary;
  if (targetMs !== undefined) {
    assertValidTarget(targetMs, `${metric} target`);
  }
  const ratio = targetMs === undefined ? undefined : p95 / targetMs;
  const result = (grade: Grade, reason: string): MetricGrade =>
    targetMs === undefined || ratio === undefined
      ? { metric, grade, p95, reason }
      : { metric, grade, p95, target: targetMs, ratio, reason };

  if (n === 0) {
    return result(Grade.Poor, 'no successful samples');
  }

  const reasons: string[] = [];
  let grade: Grade;
  if (targetMs === undefined || ratio === undefined) {
    grade = Grade.Good;
    reasons.push(`p95 ${formatMs(p95)} with no target: graded on success rate only`);
  } else {
    grade = latencyGrade(ratio);
    reasons.push(`p95 ${formatMs(p95)} is ${ratio.toFixed(2)}× the ${formatMs(targetMs)} target`);
  }

  if (successRate < 1) {
    const failed = `${failures} of ${n + failures} attempts failed`;
    const cap = successRate < poorBelowSuccessRate ? Grade.Poor : Grade.Acceptable;
    if (rank(cap) > rank(grade)) {
      grade = cap;
      reasons.push(cap === Grade.Poor ? `${failed}, under 80% success: Poor` : `${failed}: capped at Acceptable`);
    } else {
      reasons.push(failed);
    }
  }

  return result(grade, reasons.join('; '));
}

/**
 * The grade of a whole run: its worst metric grade, because one Poor metric is enough to doubt a cluster and
 * averaging would hide it. An empty list is Poor: a run that measured nothing has proven nothing.
 * Accepts grades or {@link MetricGrade}s.
 */
export function gradeOverall(grades: readonly (Grade | Pick<MetricGrade, 'grade'>)[]): Grade {
  if (grades.length === 0) {
    return Grade.Poor;
  }
  return grades
    .map((entry) => (typeof entry === 'string' ? entry : entry.grade))
    .reduce((worst, grade) => (rank(grade) > rank(worst) ? grade : worst), Grade.Excellent);
}

function latencyGrade(ratio: number): Grade {
  if (ratio <= excellentMaxRatio) return Grade.Excellent;
  if (ratio <= goodMaxRatio) return Grade.Good;
  if (ratio <= acceptableMaxRatio) return Grade.Acceptable;
  return Grade.Poor;
}

function rank(grade: Grade): number {
  return gradesBestFirst.indexOf(grade);
}

function assertValidTarget(target: number, where: string): void {
  if (!Number.isFinite(target) || target <= 0) {
    throw new RangeError(`${where} is ${String(target)}: a p95 target must be a positive number of milliseconds`);
  }
}
