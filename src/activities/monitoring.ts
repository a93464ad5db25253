/**
 * Monitoring activities: the cluster's Prometheus and Alertmanager validated as checks, the run's window of
 * metrics read as evidence, and kubeproof's own metrics (src/worker/metrics.ts) updated as runs progress.
 */
import { Context } from '@temporalio/activity';
import { collectMetricsEvidence } from '../monitoring/evidence';
import { runMonitoringChecks } from '../monitoring/checks';
import { PrometheusClient } from '../monitoring/clients';
import { readMonitoringConfig } from '../monitoring/config';
import type { CheckResult } from '../run/checks';
import type { MonitoringEvidence, StepRecord } from '../run/contracts';
import { observeStep, recordCleanupLeftovers, recordRun } from '../worker/metrics';

export interface MonitoringDeps {
  /** The worker's environment: PROMETHEUS_URL, ALERTMANAGER_URL and their credentials. */
  env: NodeJS.ProcessEnv;
  /** Raises or lowers the canary on this worker's /metrics; absent when the worker serves none. */
  canary?: ((runId: string, value: 0 | 1) => void) | undefined;
}

export function createMonitoringActivities(deps: MonitoringDeps) {
  const config = readMonitoringConfig(deps.env);
  return {
    /** The monitoring checks, then the run's window of Prometheus metrics (unavailable, never invented). */
    async checkMonitoring(input: {
      runKey: string;
      namespace: string;
      startedAt: number;
    }): Promise<{ checks: CheckResult[]; evidence: MonitoringEvidence }> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5000);
      try {
        const checks = await runMonitoringChecks(
          { config, runId: input.runKey, ...(deps.canary ? { setCanary: deps.canary } : {}) },
          { signal: ctx.cancellationSignal, onCheck: () => ctx.heartbeat() },
        );
        const evidence: MonitoringEvidence =
          config.state === 'configured'
            ? await collectMetricsEvidence(new PrometheusClient(config.prometheus), {
                start: new Date(input.startedAt),
                end: new Date(),
                namespace: input.namespace,
              }).catch((error: unknown) => ({ available: false as const, reason: String(error) }))
            : { available: false, reason: config.reason };
        return { checks, evidence };
      } finally {
        clearInterval(beat);
      }
    },

    /** kubeproof's own metrics for a finished run: the run by verdict, its step durations, leftovers. */
    recordRunMetrics(input: {
      scenario: string;
      cluster: string;
      verdict: string;
      steps: StepRecord[];
      leftovers: number;
    }): Promise<void> {
      recordRun({ scenario: input.scenario, cluster: input.cluster, verdict: input.verdict });
      for (const s of input.steps) if (s.status !== 'skipped') observeStep(s.name, s.durationMs);
      recordCleanupLeftovers(input.cluster, input.leftovers);
      return Promise.resolve();
    },
  };
}
