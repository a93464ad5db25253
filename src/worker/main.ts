/**
 * The worker process: polls the kubeproof task queue and runs workflows and activities.
 * SIGINT/SIGTERM shut it down gracefully (running activities get the grace time, then are cancelled).
 */
import { createWorker } from './create-worker';
import { resolveWorkerConfig, workerDeps, type WorkerConfig } from './config';

export async function runWorker(cfg: WorkerConfig = resolveWorkerConfig(process.env)): Promise<void> {
  const { worker, close } = await createWorker({
    address: cfg.address,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    deps: workerDeps(cfg),
  });
  // The SDK installs SIGINT/SIGTERM handlers that call worker.shutdown(); run() resolves once drained.
  console.error(
    `kubeproof worker polling task queue "${cfg.taskQueue}" on ${cfg.address} (${cfg.namespace}), serving clusters: ${cfg.clusters.names().join(', ')}`,
  );
  try {
    await worker.run();
  } finally {
    await close();
  }
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(`kubeproof worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  });
}
