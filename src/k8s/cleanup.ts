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

/** What a run namespace holds (listed inside it: cleanup needs no cluster-wide list permission). */
async function inventory(clients: KubeClients, namespace: string): Promise<string[]> {
  const [deployments, services, configMaps, pods] = await Promise.all([
    call('listing deployments', () => clients.apps.listNamespacedDeployment({ namespace })),
    call('listing services', () => clients.core.listNamespacedService({ namespace })),
    call('listing configmaps', () => clients.core.listNamespacedConfigMap({ namespace })),
    call('listing pods', () => clients.core.listNamespacedPod({ namespace })),
  ]);
  const name = (kind: string) => (o: { metadata?: { name?: string } }) => `${kind}/${namespace}/${o.metadata?.name}`;
  return [
    ...deployments.items.map(name('Deployment')),
    ...services.items.map(name('Service')),
    // kube-root-ca.crt is put there by the cluster, not by the run.
    ...configMaps.items.filter((c) => c.metadata?.name !== 'kube-root-ca.crt').map(name('ConfigMap')),
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
  const listRunNamespaces = () =>
    call('listing run namespaces', () => clients.core.listNamespace({ labelSelector: selector }));
  const deleted: string[] = [];
  for (const ns of (await listRunNamespaces()).items) {
    const name = ns.metadata!.name!;
    // The inventory is for the report only: a failure to list must never keep the namespace from being deleted.
    deleted.push(...(await inventory(clients, name).catch(() => [])), `Namespace/${name}`);
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
    const remaining = (await listRunNamespaces()).items.map((n) => n.metadata!.name!);
    left = [];
    for (const name of remaining) left.push(`Namespace/${name}`, ...(await inventory(clients, name).catch(() => [])));
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
