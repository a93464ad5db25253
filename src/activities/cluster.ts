/** Activities that talk to the cluster: thin adapters over src/k8s, with heartbeats and cancellation. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import type { MetricSamples } from '../baseline/types';
import * as kube from '../k8s';
import type {
  AwaitRequest,
  AwaitResult,
  CleanupResult,
  ClusterRef,
  HealthReport,
  PodTimeline,
  RunIdentity,
} from '../k8s';
import type { ServiceSpec } from '../scenarios/schema';

export interface ClusterDeps {
  /** Used when a run does not name a kubeconfig of its own. */
  defaultCluster: ClusterRef;
  probeLoopbackOnly: boolean;
}

interface RunArgs {
  run: RunIdentity;
  cluster: ClusterRef;
}

const heartbeat = () => Context.current().heartbeat();
const signal = () => Context.current().cancellationSignal;

export function createClusterActivities(deps: ClusterDeps) {
  const clients = (ref: ClusterRef) =>
    kube.connect({
      kubeconfig: ref.kubeconfig ?? deps.defaultCluster.kubeconfig,
      context: ref.context ?? (ref.kubeconfig ? undefined : deps.defaultCluster.context),
    });

  return {
    async applyNamespace({ run, cluster }: RunArgs): Promise<{ namespace: string }> {
      return { namespace: await kube.applyNamespace(clients(cluster), run) };
    },

    async deployService({
      run,
      cluster,
      service,
      timeoutMs,
      notBefore,
    }: RunArgs & { service: ServiceSpec; timeoutMs: number; notBefore?: number }): Promise<
      AwaitResult & { objects: string[] }
    > {
      return kube.deployService(clients(cluster), run, service, timeoutMs, { heartbeat, signal: signal(), notBefore });
    },

    async awaitService({ cluster, request }: { cluster: ClusterRef; request: AwaitRequest }): Promise<AwaitResult> {
      return kube.awaitService(clients(cluster), request, { heartbeat, signal: signal() });
    },

    async checkHealth({ run, cluster, services }: RunArgs & { services: ServiceSpec[] }): Promise<HealthReport> {
      // Endpoints and probes lag readiness by a moment: give an unhealthy report a few seconds to converge.
      const settleUntil = Date.now() + 15_000;
      for (;;) {
        const report = await kube.checkHealth(clients(cluster), run, services, {
          probeLoopbackOnly: deps.probeLoopbackOnly,
          onService: heartbeat,
        });
        if (report.healthy || Date.now() >= settleUntil) return report;
        heartbeat();
        await sleep(1000);
      }
    },

    async measureBaseline({
      run,
      cluster,
      target,
      samples,
      sampleTimeoutMs,
      pods,
    }: RunArgs & { target: ServiceSpec; samples: number; sampleTimeoutMs: number; pods: PodTimeline[] }): Promise<{
      samples: MetricSamples[];
    }> {
      const c = clients(cluster);
      const opts = { samples, sampleTimeoutMs, heartbeat, signal: signal() };
      return {
        samples: [
          kube.podReadySamples(pods),
          await kube.measureScaleOut(c, run, target, opts),
          await kube.measureRollingRestart(c, run, target, opts),
          await kube.measureApiRoundTrips(c, run, opts),
        ],
      };
    },

    async deleteService({ run, cluster, service }: RunArgs & { service: string }): Promise<{ deleted: string[] }> {
      return { deleted: await kube.deleteService(clients(cluster), kube.namespaceName(run), service) };
    },

    async cleanupRun({ run, cluster }: RunArgs): Promise<CleanupResult> {
      return kube.deleteRun(clients(cluster), run.runId, { heartbeat });
    },
  };
}
