/**
 * The janitor's I/O on the cluster: list kubeproof's namespaces (by the managed-by label; the plan then checks the
 * full identity), and delete the chosen ones and verify they are gone. It needs only the permissions a worker
 * already has on namespaces: list, get, delete.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { call, classify, isNotFound } from '../k8s/api-errors';
import type { KubeClients } from '../k8s/client';
import { Label } from '../k8s/render';
import type { NamespaceInfo } from './plan';

export async function listKubeproofNamespaces(clients: KubeClients): Promise<NamespaceInfo[]> {
  const list = await call('listing kubeproof namespaces', () =>
    clients.core.listNamespace({ labelSelector: `${Label.ManagedBy}=kubeproof` }),
  );
  return list.items.map((ns) => ({
    name: ns.metadata!.name!,
    labels: ns.metadata?.labels ?? {},
    annotations: ns.metadata?.annotations ?? {},
    createdAt: ns.metadata?.creationTimestamp ? new Date(ns.metadata.creationTimestamp).getTime() : 0,
    deleting: Boolean(ns.metadata?.deletionTimestamp),
  }));
}

/** Deletes each namespace (404 = done) and waits until all are gone; returns those still present at the deadline. */
export async function deleteNamespaces(
  clients: KubeClients,
  names: readonly string[],
  opts: { timeoutMs?: number; heartbeat?: () => void } = {},
): Promise<{ deleted: string[]; left: string[] }> {
  for (const name of names) {
    try {
      await clients.core.deleteNamespace({ name, propagationPolicy: 'Background' });
    } catch (error) {
      if (!isNotFound(error)) throw classify(error, `deleting namespace ${name}`);
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  let left = [...names];
  while (left.length > 0 && Date.now() < deadline) {
    opts.heartbeat?.();
    const still: string[] = [];
    for (const name of left) {
      const present = await clients.core.readNamespace({ name }).then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw classify(error, `reading namespace ${name}`);
        },
      );
      if (present) still.push(name);
    }
    left = still;
    if (left.length > 0) await sleep(500);
  }
  return { deleted: names.filter((n) => !left.includes(n)), left };
}
