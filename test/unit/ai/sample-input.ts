/** Small builders for evidence inputs used by the AI tests. */
import type { EvidenceInput } from '../../../src/ai';
import type { MetricSummary } from '../../../src/baseline/types';
import type { ServiceHealth } from '../../../src/k8s/types';

export function service(name: string, overrides: Partial<ServiceHealth> = {}): ServiceHealth {
  return {
    service: name,
    desiredReplicas: 2,
    readyReplicas: 2,
    endpoints: { ready: 2, notReady: 0 },
    restarts: 0,
    readinessProbeConfigured: true,
    warningEvents: [],
    resourceUsage: { available: true, cpuMillicores: 12.34, memoryBytes: 64 * 1024 * 1024 },
    problems: [],
    healthy: true,
    ...overrides,
  };
}

export function unhealthy(name: string, overrides: Partial<ServiceHealth> = {}): ServiceHealth {
  return service(name, {
    readyReplicas: 0,
    endpoints: { ready: 0, notReady: 2 },
    healthy: false,
    problems: ['0/2 replicas ready: CrashLoopBackOff'],
    ...overrides,
  });
}

export function latency(
  metric: MetricSummary['metric'],
  p95: number,
  overrides: Partial<MetricSummary> = {},
): MetricSummary {
  return {
    metric,
    unit: 'ms',
    n: 20,
    failures: 0,
    successRate: 1,
    mean: p95 * 0.6,
    median: p95 * 0.5,
    p50: p95 * 0.5,
    p90: p95 * 0.9,
    p95,
    p99: p95 * 1.2,
    stddev: p95 * 0.2,
    mad: p95 * 0.1,
    min: p95 * 0.2,
    max: p95 * 1.3,
    ...overrides,
  };
}

export function input(services: ServiceHealth[], overrides: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    scenario: 'web-shop',
    cluster: 'kind-kubeproof',
    health: { checkedAt: '2025-01-01T00:00:00.000Z', healthy: services.every((s) => s.healthy), services },
    latency: [latency('podReady', 3000)],
    targets: { podReadyP95: 10_000 },
    ...overrides,
  };
}
