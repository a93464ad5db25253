import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { MannWhitneyMethod, erfc, mannWhitneyU } from '../../../src/baseline/mann-whitney';

function near(actual: number, expected: number, tolerance: number): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

/**
 * An independent exact p-value: enumerate every way to choose which n1 of the pooled values belong to x,
 * compute U for each from pairwise comparisons (ties count ½), and apply p = min(1, 2·min(P(U ≤ u), P(U ≥ u))).
 */
function bruteForcePValue(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const uOf = (a: number[], b: number[]) =>
    a.reduce((sum, ai) => sum + b.reduce((s, bj) => s + (ai > bj ? 1 : ai === bj ? 0.5 : 0), 0), 0);
  const observed = uOf(x, y);
  let atOrBelow = 0;
  let atOrAbove = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << pooled.length; mask++) {
    const chosen = pooled.filter((_, i) => (mask >> i) & 1);
    if (chosen.length !== x.length) continue;
    const rest = pooled.filter((_, i) => !((mask >> i) & 1));
    const u = uOf(chosen, rest);
    total++;
    if (u <= observed) atOrBelow++;
    if (u >= observed) atOrAbove++;
  }
  return Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / total);
}

describe('mannWhitneyU', () => {
  it('gives the exact two-sided p = 0.1 for [1, 2, 3] against [4, 5, 6]', () => {
    // U = 0; only 1 of the C(6, 3) = 20 splits is as extreme on that side: p = 2 · 1/20 = 0.1
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    assert.equal(result.method, MannWhitneyMethod.Exact);
    assert.equal(result.u, 0);
    assert.equal(result.pValue, 0.1);
  });

  it('gives the continuity-corrected normal p = 0.0809 for [1, 2, 3] against [4, 5, 6]', () => {
    // μ = 3·3/2 = 4.5; σ² = 3·3·(6 + 1)/12 = 5.25; z = (|0 − 4.5| − 0.5)/√5.25 = 1.74574;
    // p = 2·(1 − Φ(1.74574)) = 0.08086 (R: wilcox.test(1:3, 4:6, exact = FALSE) → 0.08086)
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6], { method: 'normal' });
    assert.equal(result.method, MannWhitneyMethod.Normal);
    near(result.pValue, 0.08086, 1e-5);
  });

  it('computes the exact permutation p-value with ties: [1, 2, 2] against [2, 3] → 0.6', () => {
    // pooled 1 2 2 2 3 → mid-ranks 1, 3, 3, 3, 5. x's rank sum = 1 + 3 + 3 = 7 → U = 7 − 3·4/2 = 1.
    // The 10 ways to give y two of the ranks: {1,3}×3 → x sum 11; {1,5} → 9; {3,3}×3 → 9; {3,5}×3 → 7.
    // x's sum is 7 in 3 of 10, 9 in 4, 11 in 3: P(≤ 7) = 0.3, P(≥ 7) = 1 → p = 2·0.3 = 0.6
    const result = mannWhitneyU([1, 2, 2], [2, 3]);
    assert.equal(result.u, 1);
    near(result.pValue, 0.6, 1e-12);
  });

  it('corrects the normal variance for ties: [1, 2, 2] against [2, 3] → 0.333', () => {
    // one tie group of 3: Σ(t³ − t) = 24; σ² = 3·2/12 · (6 − 24/(5·4)) = 0.5 · 4.8 = 2.4;
    // z = (|1 − 3| − 0.5)/√2.4 = 0.96825; p = 2·(1 − Φ(0.96825)) = 2·(1 − 0.83354) = 0.33292
    const result = mannWhitneyU([1, 2, 2], [2, 3], { method: 'normal' });
    near(result.pValue, 0.33292, 1e-4);
  });

  it('agrees with brute-force enumeration of every split, ties included', () => {
    const cases: [number[], number[]][] = [
      [
        [3, 1, 4, 1, 5],
        [9, 2, 6, 5, 3, 5],
      ],
      [
        [10, 10, 12],
        [10, 11, 12, 12, 13, 14],
      ],
      [[7], [1, 2, 3, 4, 5, 6, 8, 9]],
      [
        [2, 2, 2, 2],
        [1, 2, 3, 3, 3, 3, 3],
      ],
    ];
    for (const [x, y] of cases) {
      near(mannWhitneyU(x, y, { method: 'exact' }).pValue, bruteForcePValue(x, y), 1e-12);
    }
  });

  it('gives p = 1 when every value is the same', () => {
    assert.equal(mannWhitneyU([5, 5, 5], [5, 5]).pValue, 1);
    assert.equal(mannWhitneyU([5, 5, 5], [5, 5], { method: 'normal' }).pValue, 1);
  });

  it('is symmetric in its two samples', () => {
    const x = [12, 15, 11, 19, 14];
    const y = [10, 13, 9, 8, 16, 7];
    const forward = mannWhitneyU(x, y);
    const backward = mannWhitneyU(y, x);
    assert.equal(forward.u + backward.u, x.length * y.length);
    near(forward.pValue, backward.pValue, 1e-12);
  });

  it('switches to the normal approximation for large samples', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i);
    const thirty = Array.from({ length: 30 }, (_, i) => i);
    // min(n1, n2)·(n1 + n2): 10·20 = 200 ≤ 1000 → exact; 30·60 = 1800 → normal
    assert.equal(mannWhitneyU(ten, ten).method, MannWhitneyMethod.Exact);
    assert.equal(mannWhitneyU(thirty, thirty).method, MannWhitneyMethod.Normal);
  });

  it('keeps a tiny tail p-value instead of rounding it to 0', () => {
    // 30 vs 30, fully separated: U = 900, μ = 450, σ² = 900·61/12 = 4575, z = 449.5/67.639 = 6.6456,
    // p = 2·(1 − Φ(6.6456)) ≈ 3.0e-11
    const low = Array.from({ length: 30 }, (_, i) => i);
    const high = low.map((v) => v + 100);
    const result = mannWhitneyU(high, low);
    assert.equal(result.u, 900);
    assert.ok(result.pValue > 2.9e-11 && result.pValue < 3.1e-11, `p = ${result.pValue}`);
  });

  it('refuses an empty sample', () => {
    assert.throws(() => mannWhitneyU([], [1]), RangeError);
    assert.throws(() => mannWhitneyU([1], []), RangeError);
  });
});

describe('erfc', () => {
  it('matches tabulated values to 1.2e-7 relative error', () => {
    // erfc(0) = 1, erfc(0.5) = 0.4795001222, erfc(1) = 0.1572992071, erfc(2) = 0.004677734981,
    // erfc(5) = 1.537459794e-12, erfc(−1) = 2 − erfc(1) = 1.842700793
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001222],
      [1, 0.1572992071],
      [2, 0.004677734981],
      [5, 1.537459794e-12],
      [-1, 1.842700793],
    ];
    for (const [x, expected] of table) {
      near(erfc(x) / expected, 1, 1.2e-7);
    }
  });
});
