/**
 * Deleting everything a run created: its namespace, found by name and by the run's key label, and verifying
 * nothing is left.
 * Idempotent: a namespace that is already gone counts as deleted, so compensation may run it any number of times.
 */
import { call, classify, isNotFound } from './api-errors';
import type { KubeClients } from './client';
import type * as k8s from '@kubernetes/client-node';
import { ObjectWatch } from './object-watch';
import { Annotation, runSelector } from './render';

export interface CleanupResult {
  /** Objects removed, as Kind/namespace/name (a namespace's content is counted before it is deleted). */
  deleted: string[];
  /** Objects still present after the wait; empty on success. */
  left: string[];
  durationMs: number;
}

/** What a run namespace holds (listed inside it: cleanup needs no cluster-wide list permission). */
async function inventory(clients: KubeClients, namespace: string): Promise<string[]> {
  const listed = await Promise.all([
    call('listing deployments', () => clients.apps.listNamespacedDeployment({ namespace })).then(
      (l) => ['Deployment', l.items] as const,
    ),
    call('listing daemonsets', () => clients.apps.listNamespacedDaemonSet({ namespace })).then(
      (l) => ['DaemonSet', l.items] as const,
    ),
    call('listing services', () => clients.core.listNamespacedService({ namespace })).then(
      (l) => ['Service', l.items] as const,
    ),
    // kube-root-ca.crt is put there by the cluster, not by the run.
    call('listing configmaps', () => clients.core.listNamespacedConfigMap({ namespace })).then(
      (l) => ['ConfigMap', l.items.filter((c) => c.metadata?.name !== 'kube-root-ca.crt')] as const,
    ),
    call('listing pods', () => clients.core.listNamespacedPod({ namespace })).then((l) => ['Pod', l.items] as const),
    call('listing resourcequotas', () => clients.core.listNamespacedResourceQuota({ namespace })).then(
      (l) => ['ResourceQuota', l.items] as const,
    ),
    call('listing limitranges', () => clients.core.listNamespacedLimitRange({ namespace })).then(
      (l) => ['LimitRange', l.items] as const,
    ),
  ]);
  return listed.flatMap(([kind, items]) =>
    (items as readonly { metadata?: { name?: string } }[]).map((o) => `${kind}/${namespace}/${o.metadata?.name}`),
  );
}

/**
 * Deletes the run namespace by the name the run knows *and* every namespace carrying the run's key label, then
 * waits until all of them are gone (a namespace drains its content before it disappears, so a namespace gone is
 * content gone). What is still there at the deadline is reported in `left`, with its content.
 */
export async function deleteRun(
  clients: KubeClients,
  target: { runKey: string; namespace: string; workflowId?: string | undefined },
  opts: { timeoutMs?: number; heartbeat?: (() => void) | undefined } = {},
): Promise<CleanupResult> {
  const started = Date.now();
  const selector = runSelector(target.runKey);
  const timeoutMs = opts.timeoutMs ?? 180_000;
  // A labelled namespace is this run's only if it also names this run's workflow: labels alone can be copied.
  const ours = (ns: k8s.V1Namespace) =>
    target.workflowId === undefined || ns.metadata?.annotations?.[Annotation.WorkflowId] === target.workflowId;
  const read = (name: string): Promise<k8s.V1Namespace | undefined> =>
    clients.core.readNamespace({ name }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw classify(error, `reading namespace ${name}`);
    });
  const present = async (): Promise<{ name: string; deleting: boolean }[]> => {
    const [labelled, named] = await Promise.all([
      call('listing run namespaces', () => clients.core.listNamespace({ labelSelector: selector })),
      read(target.namespace),
    ]);
    const all = new Map<string, boolean>();
    for (const ns of [...labelled.items.filter(ours), ...(named && ours(named) ? [named] : [])]) {
      all.set(ns.metadata!.name!, Boolean(ns.metadata?.deletionTimestamp));
    }
    return [...all].map(([name, deleting]) => ({ name, deleting }));
  };
  const deleted: string[] = [];
  for (const ns of await present()) {
    // The inventory is for the report only: a failure to list must never keep the namespace from being deleted.
    deleted.push(...(await inventory(clients, ns.name).catch(() => [])), `Namespace/${ns.name}`);
    if (ns.deleting) continue;
    try {
      await clients.core.deleteNamespace({ name: ns.name, propagationPolicy: 'Background' });
    } catch (error) {
      if (!isNotFound(error)) throw classify(error, `deleting namespace ${ns.name}`);
    }
  }
  // While they drain, each namespace is followed with a watch; the label is listed again once they are all gone,
  // to be sure no other namespace of the run appeared meanwhile. Under 20 concurrent runs, checking every 250 ms
  // by listing the namespaces and their whole content was 15 % of the API server's requests (BENCHMARKS.md).
  let waiting = (await present()).map((ns) => ns.name);
  const deadline = started + timeoutMs;
  while (waiting.length > 0 && Date.now() < deadline) {
    const watches: ObjectWatch<k8s.V1Namespace>[] = [];
    try {
      // One by one, so a watch that fails to open leaves none of the others open.
      for (const name of waiting) watches.push(await ObjectWatch.namespace(clients, name));
      await Promise.all(
        watches.map((watch) =>
          watch.until((ns) => ns === undefined || !ours(ns), {
            timeoutMs: deadline - Date.now(),
            onTick: opts.heartbeat,
          }),
        ),
      );
    } finally {
      for (const watch of watches) watch.stop();
    }
    waiting = (await present()).map((ns) => ns.name);
  }
  const left: string[] = [];
  for (const name of waiting) {
    left.push(`Namespace/${name}`, ...(await inventory(clients, name).catch(() => [])));
  }
  return { deleted, left, durationMs: Date.now() - started };
}
