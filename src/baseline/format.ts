/** Number formatting for human-readable reasons. Statistics themselves are never rounded. */

/** Milliseconds to 0.1 ms: `412.3 ms`. */
export function formatMs(ms: number): string {
  return `${Math.round(ms * 10) / 10} ms`;
}

/** A fraction as a percentage to 0.1 %: 0.153 → `15.3%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
