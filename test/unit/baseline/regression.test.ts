import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { RegressionOutcome, compareWithHistory, summarizeRegressions } from '../../../src/baseline/regression';
import { Metric } from '../../../src/baseline/types';

function near(actual: number | undefined, expected: number, tolerance: number): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

function current(samples: number[], metric: Metric = Metric.PodReady) {
  return { metric, samples, failures: 0 };
}

/** from, from + 1, …, to */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('compareWithHistory', () => {
  it('ignores a significant, large relative change whose absolute size is under the noise floor', () => {
    // Medians 1 ms vs 2 ms: +100 %, and every current sample is above every history sample (p < 0.01),
    // but 1 ms is below a 5 ms floor.
    const current = { metric: Metric.ApiRoundTrip, samples: [2, 2.1, 2.2, 1.9, 2, 2.1, 2, 2.05], failures: 0 };
    const history = [[1, 1.1, 0.9, 1, 1.05, 0.95, 1, 1.02]];
    assert.equal(compareWithHistory(current, history).outcome, RegressionOutcome.Regressed);
    const floored = compareWithHistory(current, history, { minAbsoluteMs: 5 });
    assert.equal(floored.outcome, RegressionOutcome.Unchanged);
    assert.match(floored.reason, /minimum absolute change/);
  });

  it('leaves [1, 2, 3] against a history of [4, 5, 6] unchanged at the exact p = 0.1', () => {
    // exact two-sided p = 2/C(6, 3) = 0.1 ≥ 0.05; effect (2 − 5)/5 = −0.6 is large but not significant
    const result = compareWithHistory(current([1, 2, 3]), [[4, 5, 6]]);
    assert.equal(result.outcome, RegressionOutcome.Unchanged);
    assert.equal(result.pValue, 0.1);
    near(result.effect, -0.6, 1e-12);
    assert.equal(result.currentMedian, 2);
    assert.equal(result.historyMedian, 5);
    assert.equal(result.historyN, 3);
    assert.equal(result.historyRuns, 1);
    assert.match(result.reason, /not significant/);
  });

  it('flags a clearly slower run as regressed with p < 0.01', () => {
    // current 21..30 vs pooled history 1..10: every current sample is slower, U = 100, and only 1 of the
    // C(20, 10) = 184756 splits is that extreme on that side: p = 2/184756 = 1.0825e-5.
    // medians 25.5 vs 5.5: effect = 20/5.5 = +3.636
    const result = compareWithHistory(current(range(21, 30)), [range(1, 5), range(6, 10)]);
    assert.equal(result.outcome, RegressionOutcome.Regressed);
    near(result.pValue, 2 / 184_756, 1e-15);
    assert.ok((result.pValue ?? 1) < 0.01);
    near(result.effect, 20 / 5.5, 1e-12);
    assert.equal(result.currentMedian, 25.5);
    assert.equal(result.historyMedian, 5.5);
    assert.equal(result.historyN, 10);
    assert.equal(result.historyRuns, 2);
  });

  it('flags a clearly faster run as improved', () => {
    // the mirror image: same p, effect (5.5 − 25.5)/25.5 = −0.784
    const result = compareWithHistory(current(range(1, 10)), [range(21, 30)]);
    assert.equal(result.outcome, RegressionOutcome.Improved);
    near(result.pValue, 2 / 184_756, 1e-15);
    near(result.effect, -20 / 25.5, 1e-12);
  });

  it('leaves a run drawn from the same distribution unchanged', () => {
    // odd 1..19 vs even 2..20, interleaved: U = 45 against a mean of 50, nowhere near significant
    const odd = range(0, 9).map((i) => 2 * i + 1);
    const even = odd.map((v) => v + 1);
    const result = compareWithHistory(current(odd), [even]);
    assert.equal(result.outcome, RegressionOutcome.Unchanged);
    assert.ok((result.pValue ?? 0) > 0.5, `p = ${result.pValue}`);
  });

  it('leaves a significant shift smaller than the minimum effect unchanged', () => {
    // history 100..119, current 110..129: U = (10 + … + 19) + 10·20 = 345 of 400, p < 0.001, but the
    // median moves only 109.5 → 119.5, +9.1 % < 15 %
    const result = compareWithHistory(current(range(110, 129)), [range(100, 119)]);
    assert.equal(result.outcome, RegressionOutcome.Unchanged);
    assert.ok((result.pValue ?? 1) < 0.001, `p = ${result.pValue}`);
    near(result.effect, 10 / 109.5, 1e-12);
    assert.match(result.reason, /under the 15% minimum change/);
    // the same shift counts once the minimum effect is below it
    assert.equal(
      compareWithHistory(current(range(110, 129)), [range(100, 119)], { minEffect: 0.05 }).outcome,
      RegressionOutcome.Regressed,
    );
  });

  it('counts a change of exactly the minimum effect', () => {
    // medians 115 vs 100: effect (115 − 100)/100 = 0.15 exactly; 8 vs 8 separated: p = 2/C(16, 8) = 0.000155
    const result = compareWithHistory(current([111, 112, 113, 114, 116, 117, 118, 119]), [
      [96, 97, 98, 99, 101, 102, 103, 104],
    ]);
    assert.equal(result.effect, 0.15);
    assert.equal(result.outcome, RegressionOutcome.Regressed);
  });

  it('finds identical samples unchanged with p = 1', () => {
    const result = compareWithHistory(current([5, 5, 5, 5]), [
      [5, 5, 5],
      [5, 5],
    ]);
    assert.equal(result.outcome, RegressionOutcome.Unchanged);
    assert.equal(result.pValue, 1);
    assert.equal(result.effect, 0);
  });

  it('uses the normal approximation for large pooled histories', () => {
    // 40 current samples vs 3 runs × 40: 40·160 = 6400 > 1000 → normal. The same spread of 50 values,
    // shifted by +40 ms: medians 164.5 vs 124.5 → effect +32 %
    const spread = range(0, 39).map((i) => (i * 37) % 50);
    const history = [0, 1, 2].map(() => spread.map((v) => 100 + v));
    const result = compareWithHistory(current(spread.map((v) => 140 + v)), history);
    assert.equal(result.outcome, RegressionOutcome.Regressed);
    assert.match(result.reason, /\(normal, n = 40 vs 120\)/);
    assert.ok((result.pValue ?? 1) < 1e-6);
    assert.equal(result.historyN, 120);
  });

  it('treats any significant rise from a history median of 0 as a regression without a finite effect', () => {
    // 6 vs 6, all current > all history: p = 2/C(12, 6) = 2/924 = 0.00216
    const result = compareWithHistory(current([3, 4, 5, 6, 7, 8], Metric.ApiRoundTrip), [[0, 0, 0, 0, 0, 0]]);
    assert.equal(result.outcome, RegressionOutcome.Regressed);
    near(result.pValue, 2 / 924, 1e-15);
    assert.equal('effect' in result, false);
    assert.doesNotThrow(() => JSON.stringify(result));
  });

  it('reports insufficient history without earlier runs', () => {
    const result = compareWithHistory(current([1, 2, 3]), []);
    assert.equal(result.outcome, RegressionOutcome.InsufficientHistory);
    assert.equal(result.historyN, 0);
    assert.equal(result.historyRuns, 0);
    assert.equal(result.currentMedian, 2);
    assert.equal('pValue' in result, false);
    assert.equal('historyMedian' in result, false);
  });

  it('does not count earlier runs that produced no samples', () => {
    const result = compareWithHistory(current([1, 2, 3]), [[], []]);
    assert.equal(result.outcome, RegressionOutcome.InsufficientHistory);
    assert.match(result.reason, /0 earlier runs with samples; at least 1 needed/);
  });

  it('waits for the configured number of earlier runs', () => {
    const result = compareWithHistory(current(range(21, 30)), [range(1, 10), range(1, 10)], { minHistoryRuns: 3 });
    assert.equal(result.outcome, RegressionOutcome.InsufficientHistory);
    assert.equal(result.historyMedian, 5.5);
    assert.equal(result.historyRuns, 2);
  });

  it('cannot compare a run without successful samples', () => {
    const result = compareWithHistory(current([]), [[1, 2, 3]]);
    assert.equal(result.outcome, RegressionOutcome.InsufficientHistory);
    assert.equal(result.currentMedian, 0);
    assert.match(result.reason, /no successful samples in this run/);
  });

  it('refuses invalid options and samples', () => {
    assert.throws(() => compareWithHistory(current([1]), [[1]], { alpha: 0 }), RangeError);
    assert.throws(() => compareWithHistory(current([1]), [[1]], { minEffect: -0.1 }), RangeError);
    assert.throws(() => compareWithHistory(current([1]), [[1]], { minHistoryRuns: 0 }), RangeError);
    assert.throws(() => compareWithHistory(current([1]), [[1, Number.NaN]]), {
      name: 'RangeError',
      message: /podReady history run 0\[1\] is NaN/,
    });
  });
});

describe('summarizeRegressions', () => {
  it('lists regressed and improved metrics in order', () => {
    const summary = summarizeRegressions([
      { metric: Metric.PodReady, outcome: RegressionOutcome.Regressed },
      { metric: Metric.ScaleOut, outcome: RegressionOutcome.Improved },
      { metric: Metric.RollingRestart, outcome: RegressionOutcome.Unchanged },
      { metric: Metric.ApiRoundTrip, outcome: RegressionOutcome.Regressed },
    ]);
    assert.deepEqual(summary, {
      regressed: [Metric.PodReady, Metric.ApiRoundTrip],
      improved: [Metric.ScaleOut],
    });
  });
});
