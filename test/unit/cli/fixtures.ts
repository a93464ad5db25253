/** ValidationResult builders for the CLI renderer tests. */
import type { ServiceHealth } from '../../../src/k8s/types';
import type { ValidationResult } from '../../../src/run/contracts';

export function health(name: string, overrides: Partial<ServiceHealth> = {}): ServiceHealth {
  return {
    service: name,
    desiredReplicas: 2,
    readyReplicas: 2,
    endpoints: { ready: 2, notReady: 0 },
    restarts: 0,
    readinessProbeConfigured: true,
    warningEvents: [],
    resourceUsage: { available: false, reason: 'no metrics-server' },
    problems: [],
    healthy: true,
    ...overrides,
  };
}

const summary = (metric: 'podReady' | 'apiRoundTrip', p50: number, p95: number, p99: number) => ({
  metric,
  unit: 'ms' as const,
  n: 5,
  failures: 0,
  successRate: 1,
  mean: p50,
  median: p50,
  p50,
  p90: p95,
  p95,
  p99,
  stddev: 1,
  mad: 1,
  min: p50,
  max: p99,
});

/** A run that passed every step, with a rules verdict and a baseline. */
export function passedRun(overrides: Partial<ValidationResult> = {}): ValidationResult {
  return {
    workflowId: 'kubeproof/local/web-app-stack/20250101T000000.000Z',
    runId: 'run-1',
    scenario: 'web-app-stack',
    cluster: 'local',
    namespace: 'kp-web-app-stack-1',
    runKey: '0123456789abcdef',
    ending: 'finished',
    verdict: 'pass',
    verdictReasons: [],
    checks: [],
    images: { overrides: {} },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 34_200,
    waves: [['database', 'cache'], ['backend'], ['frontend']],
    steps: [
      { name: 'deploy', status: 'ok', startedAt: 0, durationMs: 12_300 },
      { name: 'health', status: 'ok', startedAt: 0, durationMs: 1_200 },
      { name: 'ai', status: 'ok', startedAt: 0, durationMs: 57 },
      { name: 'baseline', status: 'ok', startedAt: 0, durationMs: 10_000 },
      { name: 'cleanup', status: 'ok', startedAt: 0, durationMs: 4_100 },
    ],
    health: {
      checkedAt: '2025-01-01T00:00:13.000Z',
      healthy: true,
      services: [
        health('frontend'),
        health('backend', { desiredReplicas: 3, readyReplicas: 3 }),
        health('database', { desiredReplicas: 1, readyReplicas: 1 }),
        health('cache', { desiredReplicas: 1, readyReplicas: 1 }),
      ],
    },
    pods: [],
    ai: {
      verdict: {
        verdict: 'pass',
        confidence: 0.9,
        summary: 'All services healthy.',
        findings: [],
        recommendations: [],
        provenance: { source: 'rules', latencyMs: 0, attempts: 0, fallbackReason: 'no AI provider configured' },
      },
      source: 'rules',
      fallbackReason: 'no AI provider configured',
      explainsFailure: false,
    },
    baseline: {
      summaries: [summary('podReady', 1200, 2500, 2900), summary('apiRoundTrip', 7, 12, 15)],
      grades: [
        { metric: 'podReady', grade: 'Excellent', p95: 2500, target: 30_000, reason: 'well within target' },
        { metric: 'apiRoundTrip', grade: 'Good', p95: 12, target: 500, reason: 'within target' },
      ],
      overall: 'Good',
      regressions: [],
      regressed: false,
    },
    cleanup: { deleted: ['Deployment/ns/frontend', 'Namespace/ns'], left: [], durationMs: 4_000 },
    compensations: [{ name: 'delete run namespace', ok: true }],
    ...overrides,
  };
}

/** A run whose health step failed on `database`, cleaned up by compensation, with a message full of XML specials. */
export function failedRun(message = `crash <loop> & "restarts" 'x'`): ValidationResult {
  // A failed health step means no AI verdict and no baseline.
  const { ai: _ai, baseline: _baseline, ...base } = passedRun();
  return {
    ...base,
    verdict: 'fail',
    ending: 'step-failed',
    steps: [
      { name: 'deploy', status: 'ok', startedAt: 0, durationMs: 12_300 },
      { name: 'health', status: 'failed', startedAt: 0, durationMs: 1_200, error: `service database: ${message}` },
      { name: 'cleanup', status: 'ok', startedAt: 0, durationMs: 3_000 },
    ],
    failure: {
      step: 'health',
      service: 'database',
      type: 'HealthCheckFailed',
      message: `service database: ${message}`,
    },
    health: {
      checkedAt: '2025-01-01T00:00:13.000Z',
      healthy: false,
      services: [
        health('frontend'),
        health('database', {
          desiredReplicas: 1,
          readyReplicas: 0,
          endpoints: { ready: 0, notReady: 1 },
          restarts: 7,
          healthy: false,
          problems: [message],
          warningEvents: [
            { object: 'Pod/database-0', reason: 'BackOff', message: 'Back-off restarting failed container', count: 4 },
          ],
        }),
      ],
    },
    cleanup: { deleted: ['Namespace/ns'], left: [], durationMs: 3_000 },
    compensations: [{ name: 'delete run namespace', ok: true }],
  };
}
