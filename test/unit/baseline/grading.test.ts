import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { Grade, defaultTargets, gradeMetric, gradeOverall, resolveTargets } from '../../../src/baseline/grading';
import type { MetricSummary } from '../../../src/baseline/types';
import { Metric } from '../../../src/baseline/types';

/** A summary of an apiRoundTrip metric where only p95, n and failures matter to grading. */
function summary(p95: number, n = 20, failures = 0): MetricSummary {
  return {
    metric: Metric.ApiRoundTrip,
    unit: 'ms',
    n,
    failures,
    successRate: n + failures === 0 ? 0 : n / (n + failures),
    mean: p95,
    median: p95,
    p50: p95,
    p90: p95,
    p95,
    p99: p95,
    stddev: 0,
    mad: 0,
    min: p95,
    max: p95,
  };
}

describe('gradeMetric', () => {
  it('grades exactly 0.8×, 1.0× and 1.2× the target as Excellent, Good and Acceptable', () => {
    // target 500 ms: 0.8× = 400, 1.0× = 500, 1.2× = 600; bounds are inclusive
    assert.equal(gradeMetric(summary(400), 500).grade, Grade.Excellent);
    assert.equal(gradeMetric(summary(500), 500).grade, Grade.Good);
    assert.equal(gradeMetric(summary(600), 500).grade, Grade.Acceptable);
    // target 30 s: 24 s, 30 s, 36 s
    assert.equal(gradeMetric(summary(24_000), 30_000).grade, Grade.Excellent);
    assert.equal(gradeMetric(summary(30_000), 30_000).grade, Grade.Good);
    assert.equal(gradeMetric(summary(36_000), 30_000).grade, Grade.Acceptable);
  });

  it('drops a grade just past each boundary', () => {
    assert.equal(gradeMetric(summary(400.1), 500).grade, Grade.Good);
    assert.equal(gradeMetric(summary(500.1), 500).grade, Grade.Acceptable);
    assert.equal(gradeMetric(summary(600.1), 500).grade, Grade.Poor);
  });

  it('reports the target and the p95 / target ratio', () => {
    const grade = gradeMetric(summary(250), 500);
    assert.equal(grade.metric, Metric.ApiRoundTrip);
    assert.equal(grade.p95, 250);
    assert.equal(grade.target, 500);
    assert.equal(grade.ratio, 0.5);
    assert.match(grade.reason, /p95 250 ms is 0\.50× the 500 ms target/);
  });

  it('caps a fast metric at Acceptable when any attempt failed', () => {
    // 19 of 20 succeeded (95 %); p95 at 0.5× would be Excellent
    const grade = gradeMetric(summary(250, 19, 1), 500);
    assert.equal(grade.grade, Grade.Acceptable);
    assert.match(grade.reason, /1 of 20 attempts failed: capped at Acceptable/);
    // exactly 80 % success (8 of 10) is still only capped
    assert.equal(gradeMetric(summary(250, 8, 2), 500).grade, Grade.Acceptable);
  });

  it('grades a metric Poor below 80% success whatever its latency', () => {
    // 7 of 10 = 70 %
    assert.equal(gradeMetric(summary(250, 7, 3), 500).grade, Grade.Poor);
    assert.equal(gradeMetric(summary(250, 7, 3), undefined).grade, Grade.Poor);
  });

  it('does not lift a slow metric that also had failures', () => {
    assert.equal(gradeMetric(summary(700, 19, 1), 500).grade, Grade.Poor);
  });

  it('grades on success rate alone without a target, Good at best', () => {
    const allGood = gradeMetric(summary(1), undefined);
    assert.equal(allGood.grade, Grade.Good);
    assert.equal('target' in allGood, false);
    assert.equal('ratio' in allGood, false);
    assert.equal(gradeMetric(summary(1, 9, 1), undefined).grade, Grade.Acceptable);
  });

  it('grades a metric without successful samples Poor', () => {
    const grade = gradeMetric(summary(0, 0, 5), 500);
    assert.equal(grade.grade, Grade.Poor);
    assert.equal(grade.reason, 'no successful samples');
    assert.equal(gradeMetric(summary(0, 0, 0), undefined).grade, Grade.Poor);
  });

  it('refuses a target that is not a positive number', () => {
    assert.throws(() => gradeMetric(summary(1), 0), RangeError);
    assert.throws(() => gradeMetric(summary(1), Number.NaN), RangeError);
  });
});

describe('gradeOverall', () => {
  it('is the worst metric grade', () => {
    assert.equal(gradeOverall([Grade.Excellent, Grade.Acceptable, Grade.Good]), Grade.Acceptable);
    assert.equal(gradeOverall([Grade.Excellent, Grade.Excellent]), Grade.Excellent);
    assert.equal(gradeOverall([Grade.Good, Grade.Poor, Grade.Excellent]), Grade.Poor);
  });

  it('accepts metric grades as returned by gradeMetric', () => {
    const grades = [gradeMetric(summary(100), 500), gradeMetric(summary(450), 500)];
    assert.equal(gradeOverall(grades), Grade.Good);
  });

  it('grades a run that measured nothing Poor', () => {
    assert.equal(gradeOverall([]), Grade.Poor);
  });
});

describe('resolveTargets', () => {
  it('uses the defaults without scenario targets', () => {
    assert.deepEqual(resolveTargets(undefined), {
      podReady: 30_000,
      scaleOut: 30_000,
      rollingRestart: 60_000,
      apiRoundTrip: 500,
    });
  });

  it('overrides only the targets the scenario sets', () => {
    const targets = resolveTargets({ podReadyP95: 10_000, apiRoundTripP95: undefined });
    assert.deepEqual(targets, { podReady: 10_000, scaleOut: 30_000, rollingRestart: 60_000, apiRoundTrip: 500 });
    assert.equal(defaultTargets.podReady, 30_000);
  });

  it('refuses a non-positive scenario target, naming its key', () => {
    assert.throws(() => resolveTargets({ scaleOutP95: 0 }), { name: 'RangeError', message: /targets\.scaleOutP95/ });
  });
});
