/** Activities that talk to the cluster: thin adapters over src/k8s, with heartbeats and cancellation. */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { MetricSamples } from '../baseline/types';
import * as kube from '../k8s';
import type { ClusterRegistry } from '../k8s/registry';
import { settleHealth } from '../k8s/settle';
import type { AwaitRequest, AwaitResult, CleanupResult, HealthReport, PodTimeline, RunIdentity } from '../k8s';
import { clusterChecks, runChecks, selectChecks } from '../checks';
import { formatPreflightProblems, runPreflight, type PreflightResult } from '../preflight';
import type { CheckResult } from '../run/checks';
import { WAVE_APPLIED_SIGNAL, type WaveApplied } from '../run/contracts';
import type { Scenario, ServiceSpec } from '../scenarios/schema';

/** Preflight's result with its problems already formatted for the run failure. */
export type PreflightOutcome = PreflightResult & { message: string };

export interface ClusterDeps {
  clusters: ClusterRegistry;
  probeLoopbackOnly: boolean;
  /** The worker's client: a wave tells its run when it is applied (optional; without it, nothing is told). */
  temporal?: { client: Client } | undefined;
}

interface RunArgs {
  run: RunIdentity;
  /** The cluster's name in this worker's registry. */
  cluster: string;
}

const heartbeat = () => Context.current().heartbeat();
const signal = () => Context.current().cancellationSignal;

export function createClusterActivities(deps: ClusterDeps) {
  const clients = (name: string) => kube.connect(deps.clusters.resolve(name));

  /**
   * Tells the run that a wave is applied, so it starts the next one now. Only a head start: a signal that is lost
   * (no client, a failed call, a closed run) costs the round trip the run would have paid anyway, never the run.
   */
  const tellApplied = (run: RunIdentity, wave: number) => {
    if (!deps.temporal || !run.workflowId) return;
    const logger = Context.current().log;
    const applied: WaveApplied = { wave };
    deps.temporal.client.workflow
      .getHandle(run.workflowId)
      .signal(WAVE_APPLIED_SIGNAL, applied)
      .catch((error: unknown) => {
        logger.warn('could not tell the run a wave was applied', { wave, error: String(error) });
      });
  };

  return {
    /**
     * Preflight: reads only (version, access reviews, nodes, pods). The problems come back as one message naming
     * what is missing and what to do, so the workflow fails the step without parsing anything.
     */
    async preflight({
      run,
      cluster,
      scenario,
      baselineTarget,
    }: RunArgs & { scenario: Scenario; baselineTarget?: string }): Promise<PreflightOutcome> {
      heartbeat();
      const result = await runPreflight(clients(cluster), {
        scenario,
        namespace: kube.namespaceName(run),
        baselineTarget,
      });
      return { ...result, message: formatPreflightProblems(result) };
    },

    /** The cluster readiness checks the scenario selects, each bounded in time, in the run namespace. */
    async runClusterChecks({
      run,
      cluster,
      checks,
      pods,
    }: RunArgs & { checks?: string[]; pods: PodTimeline[] }): Promise<CheckResult[]> {
      // Some checks take a minute (PDB, DaemonSet): heartbeat on a clock, not only between checks.
      const beat = setInterval(heartbeat, 5000);
      try {
        return await runChecks(
          selectChecks(clusterChecks, checks),
          { clients: clients(cluster), namespace: kube.namespaceName(run), labels: kube.runLabels(run), pods },
          { signal: signal(), onCheck: heartbeat },
        );
      } finally {
        clearInterval(beat);
      }
    },

    /** Heartbeats first, so a cancellation requested while the create is in flight waits for it to land. */
    async applyNamespace({
      run,
      cluster,
      resourceQuota,
    }: RunArgs & { resourceQuota?: { hard: Record<string, string> } }): Promise<{ namespace: string }> {
      heartbeat();
      const namespace = await kube.applyNamespace(clients(cluster), run);
      await kube.applyQuota(clients(cluster), run, resourceQuota);
      return { namespace };
    },

    async deployService({
      run,
      cluster,
      service,
      timeoutMs,
      notBefore,
      images,
    }: RunArgs & { service: ServiceSpec; timeoutMs: number; notBefore?: number; images?: kube.ImageOptions }): Promise<
      AwaitResult & { objects: string[] }
    > {
      return kube.deployService(clients(cluster), run, service, timeoutMs, {
        heartbeat,
        signal: signal(),
        notBefore,
        images,
      });
    },

    /**
     * One wave: applies its services and follows them all to Ready with one watch (src/k8s/deploy.ts). Replaces
     * one deployService per service; that one stays registered for runs recorded before the change.
     */
    async deployWave({
      run,
      cluster,
      services,
      timeoutsMs,
      notBefore,
      images,
      dependencies,
      wave,
    }: RunArgs & {
      services: ServiceSpec[];
      timeoutsMs: Record<string, number>;
      notBefore: number;
      images?: kube.ImageOptions;
      /** Edges into the wave that it awaits itself before applying (runs that start waves early). */
      dependencies?: kube.DependencyEdge[];
      /** The wave's index: when given, the run is told once the wave is applied (WAVE_APPLIED_SIGNAL). */
      wave?: number;
    }): Promise<{ services: kube.DeployedService[]; blocked?: kube.BlockedDependency }> {
      heartbeat();
      return kube.deployWave(
        clients(cluster),
        { run, services, timeoutsMs, notBefore, images, dependencies },
        { heartbeat, signal: signal(), onApplied: wave === undefined ? undefined : () => tellApplied(run, wave) },
      );
    },

    async awaitService({ cluster, request }: { cluster: string; request: AwaitRequest }): Promise<AwaitResult> {
      return kube.awaitService(clients(cluster), request, { heartbeat, signal: signal() });
    },

    /**
     * Endpoints and probes lag readiness by a moment: an unhealthy report gets `settleMs` (default 15 s) to
     * converge. `settleMs: 0` takes one snapshot (the evidence of a failed run, read before cleanup).
     */
    async checkHealth({
      run,
      cluster,
      services,
      settleMs = 15_000,
      allowLinkLocal = false,
    }: RunArgs & { services: ServiceSpec[]; settleMs?: number; allowLinkLocal?: boolean }): Promise<HealthReport> {
      const check = () =>
        kube.checkHealth(clients(cluster), run, services, {
          probeLoopbackOnly: deps.probeLoopbackOnly,
          allowLinkLocal,
          onService: heartbeat,
        });
      return settleHealth(check, { settleMs, onWait: heartbeat });
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

    /** Deletes the run namespace by name and by the run's label, and verifies both are gone. */
    async cleanupRun({ run, cluster, namespace }: RunArgs & { namespace: string }): Promise<CleanupResult> {
      return kube.deleteRun(
        clients(cluster),
        { runKey: run.runId, namespace, workflowId: run.workflowId },
        { heartbeat },
      );
    },
  };
}
