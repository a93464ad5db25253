/**
 * The monitoring checks: Prometheus is ready and healthy, the control plane's scrape targets are up, queries answer
 * within the seed's targets, and an alert raised by kubeproof reaches Alertmanager (the alert pipeline end to end).
 */
import { runChecks, type RunChecksOptions } from '../checks/runner';
import type { CheckDefinition, CheckOutcome } from '../checks/model';
import type { CheckResult } from '../run/checks';
import { AlertmanagerClient, PrometheusClient } from './clients';
import type { MonitoringConfig } from './config';
import { controlPlaneComponent, gradeLatency, LatencyTargetMs } from './grading';

export const CanaryAlertName = 'KubeproofCanary';

export interface MonitoringContext {
  config: MonitoringConfig;
  /** The run's id, the canary's `run` label. */
  runId: string;
  /** Raises (1) or lowers (0) the canary gauge on the worker's /metrics; absent when the worker serves no /metrics. */
  setCanary?: (runId: string, value: 0 | 1) => void;
  /** The alert the shipped rule raises from the canary (tests name one that no rule raises). */
  canaryAlertName?: string;
  /** How long to wait for the canary alert before `fail` (default 90 s). */
  alertWaitMs?: number;
  pollMs?: number;
}

const unset = (ctx: MonitoringContext): CheckOutcome | undefined =>
  ctx.config.state === 'configured'
    ? undefined
    : { status: ctx.config.state === 'unset' ? 'skipped' : 'fail', reason: ctx.config.reason };

const prom = (ctx: MonitoringContext): PrometheusClient => {
  if (ctx.config.state !== 'configured') throw new Error(ctx.config.reason);
  return new PrometheusClient(ctx.config.prometheus);
};

export const prometheusHealth: CheckDefinition<MonitoringContext> = {
  id: 'prometheus-health',
  title: 'Prometheus is ready and healthy',
  description: `GET /-/ready and /-/healthy answer 200, each within ${LatencyTargetMs.health / 1000} s.`,
  timeoutMs: 20_000,
  async run(ctx, signal) {
    const skip = unset(ctx);
    if (skip) return skip;
    const p = prom(ctx);
    const ready = await p.probe('/-/ready', signal);
    const healthy = await p.probe('/-/healthy', signal);
    const evidence = {
      readyStatus: ready.status,
      healthyStatus: healthy.status,
      readyMs: ready.ms,
      healthyMs: healthy.ms,
    };
    const metrics = [{ name: 'prometheusHealthMs', value: Math.max(ready.ms, healthy.ms), unit: 'ms' as const }];
    if (!ready.ok || !healthy.ok) {
      return {
        status: 'fail',
        reason: `Prometheus is not ready/healthy (ready HTTP ${ready.status}, healthy HTTP ${healthy.status})`,
        evidence,
        metrics,
      };
    }
    const ms = Math.max(ready.ms, healthy.ms);
    const status = gradeLatency(ms, LatencyTargetMs.health);
    return {
      status,
      reason: `Prometheus ready and healthy in ${ms} ms (target < ${LatencyTargetMs.health / 1000} s)`,
      evidence,
      metrics,
    };
  },
};

export const controlPlaneTargets: CheckDefinition<MonitoringContext> = {
  id: 'prometheus-targets',
  title: 'Control-plane scrape targets are up',
  description: `The \`up\` series of the API server, scheduler, controller manager and etcd jobs (those that are scraped) are 1; the query answers within ${LatencyTargetMs.metrics / 1000} s.`,
  timeoutMs: 30_000,
  async run(ctx, signal) {
    const skip = unset(ctx);
    if (skip) return skip;
    const { samples, ms } = await prom(ctx).query('up', { signal });
    const components: Record<string, { up: number; down: number; jobs: string[] }> = {};
    for (const s of samples) {
      const c = controlPlaneComponent(s.metric.job ?? '');
      if (!c) continue;
      const entry = (components[c] ??= { up: 0, down: 0, jobs: [] });
      if (s.value === 1) entry.up += 1;
      else entry.down += 1;
      if (!entry.jobs.includes(s.metric.job ?? '')) entry.jobs.push(s.metric.job ?? '');
    }
    const notScraped = ['apiserver', 'scheduler', 'controller-manager', 'etcd'].filter((c) => !components[c]);
    const down = Object.entries(components)
      .filter(([, v]) => v.down > 0)
      .map(([k]) => k);
    const evidence = { components, notScraped, queryMs: ms, series: samples.length };
    const metrics = [{ name: 'prometheusQueryMs', value: ms, unit: 'ms' as const }];
    if (down.length)
      return { status: 'fail', reason: `control-plane targets down: ${down.join(', ')}`, evidence, metrics };
    if (!components.apiserver) {
      return {
        status: 'warn',
        reason: 'Prometheus scrapes no API server job (no `up` series with a job named like apiserver)',
        evidence,
        metrics,
      };
    }
    const status = gradeLatency(ms, LatencyTargetMs.metrics);
    const scraped = Object.keys(components).join(', ');
    const extra = notScraped.length ? `; not scraped: ${notScraped.join(', ')}` : '';
    return {
      status,
      reason: `${scraped} up; query took ${ms} ms (target < ${LatencyTargetMs.metrics / 1000} s)${extra}`,
      evidence,
      metrics,
    };
  },
};

