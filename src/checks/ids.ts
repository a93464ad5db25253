/**
 * The ids of the cluster readiness checks, as written in `spec.checks`. Pure (no client code) so the scenario
 * schema can validate ids without importing the checks themselves; the registry (src/checks/registry.ts) has
 * exactly one definition per id, which a unit test holds it to. The monitoring checks add their ids here.
 */
export const ClusterCheckId = {
  ApiLatency: 'api-latency',
  PodStartup: 'pod-startup',
  Pdb: 'pdb',
  PodSecurity: 'pod-security',
  Quota: 'quota',
  DaemonSet: 'daemonset',
  Nodes: 'nodes',
  Certificate: 'certificate',
  ControlPlane: 'control-plane',
  AddonDns: 'addon-dns',
  AddonMetrics: 'addon-metrics',
  AddonStorage: 'addon-storage',
  AddonIngress: 'addon-ingress',
} as const;
export type ClusterCheckId = (typeof ClusterCheckId)[keyof typeof ClusterCheckId];

export const clusterCheckIds: readonly string[] = Object.values(ClusterCheckId);
