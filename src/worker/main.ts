/**
 * The worker process: polls the kubeproof task queue and runs workflows and activities.
 * SIGINT/SIGTERM shut it down gracefully (running activities get the grace time, then are cancelled).
 */
import { Runtime } from '@temporalio/worker';
import { createWorker } from './create-worker';
import { parseMetricsEnv, sdkTelemetryOptions, setCanary, startMetricsServer } from './metrics';
import { resolveWorkerConfig, workerConnection, workerDeps, type WorkerConfig } from './config';

export async function runWorker(cfg: WorkerConfig = resolveWorkerConfig(process.env)): Promise<void> {
  const metricsEnv = parseMetricsEnv(cfg.env);
  // The SDK's own worker metrics, on a port of their own, only when asked for (two workers on one host would clash).
  if (cfg.env.KUBEPROOF_SDK_METRICS_PORT) Runtime.install({ telemetryOptions: sdkTelemetryOptions(metricsEnv) });
  const metrics = await startMetricsServer({
    host: metricsEnv.KUBEPROOF_METRICS_HOST,
    port: metricsEnv.KUBEPROOF_METRICS_PORT,
  }).catch((error: unknown) => {
    console.error(
      `kubeproof worker: no /metrics (${error instanceof Error ? error.message : String(error)}); the alert-pipeline check will be skipped`,
    );
    return undefined;
  });
  const { worker, close } = await createWorker({
    ...workerConnection(cfg),
    taskQueue: cfg.taskQueue,
    // The canary gauge is served only when this worker serves /metrics.
    deps: { ...workerDeps(cfg), ...(metrics ? { canary: setCanary } : {}) },
  });
  // The SDK installs SIGINT/SIGTERM handlers that call worker.shutdown(); run() resolves once drained.
  console.error(
    `kubeproof worker polling task queue "${cfg.taskQueue}" on ${cfg.address} (${cfg.namespace}, ${cfg.temporal.security}), serving clusters: ${cfg.clusters.names().join(', ')}`,
  );
  if (metrics) console.error(`kubeproof worker metrics at ${metrics.url}`);
  try {
    await worker.run();
  } finally {
    await close();
    await metrics?.close();
  }
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(`kubeproof worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  });
}
