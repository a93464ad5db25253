/**
 * Deleting everything a run created, found by its run-id label (never by name), and verifying nothing is left.
 * Idempotent: a namespace that is already gone counts as deleted, so compensation may run it any number of times.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { call, classify, isNotFound } from './api-errors';
import type { KubeClients } from './client';
import { runSelector } from './render';

export interface CleanupResult {
  /** Objects removed, as Kind/namespace/name (a namespace's content is counted before it is deleted). */
  deleted: string[];
  /** Objects still present after the wait; empty on success. */
  left: string[];
  durationMs: number;
}

async function inventory(clients: KubeClients, selector: string): Promise<string[]> {
  const [deployments, services, configMaps, pods] = await Promise.all([
    call('listing run deployments', () => clients.apps.listDeploymentForAllNamespaces({ labelSelector: selector })),
    call('listing run services', () => clients.core.listServiceForAllNamespaces({ labelSelector: selector })),
    call('listing run configmaps', () => clients.core.listConfigMapForAllNamespaces({ labelSelector: selector })),
    call('listing run pods', () => clients.core.listPodForAllNamespaces({ labelSelector: selector })),
  ]);
  const name = (kind: string) => (o: { metadata?: { namespace?: string; name?: string } }) =>
    `${kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
  return [
    ...deployments.items.map(name('Deployment')),
    ...services.items.map(name('Service')),
    ...configMaps.items.map(name('ConfigMap')),
    ...pods.items.map(name('Pod')),
  ];
}

export async function deleteRun(
  clients: KubeClients,
  runId: string,
  opts: { timeoutMs?: number; heartbeat?: (() => void) | undefined } = {},
): Promise<CleanupResult> {
  const started = Date.now();
  const selector = runSelector(runId);
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const namespaces = await call('listing run namespaces', () =>
    clients.core.listNamespace({ labelSelector: selector }),
  );
  const deleted = await inventory(clients, selector);
  for (const ns of namespaces.items) {
    const name = ns.metadata!.name!;
    deleted.push(`Namespace/${name}`);
    if (ns.metadata?.deletionTimestamp) continue;
    try {
      await clients.core.deleteNamespace({ name, propagationPolicy: 'Background' });
    } catch (error) {
      if (!isNotFound(error)) throw classify(error, `deleting namespace ${name}`);
    }
  }
  let left: string[] = [];
  const deadline = started + timeoutMs;
  do {
    opts.heartbeat?.();
    const remaining = await call('listing run namespaces', () =>
      clients.core.listNamespace({ labelSelector: selector }),
    );
    left = [...remaining.items.map((n) => `Namespace/${n.metadata?.name}`), ...(await inventory(clients, selector))];
    if (left.length === 0) break;
    await sleep(500);
  } while (Date.now() < deadline);
  return { deleted, left, durationMs: Date.now() - started };
}

/** Undo of one applied service: deletes its Deployment, Service and ConfigMap by name. 404 means done. */
export async function deleteService(clients: KubeClients, namespace: string, service: string): Promise<string[]> {
  const deleted: string[] = [];
  const attempts: [string, () => Promise<unknown>][] = [
    [
      'Deployment',
      () => clients.apps.deleteNamespacedDeployment({ name: service, namespace, propagationPolicy: 'Background' }),
    ],
    ['Service', () => clients.core.deleteNamespacedService({ name: service, namespace })],
    ['ConfigMap', () => clients.core.deleteNamespacedConfigMap({ name: `${service}-env`, namespace })],
  ];
  for (const [kind, remove] of attempts) {
    try {
      await remove();
      deleted.push(`${kind}/${namespace}/${service}`);
    } catch (error) {
      if (!isNotFound(error)) throw classify(error, `deleting ${kind} ${namespace}/${service}`);
    }
  }
  return deleted;
}
