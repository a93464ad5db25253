/**
 * Cluster fingerprints decide which earlier baselines a run may be compared with: latencies measured on three
 * simulated nodes say nothing about a fifty-node production cluster, and an upgrade changes the normal. Pure.
 */
import type { ClusterFingerprint } from '../preflight/model';

/** A canonical string for equality: same version, node count, allocatable totals and simulation, same key. */
export function fingerprintKey(f: ClusterFingerprint): string {
  const extended = Object.entries(f.allocatable.extended).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    f.kubernetesVersion,
    f.nodes,
    f.allocatable.cpuMillicores,
    f.allocatable.memoryBytes,
    extended,
    f.simulated,
  ]);
}

/** Two fingerprints are the same cluster shape; an absent one (an entry from before fingerprints) matches nothing. */
export function sameFingerprint(a: ClusterFingerprint | undefined, b: ClusterFingerprint | undefined): boolean {
  return a !== undefined && b !== undefined && fingerprintKey(a) === fingerprintKey(b);
}

/**
 * What changed between two fingerprints, in a person's words: `Kubernetes v1.35.2 → v1.36.3, nodes 3 → 4`.
 * Empty when nothing did.
 */
export function fingerprintChanges(before: ClusterFingerprint | undefined, after: ClusterFingerprint): string[] {
  if (!before) return ['the earlier entries carry no cluster fingerprint'];
  const changes: string[] = [];
  const change = (what: string, from: string, to: string) => {
    if (from !== to) changes.push(`${what} ${from} → ${to}`);
  };
  change('Kubernetes', before.kubernetesVersion, after.kubernetesVersion);
  change('nodes', String(before.nodes), String(after.nodes));
  change('allocatable CPU', cores(before.allocatable.cpuMillicores), cores(after.allocatable.cpuMillicores));
  change('allocatable memory', gib(before.allocatable.memoryBytes), gib(after.allocatable.memoryBytes));
  const resources = new Set([...Object.keys(before.allocatable.extended), ...Object.keys(after.allocatable.extended)]);
  for (const resource of [...resources].sort()) {
    change(
      resource,
      String(before.allocatable.extended[resource] ?? 0),
      String(after.allocatable.extended[resource] ?? 0),
    );
  }
  change('nodes', simulation(before.simulated), simulation(after.simulated));
  return changes;
}

/** `3 nodes, Kubernetes v1.35.2, 12 CPU, 48 GiB, simulated (KWOK)`: for reports. */
export function describeFingerprint(f: ClusterFingerprint): string {
  const extended = Object.entries(f.allocatable.extended).map(([resource, count]) => `, ${count} ${resource}`);
  return (
    `${f.nodes} node${f.nodes === 1 ? '' : 's'}, Kubernetes ${f.kubernetesVersion}, ` +
    `${cores(f.allocatable.cpuMillicores)} CPU, ${gib(f.allocatable.memoryBytes)}${extended.join('')}` +
    (f.simulated ? ', simulated nodes (KWOK)' : '')
  );
}

const cores = (millicores: number) => `${Math.round(millicores / 100) / 10}`;
const gib = (bytes: number) => `${Math.round((bytes / 2 ** 30) * 10) / 10} GiB`;
const simulation = (simulated: boolean) => (simulated ? 'simulated' : 'real');