export const resourceQuery: CheckDefinition<MonitoringContext> = {
  id: 'prometheus-resource-query',
  title: 'A resource-usage query answers in time',
  description: `A CPU-usage query (container_cpu_usage_seconds_total, else process_cpu_seconds_total) answers within ${LatencyTargetMs.resourceQuery / 1000} s.`,
  timeoutMs: 20_000,
  async run(ctx, signal) {
    const skip = unset(ctx);
    if (skip) return skip;
    const p = prom(ctx);
    let expr = 'sum by (namespace) (rate(container_cpu_usage_seconds_total[1m]))';
    let answer = await p.query(expr, { signal });
    if (answer.samples.length === 0) {
      expr = 'sum by (job) (rate(process_cpu_seconds_total[1m]))';
      answer = await p.query(expr, { signal });
    }
    const status = gradeLatency(answer.ms, LatencyTargetMs.resourceQuery);
    return {
      status,
      reason: `${expr} answered ${answer.samples.length} series in ${answer.ms} ms (target < ${LatencyTargetMs.resourceQuery / 1000} s)`,
      evidence: { expr, series: answer.samples.length, queryMs: answer.ms },
      metrics: [{ name: 'prometheusResourceQueryMs', value: answer.ms, unit: 'ms' }],
    };
  },
};

export const alertPipeline: CheckDefinition<MonitoringContext> = {
  id: 'alert-pipeline',
  title: 'An alert reaches Alertmanager',
  description:
    'Raises the canary gauge kubeproof_canary_alert{run} on the worker /metrics, waits until Alertmanager shows the KubeproofCanary alert with the run label (target < 30 s), then lowers it.',
  timeoutMs: 150_000,
  async run(ctx, signal) {
    const skip = unset(ctx);
    if (skip) return skip;
    if (ctx.config.state !== 'configured') return { status: 'skipped', reason: 'monitoring is not configured' };
    if (!ctx.config.alertmanager)
      return { status: 'skipped', reason: 'ALERTMANAGER_URL is not set: set it to test the alert pipeline' };
    if (!ctx.setCanary)
      return {
        status: 'skipped',
        reason: 'the worker serves no /metrics endpoint (KUBEPROOF_METRICS_PORT), so no canary can be raised',
      };
    const am = new AlertmanagerClient(ctx.config.alertmanager);
    const alertname = ctx.canaryAlertName ?? CanaryAlertName;
    const waitMs = ctx.alertWaitMs ?? 90_000;
    // Reachability first: an unreachable Alertmanager is a `fail` with its error, not a wait.
    await am.alerts({ alertname }, signal);
    const started = Date.now();
    ctx.setCanary(ctx.runId, 1);
    try {
      while (Date.now() - started < waitMs && !signal.aborted) {
        const { alerts } = await am.alerts({ alertname, run: ctx.runId }, signal);
        const seen = alerts.find((a) => a.labels.run === ctx.runId);
        if (seen) {
          const ms = Date.now() - started;
          return {
            status: gradeLatency(ms, LatencyTargetMs.alertDelivery),
            reason: `${alertname} for this run reached Alertmanager ${(ms / 1000).toFixed(1)} s after the canary was raised (target < ${LatencyTargetMs.alertDelivery / 1000} s)`,
            evidence: {
              alertname,
              deliveryMs: ms,
              fingerprint: seen.fingerprint,
              state: seen.status.state,
              startsAt: seen.startsAt,
            },
            metrics: [{ name: 'alertDeliveryMs', value: ms, unit: 'ms' }],
          };
        }
        await new Promise((r) => setTimeout(r, ctx.pollMs ?? 500));
      }
      const waited = Date.now() - started;
      return {
        status: 'fail',
        reason: `${alertname} for this run did not reach Alertmanager within ${(waited / 1000).toFixed(1)} s: check that Prometheus scrapes the worker's /metrics, loads deploy/monitoring/kubeproof-rules.yaml and alerts to this Alertmanager`,
        evidence: { alertname, waitedMs: waited },
      };
    } finally {
      ctx.setCanary(ctx.runId, 0);
    }
  },
};

export const monitoringChecks: readonly CheckDefinition<MonitoringContext>[] = [
  prometheusHealth,
  controlPlaneTargets,
  resourceQuery,
  alertPipeline,
];

/** Runs every monitoring check in order; never throws for a check (an error is that check's `fail`). */
export function runMonitoringChecks(ctx: MonitoringContext, opts: RunChecksOptions = {}): Promise<CheckResult[]> {
  return runChecks(monitoringChecks, ctx, opts);
}
