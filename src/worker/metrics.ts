/**
 * kubeproof's own metrics, served on the worker's /metrics in Prometheus format (prom-client, not hand-written
 * exposition), and the Temporal SDK's worker metrics through the SDK runtime's own Prometheus exporter.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import { withoutBlanks } from '../config/env';

export const MetricsEnvSchema = z.object({
  /** Port of kubeproof's /metrics; 0 picks a free port. */
  KUBEPROOF_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  KUBEPROOF_METRICS_HOST: z.string().default('127.0.0.1'),
  /** Port of the Temporal SDK's own Prometheus exporter. */
  KUBEPROOF_SDK_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9465),
});
export type MetricsEnv = z.output<typeof MetricsEnvSchema>;

/** Throws an Error naming each bad variable. */
export function parseMetricsEnv(env: Readonly<Record<string, string | undefined>>): MetricsEnv {
  const parsed = MetricsEnvSchema.safeParse(withoutBlanks(env));
  if (parsed.success) return parsed.data;
  throw new Error(`invalid metrics environment: ${z.prettifyError(parsed.error)}; fix or unset the variable`);
}

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'kubeproof_process_' });

const runs = new Counter({
  name: 'kubeproof_runs_total',
  help: 'Validation runs finished, by scenario, cluster and verdict.',
  labelNames: ['scenario', 'cluster', 'verdict'] as const,
  registers: [registry],
});
const steps = new Histogram({
  name: 'kubeproof_step_duration_seconds',
  help: 'Duration of each run step (plan, preflight, deploy, health, ai, baseline, cleanup).',
  labelNames: ['step'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  registers: [registry],
});
const leftovers = new Counter({
  name: 'kubeproof_cleanup_leftover_objects_total',
  help: 'Objects that cleanup could not remove, summed over runs.',
  labelNames: ['cluster'] as const,
  registers: [registry],
});
const aiCalls = new Histogram({
  name: 'kubeproof_ai_call_duration_seconds',
  help: 'AI verdict calls by outcome: model (a real model answered), fallback (rule verdict), failure.',
  labelNames: ['outcome'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
  registers: [registry],
});
const canary = new Gauge({
  name: 'kubeproof_canary_alert',
  help: "1 while a run's alert-pipeline check waits for its KubeproofCanary alert (deploy/monitoring/kubeproof-rules.yaml).",
  labelNames: ['run'] as const,
  registers: [registry],
});

export function recordRun(run: { scenario: string; cluster: string; verdict: string }): void {
  runs.inc(run);
}
export function observeStep(step: string, ms: number): void {
  steps.observe({ step }, ms / 1000);
}
export function recordCleanupLeftovers(cluster: string, count: number): void {
  leftovers.inc({ cluster }, count);
}
export type AiCallOutcome = 'model' | 'fallback' | 'failure';
export function observeAiCall(outcome: AiCallOutcome, ms: number): void {
  aiCalls.observe({ outcome }, ms / 1000);
}
/** Raises the canary for a run (1), or lowers it (0), which removes the run's series so runs leave none behind. */
export function setCanary(runId: string, value: 0 | 1): void {
  if (value === 1) canary.set({ run: runId }, 1);
  else canary.remove({ run: runId });
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `registry` on GET /metrics. Resolves once listening; rejects when the port is taken. */
export function startMetricsServer(opts: { host?: string; port?: number } = {}): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('kubeproof serves /metrics only\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new Error(
          `cannot serve /metrics on ${host}:${opts.port ?? 9464}: ${error.message}; set KUBEPROOF_METRICS_PORT`,
        ),
      ),
    );
    server.listen(opts.port ?? 9464, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * The SDK runtime's telemetry options that export the Temporal worker's own metrics (`temporal_*`) in Prometheus
 * format; pass them to `Runtime.install({ telemetryOptions })` before any connection is made.
 */
export function sdkTelemetryOptions(env: MetricsEnv): { metrics: { prometheus: { bindAddress: string } } } {
  const host = env.KUBEPROOF_METRICS_HOST.includes(':')
    ? `[${env.KUBEPROOF_METRICS_HOST}]`
    : env.KUBEPROOF_METRICS_HOST;
  return { metrics: { prometheus: { bindAddress: `${host}:${env.KUBEPROOF_SDK_METRICS_PORT}` } } };
}
