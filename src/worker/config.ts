/**
 * A worker's configuration: the environment parsed once by the one schema (src/config/env.ts), the command's flags
 * on top, and the clusters it serves (src/config/clusters.ts). The `kubeproof worker` process, `kubeproof dev` and
 * `run --embedded-worker` all build it here, so they read the same values the same way.
 */
import type { ActivityDeps } from '../activities';
import type { KeyRing } from '../codec';
import { loadClusterRegistry, type RegistryOptions } from '../config/clusters';
import { parseEnv, resolveSettings, type Settings, type SettingsFlags } from '../config/env';
import type { TemporalTarget } from '../config/temporal';
import type { ClusterRegistry } from '../k8s/registry';

export interface WorkerConfig {
  address: string;
  namespace: string;
  /** How to connect (src/config/temporal.ts). */
  temporal: TemporalTarget;
  /** Payload encryption keys, when configured. */
  codecKeys?: KeyRing;
  taskQueue: string;
  /** The clusters this worker serves; runs name one of them. */
  clusters: ClusterRegistry;
  /** Health probes may only target loopback (the local stack's simulated pods have fake IPs). */
  probeLoopbackOnly: boolean;
  /**
   * The environment the AI settings are read from (src/ai/ai-env.ts, parsed by the analysis activities): the
   * API key stays in the worker and never travels in workflow inputs.
   */
  env: NodeJS.ProcessEnv;
}

/** A worker's configuration from settings already resolved (the CLI's own, for the embedded worker). */
export function workerConfig(settings: Settings, env: NodeJS.ProcessEnv, opts: RegistryOptions = {}): WorkerConfig {
  return {
    address: settings.address,
    namespace: settings.namespace,
    temporal: settings.temporal,
    ...(settings.codecKeys ? { codecKeys: settings.codecKeys } : {}),
    taskQueue: settings.taskQueue,
    clusters: loadClusterRegistry(settings, opts),
    probeLoopbackOnly: settings.probeLoopbackOnly,
    env,
  };
}

/**
 * Parses the environment (once) and applies the flags. Throws KubeproofError InvalidConfiguration for a bad
 * variable or clusters file.
 */
export function resolveWorkerConfig(env: NodeJS.ProcessEnv = process.env, flags: SettingsFlags = {}): WorkerConfig {
  return workerConfig(resolveSettings(parseEnv(env), flags), env);
}

/** What `createWorker` takes to connect: the same for the worker process and the embedded worker. */
export function workerConnection(cfg: WorkerConfig) {
  return { temporal: cfg.temporal.connect, namespace: cfg.namespace, codecKeys: cfg.codecKeys };
}

/** What `createWorker` takes as `deps` (it adds the Temporal client itself). */
export function workerDeps(cfg: WorkerConfig): ActivityDeps {
  return { clusters: cfg.clusters, probeLoopbackOnly: cfg.probeLoopbackOnly, env: cfg.env };
}
