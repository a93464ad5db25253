/** Latency targets from the seed, and how a measured latency is graded against one. */
import type { CheckStatus } from '../run/checks';

export const LatencyTargetMs = { health: 5_000, metrics: 10_000, resourceQuery: 3_000, alertDelivery: 30_000 } as const;

/** Within the target: pass; slower: warn (the API works, but slower than a production monitoring stack should be). */
export function gradeLatency(ms: number, targetMs: number): CheckStatus {
  return ms <= targetMs ? 'pass' : 'warn';
}

/**
 * Which control-plane component a scrape job stands for, by its `job` label (the names kube-prometheus-stack,
 * kubeadm guides and the local stack use), or undefined for any other job.
 */
export function controlPlaneComponent(
  job: string,
): 'apiserver' | 'scheduler' | 'controller-manager' | 'etcd' | undefined {
  const j = job.toLowerCase();
  if (/apiserver/.test(j)) return 'apiserver';
  if (/scheduler/.test(j)) return 'scheduler';
  if (/controller[-_]?manager/.test(j)) return 'controller-manager';
  if (/etcd/.test(j)) return 'etcd';
  return undefined;
}
