/** The cluster readiness checks, in the order the health step runs them, and selection by `spec.checks`. */
import { apiLatencyCheck } from './api-latency';
import { addonChecks, certificateCheck, controlPlaneCheck, nodesCheck } from './cluster-state';
import type { ClusterCheckContext } from './context';
import type { CheckDefinition } from './model';
import { pdbCheck } from './pdb';
import { podSecurityCheck } from './pod-security';
import { podStartupCheck } from './pod-startup';
import { daemonSetCheck, quotaCheck } from './workload-policies';

export const clusterChecks: readonly CheckDefinition<ClusterCheckContext>[] = [
  nodesCheck,
  controlPlaneCheck,
  certificateCheck,
  apiLatencyCheck(),
  podStartupCheck,
  pdbCheck,
  podSecurityCheck,
  quotaCheck,
  daemonSetCheck,
  ...addonChecks,
];

/** The checks a scenario selects (`spec.checks`), in registry order; all of them when it names none. */
export function selectChecks<Ctx>(
  checks: readonly CheckDefinition<Ctx>[],
  ids: readonly string[] | undefined,
): CheckDefinition<Ctx>[] {
  return ids === undefined ? [...checks] : checks.filter((check) => ids.includes(check.id));
}
