/**
 * One janitor pass: list kubeproof's namespaces, ask Temporal about each one's workflow, delete (and verify gone)
 * those whose run is closed or unknown past the grace period. Used by `kubeproof janitor` and by the janitor
 * workflow that a Temporal Schedule runs.
 */
import type { KubeClients } from '../k8s/client';
import { DEFAULT_GRACE_MS, decide, ownerOf, type JanitorDecision, type RunStatus } from './plan';
import { deleteNamespaces, listKubeproofNamespaces } from './sweep';

export { DEFAULT_GRACE_MS, decide, type JanitorDecision, type RunStatus } from './plan';

export interface JanitorReport {
  cluster: string;
  dryRun: boolean;
  decisions: JanitorDecision[];
  /** Namespaces deleted and verified gone (empty on a dry run). */
  deleted: string[];
  /** Namespaces chosen for deletion but still present at the deadline. */
  left: string[];
}

export async function sweepOrphans(
  clients: KubeClients,
  statusesOf: (workflowIds: string[]) => Promise<Record<string, RunStatus>>,
  opts: { cluster: string; dryRun: boolean; graceMs?: number; now?: number; heartbeat?: () => void },
): Promise<JanitorReport> {
  const namespaces = await listKubeproofNamespaces(clients);
  const owners = [...new Set(namespaces.flatMap((ns) => ownerOf(ns) ?? []))];
  const statuses = await statusesOf(owners);
  const decisions = decide(namespaces, statuses, {
    now: opts.now ?? Date.now(),
    graceMs: opts.graceMs ?? DEFAULT_GRACE_MS,
  });
  const doomed = decisions.filter((d) => d.action === 'delete').map((d) => d.namespace);
  if (opts.dryRun || doomed.length === 0) {
    return { cluster: opts.cluster, dryRun: opts.dryRun, decisions, deleted: [], left: [] };
  }
  const { deleted, left } = await deleteNamespaces(
    clients,
    doomed,
    opts.heartbeat ? { heartbeat: opts.heartbeat } : {},
  );
  return { cluster: opts.cluster, dryRun: false, decisions, deleted, left };
}
