/**
 * The health step's checks, per service: replicas ready vs desired, EndpointSlices, restarts, warning events,
 * readiness probe, resource usage (metrics.k8s.io when served, otherwise reported unavailable, never invented),
 * and an optional HTTP probe of a user-supplied URL. Objects are attributed to services by label
 * (attribution.ts), never by name prefix.
 */
import * as k8s from './client-node';
import { parseQuantity } from '../scenarios/quantity';
import type { ServiceSpec } from '../scenarios/schema';
import { call, isNotFound } from './api-errors';
import type { KubeClients } from './client';
import { SERVICE_NAME_LABEL, endpointCounts, eventsAbout, ofService, ownedObjectKeys } from './attribution';
import type { ProbeOptions } from './probe';
import { probeUrl } from './probe';
import { separateControlPlaneNotices } from './control-plane-notices';
import { type RunIdentity, namespaceName, runSelector } from './render';
import type { HealthReport, ResourceUsage, ServiceHealth, WarningEvent } from './types';

export { probeUrl } from './probe';

export interface HealthOptions extends ProbeOptions {
  /** Called before each service is checked (activity heartbeats). */
  onService?: (() => void) | undefined;
}

async function metricsServed(clients: KubeClients, namespace: string): Promise<boolean> {
  try {
    await clients.objects.list(
      'metrics.k8s.io/v1beta1',
      'PodMetrics',
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    // Discovery of an unknown group fails inside the object API before any request: same answer.
    if (/unable to find|not found/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

/** Usage summed over the pods in `podNames` (the service's pods, found by label). */
export function usageOf(metrics: readonly k8s.PodMetric[], podNames: ReadonlySet<string>): ResourceUsage {
  let cpu = 0;
  let memory = 0;
  for (const pod of metrics.filter((p) => podNames.has(p.metadata.name))) {
    for (const c of pod.containers) {
      cpu += (parseQuantity(c.usage.cpu) ?? 0) * 1000;
      memory += parseQuantity(c.usage.memory) ?? 0;
    }
  }
  return { available: true, cpuMillicores: Math.round(cpu), memoryBytes: memory };
}

async function podMetrics(clients: KubeClients, namespace: string, served: boolean): Promise<k8s.PodMetric[] | string> {
  if (!served) return 'metrics.k8s.io is not served by this cluster (no metrics-server)';
  try {
    return (await new k8s.Metrics(clients.config).getPodMetrics(namespace)).items;
  } catch (error) {
    return `metrics query failed: ${(error as Error).message}`;
  }
}

export async function checkHealth(
  clients: KubeClients,
  run: RunIdentity,
  services: ServiceSpec[],
  opts: HealthOptions = {},
): Promise<HealthReport> {
  const namespace = namespaceName(run);
  const selector = runSelector(run.runId);
  // Everything listed once per namespace, concurrently, and attributed per service by label: a settle loop that
  // re-checks every second costs a handful of calls, not two per service.
  const [served, events, allPods, replicaSets, kubeServices, slices, deployments] = await Promise.all([
    metricsServed(clients, namespace).catch(() => false),
    call(`listing warning events in ${namespace}`, () =>
      clients.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
    ),
    call(`listing pods in ${namespace}`, () => clients.core.listNamespacedPod({ namespace, labelSelector: selector })),
    call(`listing ReplicaSets in ${namespace}`, () =>
      clients.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
    ),
    call(`listing Services in ${namespace}`, () =>
      clients.core.listNamespacedService({ namespace, labelSelector: selector }),
    ),
    services.some((s) => s.ports.length > 0)
      ? call(`listing EndpointSlices in ${namespace}`, () =>
          clients.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: SERVICE_NAME_LABEL }),
        )
      : Promise.resolve({ items: [] as k8s.V1EndpointSlice[] }),
    call(`listing Deployments in ${namespace}`, () =>
      clients.apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
    ),
  ]);
  const metrics = await podMetrics(clients, namespace, served);
  const byName = new Map(deployments.items.map((d) => [d.metadata?.name ?? '', d]));
  const results: ServiceHealth[] = [];
  for (const svc of services) {
    opts.onService?.();
    // Not listed (labels changed under us): read it by name, which reports a missing one as before.
    const deployment =
      byName.get(svc.name) ??
      (await call(`reading Deployment ${namespace}/${svc.name}`, () =>
        clients.apps.readNamespacedDeployment({ name: svc.name, namespace }),
      ));
    const pods = { items: ofService(allPods.items, svc.name) };
    const owned = ownedObjectKeys(
      { deployments: [deployment], replicaSets: replicaSets.items, pods: pods.items, services: kubeServices.items },
      svc.name,
    );
    const attributed: WarningEvent[] = eventsAbout(events.items, owned).map((e) => ({
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
    }));
    const clusterIP = ofService(kubeServices.items, svc.name)[0]?.spec?.clusterIP;
    const { warnings: warningEvents, notices } = separateControlPlaneNotices(attributed, {
      hasClusterIP: clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None',
    });
    const desired = deployment.spec?.replicas ?? svc.replicas;
    // Ready pods as the pods themselves say (the same list the deploy step watched): the Deployment's
    // status.readyReplicas is the controller's later copy of that, seconds behind on a busy control plane.
    const ready = pods.items.filter(
      (p) =>
        !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    const restarts = pods.items.reduce(
      (sum, p) => sum + (p.status?.containerStatuses ?? []).reduce((s, c) => s + c.restartCount, 0),
      0,
    );
    const endpoints = svc.ports.length > 0 ? endpointCounts(slices.items, svc.name) : { ready: 0, notReady: 0 };
    const problems: string[] = [];
    if (ready < desired) {
      const waiting = pods.items
        .map(
          (p) =>
            p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message ??
            p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason,
        )
        .find(Boolean);
      problems.push(`${ready}/${desired} replicas ready${waiting ? ` (${waiting})` : ''}`);
    }
    if (svc.ports.length > 0 && endpoints.ready < desired) {
      problems.push(`Service has ${endpoints.ready} ready endpoints of ${desired}`);
    }
    const probe = svc.probeUrl ? await probeUrl(svc.probeUrl, opts) : undefined;
    if (probe && !probe.ok) problems.push(`probe ${probe.url} failed: ${probe.error ?? `HTTP ${probe.status}`}`);
    results.push({
      service: svc.name,
      desiredReplicas: desired,
      readyReplicas: ready,
      endpoints,
      restarts,
      readinessProbeConfigured: Boolean(deployment.spec?.template.spec?.containers.some((c) => c.readinessProbe)),
      warningEvents,
      ...(notices.length > 0 ? { controlPlaneNotices: notices } : {}),
      resourceUsage:
        typeof metrics === 'string'
          ? { available: false, reason: metrics }
          : usageOf(metrics, new Set(pods.items.map((p) => p.metadata?.name ?? ''))),
      ...(probe ? { probe } : {}),
      problems,
      healthy: problems.length === 0,
    });
  }
  return { checkedAt: new Date().toISOString(), healthy: results.every((s) => s.healthy), services: results };
}
