import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { median, percentile, summarize } from '../../../src/baseline/statistics';
import { Metric } from '../../../src/baseline/types';

function near(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

function summarizeSamples(samples: number[], failures = 0) {
  return summarize({ metric: Metric.PodReady, samples, failures });
}

describe('summarize', () => {
  it('takes the mean of the two middle samples as the median of an even count', () => {
    // sorted [1, 2, 3, 4]: middle two are 2 and 3 → 2.5
    const summary = summarizeSamples([4, 1, 3, 2]);
    assert.equal(summary.median, 2.5);
    assert.equal(summary.p50, 2.5);
    assert.equal(summary.mean, 2.5);
    assert.equal(summary.min, 1);
    assert.equal(summary.max, 4);
  });

  it('gives the single sample for every quantile when there is one sample', () => {
    const summary = summarizeSamples([42]);
    for (const value of [summary.median, summary.p50, summary.p90, summary.p95, summary.p99, summary.mean]) {
      assert.equal(value, 42);
    }
    assert.equal(summary.stddev, 0); // undefined for n < 2: reported as 0
    assert.equal(summary.mad, 0);
    assert.equal(summary.n, 1);
    assert.equal(summary.successRate, 1);
  });

  it('interpolates linearly between two samples', () => {
    // type 7: position h = (n − 1)·p = p, value 10 + p·(20 − 10)
    const summary = summarizeSamples([20, 10]);
    near(summary.p50, 15);
    near(summary.p90, 19);
    near(summary.p95, 19.5);
    near(summary.p99, 19.9);
    // sample sd = √(((10 − 15)² + (20 − 15)²) / (2 − 1)) = √50 = 7.0711
    near(summary.stddev, Math.sqrt(50));
    // |deviations from 15| = [5, 5] → 5
    assert.equal(summary.mad, 5);
  });

  it('keeps the high quantiles of five samples between the two largest samples', () => {
    // sorted [1, 2, 3, 4, 5]; h = 4·p: p90 → 3.6 → 4.6, p95 → 3.8 → 4.8, p99 → 3.96 → 4.96
    const summary = summarizeSamples([5, 3, 1, 4, 2]);
    assert.equal(summary.p50, 3);
    assert.equal(summary.p90, 4.6);
    assert.equal(summary.p95, 4.8);
    assert.equal(summary.p99, 4.96);
    assert.ok(summary.p99 <= summary.max);
    // mean 3; squared deviations 4 + 1 + 0 + 1 + 4 = 10; sample sd = √(10 / 4) = 1.5811
    near(summary.stddev, Math.sqrt(2.5));
    // |deviations from 3| = [2, 1, 0, 1, 2] → median 1
    assert.equal(summary.mad, 1);
  });

  it('reports the sample standard deviation as a square root with n − 1 in the denominator', () => {
    // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; variance 32/7 = 4.5714; sd = √4.5714 = 2.13809
    // (the population sd would be √(32/8) = 2, the variance 4.57)
    const summary = summarizeSamples([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(summary.mean, 5);
    near(summary.stddev, 2.13809, 1e-5);
    // median (4 + 5)/2 = 4.5; |deviations| = 2.5 .5 .5 .5 .5 .5 2.5 4.5 → sorted middle two .5 and .5 → 0.5
    assert.equal(summary.mad, 0.5);
  });

  it('keeps the median absolute deviation small when one sample is an outlier', () => {
    // median 2; |deviations| = [1, 1, 0, 0, 2, 4, 7] → sorted 0 0 1 1 2 4 7 → 1; the sd is pulled up to 2.93
    const summary = summarizeSamples([1, 1, 2, 2, 4, 6, 9]);
    assert.equal(summary.mad, 1);
    assert.ok(summary.stddev > 2.9);
  });

  it('reports zero spread for identical samples without floating-point dust', () => {
    const summary = summarizeSamples([7, 7, 7, 7]);
    assert.equal(summary.stddev, 0);
    assert.equal(summary.mad, 0);
    assert.equal(summary.mean, 7);
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004 in doubles; the mean must still be 0.1 and the sd exactly 0
    const tenths = summarizeSamples([0.1, 0.1, 0.1]);
    assert.equal(tenths.mean, 0.1);
    assert.equal(tenths.stddev, 0);
  });

  it('counts failures in the success rate', () => {
    // 9 successes / (9 + 1) attempts
    const summary = summarizeSamples([1, 2, 3, 4, 5, 6, 7, 8, 9], 1);
    assert.equal(summary.successRate, 0.9);
    assert.equal(summary.failures, 1);
    assert.equal(summary.n, 9);
  });

  it('returns zeros with n = 0 and a success rate of 0 when nothing succeeded', () => {
    for (const failures of [0, 3]) {
      const summary = summarizeSamples([], failures);
      assert.deepEqual(summary, {
        metric: Metric.PodReady,
        unit: 'ms',
        n: 0,
        failures,
        successRate: 0,
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
      });
    }
  });

  it('leaves the caller’s samples in their original order', () => {
    const samples = [3, 1, 2];
    summarizeSamples(samples);
    assert.deepEqual(samples, [3, 1, 2]);
  });

  it('rejects samples that are not finite non-negative milliseconds, naming the bad one', () => {
    assert.throws(() => summarizeSamples([1, Number.NaN]), {
      name: 'RangeError',
      message: /podReady samples\[1\] is NaN/,
    });
    assert.throws(() => summarizeSamples([-1]), RangeError);
    assert.throws(() => summarizeSamples([Number.POSITIVE_INFINITY]), RangeError);
    assert.throws(() => summarizeSamples([1], -1), RangeError);
    assert.throws(() => summarizeSamples([1], 0.5), RangeError);
  });
});

describe('percentile', () => {
  it('returns the extremes at 0 and 100 percent', () => {
    assert.equal(percentile([1, 2, 3], 0), 1);
    assert.equal(percentile([1, 2, 3], 100), 3);
  });

  it('matches R’s default quantile (type 7) on an uneven sample', () => {
    // sorted [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], n = 11: p90 → h = 9 → 16 exactly;
    // p25 → h = 2.5 → 7 + 0.5·(8 − 7) = 7.5; R: quantile(x, c(.25, .9)) = 7.5, 16
    const sorted = [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20];
    assert.equal(percentile(sorted, 25), 7.5);
    assert.equal(percentile(sorted, 90), 16);
  });

  it('refuses an empty sample and a percent outside 0..100', () => {
    assert.throws(() => percentile([], 50), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });
});

describe('median', () => {
  it('sorts unsorted samples first', () => {
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([9, 1, 5, 3]), 4); // (3 + 5) / 2
  });
});
