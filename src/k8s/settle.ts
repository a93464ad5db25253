/**
 * Health converges a moment after readiness (endpoints are published, probes answer): an unhealthy report is
 * re-checked until it turns healthy or the settle window closes. `settleMs: 0` takes exactly one report.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthReport } from './types';

export async function settleHealth(
  check: () => Promise<HealthReport>,
  opts: { settleMs: number; intervalMs?: number; onWait?: () => void; now?: () => number },
): Promise<HealthReport> {
  const now = opts.now ?? Date.now;
  const until = now() + opts.settleMs;
  for (;;) {
    const report = await check();
    if (report.healthy || now() >= until) return report;
    opts.onWait?.();
    await sleep(opts.intervalMs ?? 1000);
  }
}
