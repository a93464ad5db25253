/**
 * Preflight's pure evaluation: version comparison, the run's resource demand, capacity against free allocatable,
 * and `spec.requires`. No I/O: the inputs are reduced nodes (src/preflight/cluster.ts reads them).
 */
import { parseQuantity } from '../scenarios/quantity';
import type { Requirements, ServiceSpec } from '../scenarios/schema';
import type { ClusterFingerprint, NodeInfo, PodDemand, PreflightProblem } from './model';

/**
 * [major, minor, patch] of `1.30`, `v1.36.3`, `v1.36.3-gke.100`, `v1.29.0+k3s1`; undefined when there is none.
 * A missing patch is 0.
 */
export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Negative, 0 or positive as `a` is older than, equal to or newer than `b` (major, minor, patch; suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not a Kubernetes version: ${pa ? b : a}`);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** A quantity in preflight's base units: cpu in millicores (rounded up), everything else as is. */
export function toUnits(resource: string, quantity: string): number {
  const value = parseQuantity(quantity) ?? 0;
  return resource === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : value;
}

/** Why the scheduler cannot place new pods on a node (NotReady, cordoned, a NoSchedule/NoExecute taint), if so. */
export function unschedulableReason(node: NodeInfo): string | undefined {
  const reasons = [
    ...(node.ready ? [] : ['NotReady']),
    ...(node.unschedulable ? ['cordoned'] : []),
    ...node.blockingTaints.map((taint) => `taint ${taint}`),
  ];
  return reasons.length > 0 ? reasons.join(', ') : undefined;
}

/** Nodes the scheduler can place new pods on: Ready, not cordoned, no NoSchedule/NoExecute taint. */
export const schedulable = (node: NodeInfo): boolean => unschedulableReason(node) === undefined;

/** The nodes left out of capacity and why, the first five by name: `a (NotReady), b (cordoned) and 3 more`. */
function leftOut(nodes: readonly NodeInfo[]): string {
  const named = nodes.flatMap((node) => {
    const reason = unschedulableReason(node);
    return reason ? [`${node.name} (${reason})`] : [];
  });
  const more = named.length > 5 ? ` and ${named.length - 5} more` : '';
  return named.slice(0, 5).join(', ') + more;
}

/**
 * Every pod the run creates: each service's replicas, plus, for the baseline target, one extra replica (scale-out)
 * and one surge pod (the rolling restart's maxSurge 1), counted together because the old pods of a scale-in may
 * still hold their requests when the restart starts.
 */
export function podDemand(services: readonly ServiceSpec[], baselineTarget?: string): PodDemand[] {
  return services.map((service) => {
    const requests: Record<string, number> = { pods: 1 };
    for (const [name, quantity] of Object.entries(service.resources.requests ?? {})) {
      if (quantity !== undefined) requests[name] = toUnits(name, quantity);
    }
    // Extended resources given only as limits are requested at the limit, as Kubernetes defaults them.
    for (const [name, quantity] of Object.entries(service.resources.limits ?? {})) {
      if (quantity !== undefined && requests[name] === undefined && name.includes('/'))
        requests[name] = toUnits(name, quantity);
    }
    const extra = service.name === baselineTarget ? 2 : 0;
    return { service: service.name, count: service.replicas + extra, requests };
  });
}

const describe = (resource: string, value: number): string => {
  if (resource === 'cpu') return `${value / 1000} CPU`;
  if (resource === 'memory') return `${(value / 2 ** 30).toFixed(2).replace(/\.?0+$/, '')}Gi`;
  return `${value} ${resource}`;
};

const free = (node: NodeInfo, resource: string): number =>
  (node.allocatable[resource] ?? 0) - (node.requested[resource] ?? 0);

/**
 * Capacity: the run's total demand per resource against the free allocatable (allocatable minus requested) of the
 * schedulable nodes, and each pod shape against the node with the most room for it. Not a full bin-packing: it
 * refuses what cannot fit, and may let through a run that fragmentation would still block.
 */
export function evaluateCapacity(nodes: readonly NodeInfo[], demand: readonly PodDemand[]): PreflightProblem[] {
  const usable = nodes.filter(schedulable);
  // No node at all is one problem with one cause, not a shortfall of every resource.
  if (usable.length === 0) {
    return [
      nodes.length === 0
        ? { what: 'nodes', detail: 'the cluster has no nodes', remedy: 'add nodes to the cluster' }
        : {
            what: 'nodes',
            detail: `none of the cluster's ${nodes.length} node(s) can take new pods: ${leftOut(nodes)}`,
            remedy:
              'wait until the nodes are Ready (after the control plane was unreachable they stay NotReady until they report again), uncordon them or remove the taints, then run again',
          },
    ];
  }
  const excluded = usable.length < nodes.length ? `; left out: ${leftOut(nodes)}` : '';
  const problems: PreflightProblem[] = [];
  const totals = new Map<string, number>();
  for (const pods of demand) {
    for (const [resource, value] of Object.entries(pods.requests)) {
      totals.set(resource, (totals.get(resource) ?? 0) + value * pods.count);
    }
  }
  for (const [resource, needed] of totals) {
    const available = usable.reduce((sum, node) => sum + Math.max(0, free(node, resource)), 0);
    if (needed > available) {
      problems.push({
        what: `capacity: ${resource}`,
        detail: `the run requests ${describe(resource, needed)} in total (baseline's extra replica and surge included); the ${usable.length} schedulable node(s) have ${describe(resource, available)} free${excluded}`,
        remedy: `free or add ${describe(resource, needed - available)} of ${resource}, or lower the scenario's replicas or requests`,
      });
    }
  }
  for (const pods of demand) {
    const fits = usable.some((node) =>
      Object.entries(pods.requests).every(([resource, value]) => free(node, resource) >= value),
    );
    const reported = problems.some((p) => Object.keys(pods.requests).some((r) => p.what === `capacity: ${r}`));
    if (!fits && !reported) {
      const shape = Object.entries(pods.requests)
        .filter(([resource]) => resource !== 'pods')
        .map(([resource, value]) => describe(resource, value))
        .join(', ');
      problems.push({
        what: `capacity: ${pods.service}`,
        detail: `one ${pods.service} pod requests ${shape}; no schedulable node has that much free`,
        remedy: `add a node with room for one ${pods.service} pod, or lower its requests`,
      });
    }
  }
  return problems;
}

