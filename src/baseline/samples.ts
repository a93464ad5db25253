/**
 * Input checks shared by the statistics and the regression test. A NaN or negative latency means the
 * measurement code is broken; letting it through would silently poison every mean, quantile and p-value,
 * so it is rejected loudly instead.
 */

/**
 * Throws a RangeError naming the first sample that is not a finite, non-negative number of milliseconds.
 * @param where - what the samples are, for the message (e.g. `podReady samples`, `apiRoundTrip history run 2`)
 */
export function assertValidSamples(samples: readonly number[], where: string): void {
  samples.forEach((sample, index) => {
    if (!Number.isFinite(sample) || sample < 0) {
      throw new RangeError(
        `${where}[${index}] is ${String(sample)}: samples must be finite, non-negative milliseconds`,
      );
    }
  });
}

/** Throws a RangeError unless `failures` is a non-negative integer. */
export function assertValidFailures(failures: number, where: string): void {
  if (!Number.isInteger(failures) || failures < 0) {
    throw new RangeError(`${where} is ${String(failures)}: failures must be a non-negative integer`);
  }
}
