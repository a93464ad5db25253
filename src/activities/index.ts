/**
 * All activities, built from their dependencies. Workflows import this module by type only
 * (`import type * as activities`), so nothing here is ever bundled into the workflow sandbox.
 */
import { createAnalysisActivities, type AnalysisDeps } from './analysis';
import { createClusterActivities, type ClusterDeps } from './cluster';
import { typed } from './failures';
import { createJanitorActivities, type JanitorDeps } from './janitor';
import { createLedgerActivities, type LedgerDeps } from './ledger';
import { createMonitoringActivities, type MonitoringDeps } from './monitoring';

export type ActivityDeps = ClusterDeps & AnalysisDeps & LedgerDeps & JanitorDeps & MonitoringDeps;

export function createActivities(deps: ActivityDeps) {
  const all = {
    ...createClusterActivities(deps),
    ...createAnalysisActivities(deps),
    ...createLedgerActivities(deps),
    ...createJanitorActivities(deps),
    ...createMonitoringActivities(deps),
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [name, typed(fn as (...a: unknown[]) => Promise<unknown>)]),
  ) as typeof all;
}