/** `spec.requires` against the nodes and the server version. */
export function evaluateRequirements(
  requires: Requirements | undefined,
  nodes: readonly NodeInfo[],
  serverVersion: string,
): PreflightProblem[] {
  if (!requires) return [];
  const problems: PreflightProblem[] = [];
  const usable = nodes.filter(schedulable);
  const minCpu = requires.minNodeCpu === undefined ? 0 : toUnits('cpu', requires.minNodeCpu);
  const minMemory = requires.minNodeMemory === undefined ? 0 : toUnits('memory', requires.minNodeMemory);
  const bigEnough = usable.filter(
    (node) => (node.allocatable.cpu ?? 0) >= minCpu && (node.allocatable.memory ?? 0) >= minMemory,
  );
  const wanted = requires.minNodes ?? 1;
  if (bigEnough.length < wanted) {
    const sized =
      minCpu > 0 || minMemory > 0
        ? ` with at least ${[minCpu > 0 ? describe('cpu', minCpu) : '', minMemory > 0 ? describe('memory', minMemory) : ''].filter(Boolean).join(' and ')} allocatable`
        : '';
    const largest = usable.map(
      (node) =>
        `${node.name} ${describe('cpu', node.allocatable.cpu ?? 0)}/${describe('memory', node.allocatable.memory ?? 0)}`,
    );
    problems.push({
      what: 'requires: nodes',
      detail: `the scenario needs ${wanted} Ready, schedulable node(s)${sized}; the cluster has ${bigEnough.length} (schedulable: ${largest.join(', ') || 'none'})`,
      remedy: 'add or resize nodes, or run the scenario on a larger cluster',
    });
  }
  for (const [resource, count] of Object.entries(requires.extendedResources)) {
    const best = Math.max(0, ...usable.map((node) => node.allocatable[resource] ?? 0));
    if (best < count) {
      problems.push({
        what: `requires: ${resource}`,
        detail: `the scenario needs a Ready, schedulable node with ${count} ${resource} allocatable; the most any node has is ${best}`,
        remedy: `add a node that advertises ${resource} (its device plugin must be running), or run on a cluster that has one`,
      });
    }
  }
  if (
    requires.minKubernetesVersion !== undefined &&
    compareVersions(serverVersion, requires.minKubernetesVersion) < 0
  ) {
    problems.push({
      what: 'requires: Kubernetes version',
      detail: `the scenario needs Kubernetes ${requires.minKubernetesVersion} or newer; the server is ${serverVersion}`,
      remedy: 'upgrade the cluster or lower spec.requires.minKubernetesVersion',
    });
  }
  return problems;
}

/** The cluster fingerprint: version, schedulable node count, their allocatable totals, simulated or not. */
export function fingerprintOf(nodes: readonly NodeInfo[], serverVersion: string): ClusterFingerprint {
  const usable = nodes.filter(schedulable);
  const extended: Record<string, number> = {};
  for (const node of usable) {
    for (const [resource, value] of Object.entries(node.allocatable)) {
      if (resource.includes('/')) extended[resource] = (extended[resource] ?? 0) + value;
    }
  }
  return {
    kubernetesVersion: serverVersion,
    nodes: usable.length,
    allocatable: {
      cpuMillicores: usable.reduce((sum, node) => sum + (node.allocatable.cpu ?? 0), 0),
      memoryBytes: usable.reduce((sum, node) => sum + (node.allocatable.memory ?? 0), 0),
      extended,
    },
    simulated: nodes.some((node) => node.simulated),
  };
}
