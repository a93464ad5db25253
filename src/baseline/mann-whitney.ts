/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test. Rank-based, so a few slow outliers, which latencies
 * always have, cannot fake or hide a shift the way they would in a t-test.
 */

export const MannWhitneyMethod = {
  /** Exact permutation distribution of the rank sum, ties included. */
  Exact: 'exact',
  /** Normal approximation with tie correction and continuity correction. */
  Normal: 'normal',
} as const;
export type MannWhitneyMethod = (typeof MannWhitneyMethod)[keyof typeof MannWhitneyMethod];

export interface MannWhitneyResult {
  /** U of the first sample: the number of (x, y) pairs with x > y, ties counting one half. 0..n1·n2. */
  u: number;
  /** Two-sided p-value, 0..1. */
  pValue: number;
  method: MannWhitneyMethod;
  n1: number;
  n2: number;
}

/**
 * `auto` computes the exact p-value when min(n1, n2) · (n1 + n2) ≤ this. The exact computation costs about
 * 2 · (min(n1, n2) · (n1 + n2))² steps (≤ 2·10⁶ here, a few ms) and every count it holds stays below 2⁵³, so
 * it is exact in doubles. Beyond it both samples are large enough (the smaller one has ≥ 23 values, or
 * the larger dwarfs it) for the normal approximation.
 */
export const exactLimit = 1000;

/**
 * Two-sided Mann-Whitney U test of `x` against `y`.
 *
 * Ranks are mid-ranks (tied values share the mean of their ranks).
 *
 * - `exact`: the permutation distribution of x's rank sum given the pooled values, computed by dynamic
 *   programming over all C(n1 + n2, n1) equally likely assignments. Ties are handled exactly (it is the
 *   conditional test, like R's `coin::wilcox_test(distribution = "exact")`; R's `wilcox.test` and SciPy drop to
 *   the normal approximation or ignore ties instead). Without ties it is the classic exact U distribution.
 *   p = min(1, 2 · min(P(W ≤ w), P(W ≥ w))), as R's `wilcox.test` does.
 * - `normal`: z = (|U − n1·n2/2| − ½) / σ with σ² = n1·n2/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1))) over tie
 *   groups of size t, and p = 2 · (1 − Φ(z)) (R's `wilcox.test(exact = FALSE, correct = TRUE)`).
 *   σ = 0 (every value equal) gives p = 1.
 * - `auto` (default): exact when min(n1, n2) · (n1 + n2) ≤ {@link exactLimit}, else normal.
 *
 * @throws RangeError when either sample is empty
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: { method?: MannWhitneyMethod | 'auto' | undefined } = {},
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) {
    throw new RangeError(`the Mann-Whitney U test needs two non-empty samples (got ${n1} and ${n2})`);
  }
  const requested = options.method ?? 'auto';
  const method =
    requested === 'auto'
      ? Math.min(n1, n2) * (n1 + n2) <= exactLimit
        ? MannWhitneyMethod.Exact
        : MannWhitneyMethod.Normal
      : requested;

  const ranked = rankPooled(x, y);
  const rankSumX = ranked.doubledRankSumX / 2;
  const u = rankSumX - (n1 * (n1 + 1)) / 2;

  const pValue =
    method === MannWhitneyMethod.Exact
      ? exactPValue(ranked.doubledRanks, n1 <= n2 ? ranked.doubledRankSumX : ranked.doubledRankSumY, Math.min(n1, n2))
      : normalPValue(u, n1, n2, ranked.tieSizes);
  return { u, pValue, method, n1, n2 };
}

interface RankedPool {
  /** 2 × the mid-rank of every pooled value, in ascending value order: always an integer. */
  doubledRanks: number[];
  doubledRankSumX: number;
  doubledRankSumY: number;
  /** Size of every group of equal values (1 for untied values). */
  tieSizes: number[];
}

function rankPooled(x: readonly number[], y: readonly number[]): RankedPool {
  const pooled = [...x.map((value) => ({ value, inX: true })), ...y.map((value) => ({ value, inX: false }))];
  pooled.sort((a, b) => a.value - b.value);

  const doubledRanks: number[] = [];
  const tieSizes: number[] = [];
  let doubledRankSumX = 0;
  let doubledRankSumY = 0;
  let start = 0;
  while (start < pooled.length) {
    const value = pooled[start]?.value ?? Number.NaN;
    let end = start; // inclusive, 0-based
    while (pooled[end + 1]?.value === value) end++;
    // Positions start..end hold 1-based ranks start+1..end+1; twice their mean is an integer.
    const doubledRank = start + 1 + (end + 1);
    for (const entry of pooled.slice(start, end + 1)) {
      doubledRanks.push(doubledRank);
      if (entry.inX) doubledRankSumX += doubledRank;
      else doubledRankSumY += doubledRank;
    }
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { doubledRanks, doubledRankSumX, doubledRankSumY, tieSizes };
}

/**
 * Exact two-sided p-value of the observed (doubled) rank sum of a group of `size` values, over all ways to
 * pick `size` of the pooled ranks. `count[j][s]` = number of ways to pick j of the ranks seen so far with
 * doubled sum s (a 0/1 knapsack count).
 */
function exactPValue(doubledRanks: readonly number[], observedSum: number, size: number): number {
  const maxSum = doubledRanks
    .toSorted((a, b) => b - a)
    .slice(0, size)
    .reduce((sum, rank) => sum + rank, 0);
  const width = maxSum + 1;
  const count = new Float64Array((size + 1) * width); // row j starts at j * width
  count[0] = 1;
  doubledRanks.forEach((rank, seen) => {
    for (let j = Math.min(seen + 1, size); j >= 1; j--) {
      const row = j * width;
      const previousRow = (j - 1) * width;
      for (let s = maxSum; s >= rank; s--) {
        count[row + s] = (count[row + s] ?? 0) + (count[previousRow + s - rank] ?? 0);
      }
    }
  });

  let total = 0;
  let atOrBelow = 0;
  let atOrAbove = 0;
  const lastRow = size * width;
  for (let s = 0; s <= maxSum; s++) {
    const ways = count[lastRow + s] ?? 0;
    total += ways;
    if (s <= observedSum) atOrBelow += ways;
    if (s >= observedSum) atOrAbove += ways;
  }
  return Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / total);
}

function normalPValue(u: number, n1: number, n2: number, tieSizes: readonly number[]): number {
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) {
    return 1;
  }
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, erfc(z / Math.SQRT2)); // 2 · (1 − Φ(z))
}

/**
 * Complementary error function, fractional error < 1.2·10⁻⁷ everywhere (Numerical Recipes `erfcc`, the same
 * Chebyshev fit as `ss.errorFunction`). Computed directly rather than as 1 − erf so that small tail
 * probabilities keep their relative precision instead of rounding to 0.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + polynomial);
  return x >= 0 ? tail : 2 - tail;
}
