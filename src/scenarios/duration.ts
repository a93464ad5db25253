/** Durations in scenario files: a number and one unit, e.g. `500ms`, `30s`, `1.5s`, `2m`, `1h`. */

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof unitMs;

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Human-readable description of the accepted format, for error messages. */
export const durationFormatHint = 'a number with a unit ms, s, m or h, e.g. 500ms, 30s, 1.5s, 2m, 1h';

/**
 * Parses a duration into whole milliseconds (fractions are rounded: `1.5s` is 1500).
 * Returns undefined for anything else, including `5 minutes`, `30` (no unit) and negative values.
 */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * unitMs[unit as Unit]);
}

/** Formats milliseconds with the largest unit that divides them exactly; the result parses back to `ms`. */
export function formatDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  for (const unit of ['h', 'm', 's'] as const) {
    if (whole % unitMs[unit] === 0) return `${whole / unitMs[unit]}${unit}`;
  }
  return `${whole}ms`;
}
