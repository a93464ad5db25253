/**
 * Metrics as evidence: what Prometheus saw during a run's time window. Every item says `available: false` with a
 * reason when the cluster does not expose it (KWOK runs no containers, so no cAdvisor series): nothing is invented.
 */
import type { PrometheusClient, Sample } from './clients';

export type EvidenceItem<T> = ({ available: true } & T) | { available: false; reason: string };

export interface MetricsEvidence {
  window: { start: string; end: string; range: string };
  apiserverP99MsByVerb: EvidenceItem<{ values: Record<string, number> }>;
  schedulingLatency: EvidenceItem<{ metric: string; p50Ms: number; p99Ms: number }>;
  podCpuCores: EvidenceItem<{ values: Record<string, number> }>;
  podMemoryBytes: EvidenceItem<{ values: Record<string, number> }>;
  firingAlerts: EvidenceItem<{ alerts: { alertname: string; labels: Record<string, string> }[] }>;
}

const finite = (samples: Sample[]) => samples.filter((s) => Number.isFinite(s.value));
const byLabel = (samples: Sample[], label: string, scale = 1) =>
  Object.fromEntries(finite(samples).map((s) => [s.metric[label] ?? '', Math.round(s.value * scale * 1000) / 1000]));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A range for rate() covering [start, end], at least `minRangeS` so a short run still has two scrapes in it. */
export function rangeFor(start: Date, end: Date, minRangeS = 30): string {
  return `${Math.max(minRangeS, Math.ceil((end.getTime() - start.getTime()) / 1000))}s`;
}

export async function collectMetricsEvidence(
  prom: PrometheusClient,
  opts: { start: Date; end: Date; namespace?: string; minRangeS?: number },
): Promise<MetricsEvidence> {
  const range = rangeFor(opts.start, opts.end, opts.minRangeS);
  const at = { time: opts.end };
  const q = (expr: string) => prom.query(expr, at).then((a) => a.samples);
  const guard = async <T>(fn: () => Promise<EvidenceItem<T>>): Promise<EvidenceItem<T>> =>
    fn().catch((error: unknown) => ({ available: false as const, reason: `query failed: ${message(error)}` }));

  const apiserver = guard(async () => {
    const s = finite(
      await q(
        `histogram_quantile(0.99, sum by (le, verb) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[${range}])))`,
      ),
    );
    return s.length
      ? { available: true as const, values: byLabel(s, 'verb', 1000) }
      : {
          available: false as const,
          reason: 'no apiserver_request_duration_seconds samples in the window (API server not scraped?)',
        };
  });

  const scheduling = guard(async () => {
    for (const metric of [
      'scheduler_scheduling_attempt_duration_seconds',
      'scheduler_e2e_scheduling_duration_seconds',
    ]) {
      const quantile = async (p: number) =>
        finite(await q(`histogram_quantile(${p}, sum by (le) (rate(${metric}_bucket[${range}])))`))[0]?.value;
      const p99 = await quantile(0.99);
      if (p99 !== undefined) {
        const p50 = (await quantile(0.5)) ?? p99;
        return {
          available: true as const,
          metric,
          p50Ms: Math.round(p50 * 1e6) / 1e3,
          p99Ms: Math.round(p99 * 1e6) / 1e3,
        };
      }
    }
    return {
      available: false as const,
      reason: 'no scheduling attempts recorded in the window (scheduler not scraped, or nothing scheduled)',
    };
  });

  const pods = (series: string, expr: string): Promise<EvidenceItem<{ values: Record<string, number> }>> =>
    guard<{ values: Record<string, number> }>(async () => {
      if (!opts.namespace) return { available: false as const, reason: 'no namespace given' };
      const s = await q(expr);
      if (s.length) return { available: true as const, values: byLabel(s, 'pod') };
      const any = await q(`count(${series})`);
      return {
        available: false as const,
        reason: any.length
          ? `no ${series} series for namespace ${opts.namespace} in the window`
          : `Prometheus has no ${series} series at all (no kubelet/cAdvisor scrape; KWOK runs no containers)`,
      };
    });
  const ns = JSON.stringify(opts.namespace ?? '');
  const cpu = pods(
    'container_cpu_usage_seconds_total',
    `sum by (pod) (rate(container_cpu_usage_seconds_total{namespace=${ns},container!=""}[${range}]))`,
  );
  const memory = pods(
    'container_memory_working_set_bytes',
    `max by (pod) (max_over_time(container_memory_working_set_bytes{namespace=${ns},container!=""}[${range}]))`,
  );

  const alerts = guard(async () => {
    const s = await q(
      `max by (alertname, severity, namespace) (max_over_time(ALERTS{alertstate="firing",alertname!="KubeproofCanary"}[${range}]))`,
    );
    return {
      available: true as const,
      alerts: s.map((x) => ({ alertname: x.metric.alertname ?? '', labels: x.metric })),
    };
  });

  const [apiserverP99MsByVerb, schedulingLatency, podCpuCores, podMemoryBytes, firingAlerts] = await Promise.all([
    apiserver,
    scheduling,
    cpu,
    memory,
    alerts,
  ]);
  return {
    window: { start: opts.start.toISOString(), end: opts.end.toISOString(), range },
    apiserverP99MsByVerb,
    schedulingLatency,
    podCpuCores,
    podMemoryBytes,
    firingAlerts,
  };
}
