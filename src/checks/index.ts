/** Cluster readiness checks: definitions, the registry and the runner. No Temporal. */
export { clusterChecks, selectChecks } from './registry';
export { runCheck, runChecks } from './runner';
export type { RunChecksOptions } from './runner';
export type { ApiCallSample, ClusterCheckContext } from './context';
export { ClusterCheckId, clusterCheckIds } from './ids';
export type { CheckDefinition, CheckOutcome } from './model';
