/**
 * Report content that every renderer shows the same way, as plain lines: what a baseline was compared with, the
 * checks' per-run figures, and the run's monitoring evidence. Renderers only escape and lay them out. Pure.
 */
import { describeFingerprint } from '../../baseline/fingerprint';
import type { SeriesComparison } from '../../baseline/series';
import type { EvidenceItem } from '../../monitoring/evidence';
import type { BaselineResult, ValidationResult } from '../../run/contracts';

/** Where and against what the baseline was judged; says so plainly when the nodes were simulated. */
export function baselineContext(b: BaselineResult): string[] {
  const c = b.comparison;
  if (!c) return [];
  const lines: string[] = [];
  if (c.fingerprint) {
    lines.push(`measured on ${describeFingerprint(c.fingerprint)}`);
    if (c.fingerprint.simulated) {
      lines.push('simulated nodes: pod latencies are the simulator’s, not a real kubelet’s; compare like with like');
    }
  } else {
    lines.push('cluster fingerprint unknown: compared with no earlier run');
  }
  if (c.fingerprintNote) lines.push(c.fingerprintNote);
  const runs = b.historyRuns ?? 0;
  const other = c.otherFingerprints > 0 ? ` (${c.otherFingerprints} on another cluster shape left out)` : '';
  lines.push(
    `compared with ${runs} earlier run${runs === 1 ? '' : 's'} of the same cluster shape${other}; ` +
      `a sampled metric is judged after ${c.minHistoryRuns.sampled} earlier run${c.minHistoryRuns.sampled === 1 ? '' : 's'}, ` +
      `a per-run check figure after ${c.minHistoryRuns.perRun}`,
  );
  return lines;
}

export interface SeriesRow {
  name: string;
  value: string;
  history: string;
  outcome: string;
  reason: string;
}

export function seriesRows(b: BaselineResult): SeriesRow[] {
  return (b.series ?? []).map((s: SeriesComparison) => ({
    name: s.name,
    value: `${round(s.current)} ms`,
    history: s.historyMedian === undefined ? '-' : `${round(s.historyMedian)} ms (${s.historyRuns} runs)`,
    outcome: s.outcome,
    reason: s.reason,
  }));
}

/** The run's window of the cluster's Prometheus metrics: one line per item, `unavailable (why)` when absent. */
export function monitoringLines(r: ValidationResult): string[] {
  const m = r.monitoring;
  if (!m) return [];
  if (!('window' in m)) return [`unavailable: ${m.reason}`];
  const item = <T>(label: string, e: EvidenceItem<T>, show: (v: T) => string) =>
    `${label}: ${e.available ? show(e) : `unavailable (${e.reason})`}`;
  const values = (v: Record<string, number>, unit: string) =>
    Object.entries(v)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, x]) => `${k} ${round(x)}${unit}`)
      .join(', ') || 'none';
  return [
    `window ${m.window.start} → ${m.window.end} (rate range ${m.window.range})`,
    item('API server p99 by verb', m.apiserverP99MsByVerb, (v) => values(v.values, ' ms')),
    item(
      'scheduling latency',
      m.schedulingLatency,
      (v) => `p50 ${round(v.p50Ms)} ms, p99 ${round(v.p99Ms)} ms (${v.metric})`,
    ),
    item("run's pods CPU", m.podCpuCores, (v) => values(v.values, ' cores')),
    item("run's pods memory", m.podMemoryBytes, (v) => values(v.values, ' B')),
    item('alerts firing', m.firingAlerts, (v) => v.alerts.map((a) => a.alertname).join(', ') || 'none'),
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;
