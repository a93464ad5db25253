/** The janitor's activity: one sweep of a cluster this worker serves, asking Temporal through the worker's client. */
import { Context } from '@temporalio/activity';
import { runStatuses } from '../client/run-status';
import { sweepOrphans, type JanitorReport } from '../janitor';
import * as kube from '../k8s';
import type { ClusterRegistry } from '../k8s/registry';

export interface JanitorDeps {
  clusters: ClusterRegistry;
}

export function createJanitorActivities(deps: JanitorDeps) {
  return {
    async sweepOrphanNamespaces(input: {
      cluster: string;
      graceMs?: number;
      dryRun?: boolean;
    }): Promise<JanitorReport> {
      const ctx = Context.current();
      return sweepOrphans(kube.connect(deps.clusters.resolve(input.cluster)), (ids) => runStatuses(ctx.client, ids), {
        cluster: input.cluster,
        dryRun: input.dryRun ?? false,
        ...(input.graceMs !== undefined ? { graceMs: input.graceMs } : {}),
        heartbeat: () => ctx.heartbeat(),
      });
    },
  };
}
