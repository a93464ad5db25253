/** Reading what preflight evaluates: the server version, and the nodes with what is already requested on them. */
import * as k8s from '../k8s/client-node';
import type { KubeClients } from '../k8s/client';
import { toUnits } from './evaluate';
import type { NodeInfo } from './model';

export async function serverVersion(clients: KubeClients): Promise<string> {
  const info = await clients.config.makeApiClient(k8s.VersionApi).getCode();
  return info.gitVersion;
}

const units = (list: Record<string, string> | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(list ?? {}).map(([name, quantity]) => [name, toUnits(name, quantity)]));

/** Effective requests of a pod: the larger of the containers' sum and the largest init container, plus overhead. */
export function podRequests(pod: k8s.V1Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const container of pod.spec?.containers ?? []) {
    for (const [name, value] of Object.entries(units(container.resources?.requests)))
      sum[name] = (sum[name] ?? 0) + value;
  }
  for (const container of pod.spec?.initContainers ?? []) {
    for (const [name, value] of Object.entries(units(container.resources?.requests)))
      sum[name] = Math.max(sum[name] ?? 0, value);
  }
  for (const [name, value] of Object.entries(units(pod.spec?.overhead))) sum[name] = (sum[name] ?? 0) + value;
  sum.pods = 1;
  return sum;
}

export function toNodeInfo(node: k8s.V1Node, pods: readonly k8s.V1Pod[]): NodeInfo {
  const name = node.metadata?.name ?? '';
  const requested: Record<string, number> = {};
  for (const pod of pods) {
    if (pod.spec?.nodeName !== name || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    for (const [resource, value] of Object.entries(podRequests(pod)))
      requested[resource] = (requested[resource] ?? 0) + value;
  }
  return {
    name,
    ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable: node.spec?.unschedulable === true,
    blockingTaints: (node.spec?.taints ?? [])
      .filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
      .map((taint) => `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`),
    simulated: node.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake',
    allocatable: units(node.status?.allocatable),
    requested,
  };
}

export async function readNodes(clients: KubeClients): Promise<NodeInfo[]> {
  const [nodes, pods] = await Promise.all([
    clients.core.listNode(),
    clients.core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }),
  ]);
  return nodes.items.map((node) => toNodeInfo(node, pods.items));
}
