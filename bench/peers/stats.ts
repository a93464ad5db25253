/** Order statistics for a handful of wall times (no interpolation tricks: a benchmark of 5 runs). */

/** The middle value; the mean of the two middle values for an even count. Throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const min = (values: readonly number[]): number => Math.min(...values);
export const max = (values: readonly number[]): number => Math.max(...values);

/** `12.3 s (11.9–13.0)`: median and min–max, in seconds. */
export const spread = (ms: readonly number[]): string =>
  `${(median(ms) / 1000).toFixed(1)} s (${(min(ms) / 1000).toFixed(1)}–${(max(ms) / 1000).toFixed(1)})`;
