/**
 * The worker process: polls the kubeproof task queue and runs workflows and activities.
 * SIGINT/SIGTERM shut it down gracefully (running activities get the grace time, then are cancelled).
 */
import { registryOf } from '../k8s/registry';
import { createWorker } from './create-worker';
import { parseWorkerEnv } from './config';

export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cfg = parseWorkerEnv(env);
  const { worker, close } = await createWorker({
    address: cfg.TEMPORAL_ADDRESS,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.KUBEPROOF_TASK_QUEUE,
    deps: {
      clusters: registryOf({
        [env.KUBEPROOF_CLUSTER_NAME || "local"]: { kubeconfig: cfg.KUBECONFIG, context: cfg.KUBEPROOF_CONTEXT },
      }),
      probeLoopbackOnly: cfg.KUBEPROOF_PROBE_LOOPBACK_ONLY,
      env,
    },
  });
  // The SDK installs SIGINT/SIGTERM handlers that call worker.shutdown(); run() resolves once drained.
  console.error(
    `kubeproof worker polling task queue "${cfg.KUBEPROOF_TASK_QUEUE}" on ${cfg.TEMPORAL_ADDRESS} (${cfg.TEMPORAL_NAMESPACE})`,
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
