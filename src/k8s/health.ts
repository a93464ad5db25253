/**
 * The health step's checks, per service: replicas ready vs desired, EndpointSlices, restarts, warning events,
 * readiness probe, resource usage (metrics.k8s.io when served, otherwise reported unavailable, never invented),
 * and an optional HTTP probe of a user-supplied URL.
 */
import * as k8s from '@kubernetes/client-node';
import { parseQuantity } from '../scenarios/quantity';
import type { ServiceSpec } from '../scenarios/schema';
import { call, isNotFound } from './api-errors';
import type { KubeClients } from './client';
import { readyEndpoints } from './deploy';
import { type RunIdentity, namespaceName, serviceSelector } from './render';
import type { HealthReport, HttpProbeResult, ResourceUsage, ServiceHealth, WarningEvent } from './types';

export interface HealthOptions {
  /** When true, probe URLs must point at loopback (the local stack's rule). */
  probeLoopbackOnly?: boolean;
  probeTimeoutMs?: number;
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

async function usage(
  clients: KubeClients,
  namespace: string,
  service: string,
  served: boolean,
): Promise<ResourceUsage> {
  if (!served) return { available: false, reason: 'metrics.k8s.io is not served by this cluster (no metrics-server)' };
  const metrics = new k8s.Metrics(clients.config);
  const pods = await metrics.getPodMetrics(namespace);
  let cpu = 0;
  let memory = 0;
  for (const pod of pods.items.filter((p) => p.metadata.name.startsWith(`${service}-`))) {
    for (const c of pod.containers) {
      cpu += (parseQuantity(c.usage.cpu) ?? 0) * 1000;
      memory += parseQuantity(c.usage.memory) ?? 0;
    }
  }
  return { available: true, cpuMillicores: Math.round(cpu), memoryBytes: memory };
}

export async function probeUrl(url: string, opts: HealthOptions = {}): Promise<HttpProbeResult> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (opts.probeLoopbackOnly && !['127.0.0.1', '::1', 'localhost'].includes(host)) {
    return {
      url,
      ok: false,
      error: `refused: ${host} is not a loopback address (the local stack only probes loopback)`,
    };
  }
  const started = Date.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.probeTimeoutMs ?? 5000), redirect: 'manual' });
    await res.arrayBuffer();
    return { url, ok: res.status < 400, status: res.status, latencyMs: Date.now() - started };
  } catch (error) {
    return { url, ok: false, latencyMs: Date.now() - started, error: (error as Error).message };
  }
}

export async function checkHealth(
  clients: KubeClients,
  run: RunIdentity,
  services: ServiceSpec[],
  opts: HealthOptions = {},
): Promise<HealthReport> {
  const namespace = namespaceName(run);
  const served = await metricsServed(clients, namespace).catch(() => false);
  const events = await call(`listing warning events in ${namespace}`, () =>
    clients.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
  );
  const results: ServiceHealth[] = [];
  for (const svc of services) {
    opts.onService?.();
    const deployment = await call(`reading Deployment ${namespace}/${svc.name}`, () =>
      clients.apps.readNamespacedDeployment({ name: svc.name, namespace }),
    );
    const pods = await call(`listing pods of ${svc.name}`, () =>
      clients.core.listNamespacedPod({ namespace, labelSelector: serviceSelector(run.runId, svc.name) }),
    );
    const podNames = new Set(pods.items.map((p) => p.metadata?.name));
    const belongs = (e: k8s.CoreV1Event) =>
      podNames.has(e.involvedObject.name) ||
      e.involvedObject.name === svc.name ||
      (e.involvedObject.kind === 'ReplicaSet' && e.involvedObject.name?.startsWith(`${svc.name}-`));
    const warningEvents: WarningEvent[] = events.items.filter(belongs).map((e) => ({
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.count ?? 1,
    }));
    const desired = deployment.spec?.replicas ?? svc.replicas;
    const ready = deployment.status?.readyReplicas ?? 0;
    const restarts = pods.items.reduce(
      (sum, p) => sum + (p.status?.containerStatuses ?? []).reduce((s, c) => s + c.restartCount, 0),
      0,
    );
    const endpoints =
      svc.ports.length > 0 ? await readyEndpoints(clients, namespace, svc.name) : { ready: 0, notReady: 0 };
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
      resourceUsage: await usage(clients, namespace, svc.name, served).catch(
        (error: unknown): ResourceUsage => ({
          available: false,
          reason: `metrics query failed: ${(error as Error).message}`,
        }),
      ),
      ...(probe ? { probe } : {}),
      problems,
      healthy: problems.length === 0,
    });
  }
  return { checkedAt: new Date().toISOString(), healthy: results.every((s) => s.healthy), services: results };
}
